package dev.handoff.internal;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The one reader of numbers written as text: a record's or a batch's string values, the cells of a CSV
 * file scored by the command line, and the expected answers of a verification file. It reads decimal
 * numbers as Python ({@code repr(float)}, pandas {@code to_csv}) and R ({@code write.csv}) write them, and
 * nothing that only Java would write.
 *
 * <pre>{@code
 * DecimalNumbers.parse("1e-05");        // 1.0E-5
 * DecimalNumbers.parse("nan");          // NaN: a missing value
 * DecimalNumbers.parse("-inf");         // -Infinity (an expected answer may be one)
 * DecimalNumbers.parseInput("-inf");    // NumberFormatException: an input is never infinite
 * DecimalNumbers.parse("12f");          // NumberFormatException: a Java suffix, not a number in a CSV file
 * }</pre>
 *
 * <ul>
 * <li>A number: optional sign, digits with an optional decimal point ({@code 5.}, {@code .5}), optional exponent
 *     ({@code 1e-05}, {@code 2.5E+10}); spaces around it are ignored. A number too small for a double is 0,
 *     as in Python; one too large ({@code 1e400}) is refused as out of range, not read as an infinity.
 * <li>Not a number: {@code nan} in any case, with or without a sign ({@code NaN}, {@code -nan}), and R's
 *     {@code NA}; all mean a missing value.
 * <li>An infinity: {@code inf} or {@code infinity} in any case, with or without a sign ({@code Inf}, {@code -Infinity}).
 *     Read as a value by {@link #parse}, refused by {@link #parseInput}: scikit-learn, XGBoost and LightGBM
 *     refuse infinite inputs, and one in a data file is a bug upstream.
 * <li>Refused: Java's suffixes and hex ({@code 12f}, {@code 2.6d}, {@code 0x1p7}), underscores ({@code 1_000}),
 *     thousands separators, and any text longer than {@value #MAX_CHARS} chars, refused by its length
 *     before it is read.
 * </ul>
 */
public final class DecimalNumbers {
    /** The longest text read as a number: longer than any double printed in full ({@code %f} of 1e308 is 309 digits). */
    public static final int MAX_CHARS = 400;

    private DecimalNumbers() {
    }

    /**
     * The number {@code text} writes: {@code NaN} for a not-a-number, an infinity for one.
     *
     * @throws NumberFormatException saying why, when the text is not a decimal number, or is out of a double's range
     */
    public static double parse(CharSequence text) {
        if (text.length() > MAX_CHARS * 2) {
            throw tooLong(text); // checked before strip() copies it
        }
        String t = text.toString().strip();
        if (t.length() > MAX_CHARS) {
            throw tooLong(text);
        }
        if (isNotANumber(t)) {
            return Double.NaN;
        }
        switch (t.toLowerCase(Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!isDecimal(t)) {
            throw new NumberFormatException("'" + LogText.safe(t, 40) + "' is not a number");
        }
        double d = Double.parseDouble(t);
        if (Double.isInfinite(d)) {
            throw new NumberFormatException("'" + LogText.safe(t, 40) + "' is beyond the range of a double (about 1.8e308)");
        }
        return d;
    }

    /**
     * Whether {@code text} (spaces around it ignored) writes a not-a-number, a missing value: {@code nan} in any
     * case, with or without a sign, or R's {@code NA}.
     */
    public static boolean isNotANumber(CharSequence text) {
        if (text.length() > 8) {
            return false;
        }
        String t = text.toString().strip();
        return t.equals("NA") || t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("+nan") || t.equalsIgnoreCase("-nan");
    }

    /** Why an infinite input value ({@code shown} as its text) is refused: the words of {@link #parseInput}. */
    public static String infinite(CharSequence shown) {
        return "'" + LogText.safe(shown.toString().strip(), 40) + "' is infinite; an input value must be a finite number, or missing";
    }

    /**
     * As {@link #parse}, for an input value of a model: an infinity is refused.
     *
     * @throws NumberFormatException saying why, when the text is not a finite decimal number or a not-a-number
     */
    public static double parseInput(CharSequence text) {
        double d = parse(text);
        if (Double.isInfinite(d)) {
            throw new NumberFormatException(infinite(text));
        }
        return d;
    }

    /**
     * The exact decimal {@code text} writes, for an input that takes whole numbers beyond a double's 53 bits
     * ({@code 9007199254740993}); not-a-number and infinity are not decimals here.
     *
     * @throws NumberFormatException saying why, when the text is not a decimal number or is longer than
     *         {@value #MAX_CHARS} chars (refused before {@link BigDecimal}, whose parsing time grows with the
     *         square of the digits: a million digits take half a minute)
     */
    public static BigDecimal parseExact(CharSequence text) {
        if (text.length() > MAX_CHARS * 2) {
            throw tooLong(text);
        }
        String t = text.toString().strip();
        if (t.length() > MAX_CHARS) {
            throw tooLong(text);
        }
        if (!isDecimal(t)) {
            throw new NumberFormatException("'" + LogText.safe(t, 40) + "' is not a number");
        }
        return new BigDecimal(t);
    }

    /** {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?} */
    private static boolean isDecimal(String t) {
        int i = 0;
        int n = t.length();
        if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(t.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && t.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(t.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && isDigit(t.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9'; // not Character.isDigit: Arabic-Indic digits are no number Python writes
    }

    private static NumberFormatException tooLong(CharSequence text) {
        return new NumberFormatException("a number of " + text.length() + " chars is longer than the " + MAX_CHARS
                + " a number may have");
    }
}

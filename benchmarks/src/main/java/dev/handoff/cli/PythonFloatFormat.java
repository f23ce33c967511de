package dev.handoff.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Writes a double the way Python's {@code repr} does, which is how the corpus {@code expected.csv}
 * files were written: the shortest digits that parse back to the same double, fixed notation for
 * decimal exponents from -4 to 15 ({@code 1.0}, {@code 0.0001}, {@code 255.26058696768413}),
 * scientific notation outside ({@code 2.5515347251857185e-05}, {@code 1e+16}), and {@code nan},
 * {@code inf}, {@code -inf}.
 *
 * <p>The digits come from {@link Double#toString(double)}, which is the shortest from JDK 19 on; before,
 * it sometimes gives a digit more (for example {@code 4.9E-324} for Python's {@code 5e-324}), so
 * there the digits are shortened while they still parse back to the same double.
 */
final class PythonFloatFormat {
    private static final boolean SHORTEN_DIGITS = Runtime.version().feature() < 19;

    private PythonFloatFormat() {
    }

    static String repr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0.0" : "0.0";
        }
        String java = Double.toString(Math.abs(value)); // "123.45", "0.001" or "1.2345E-5"
        int e = java.indexOf('E');
        String mantissa = e < 0 ? java : java.substring(0, e);
        int exponent = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
        int dot = mantissa.indexOf('.');
        String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        int point = dot + exponent; // the value is 0.<digits> * 10^point
        int lead = 0;
        while (digits.charAt(lead) == '0') {
            lead++; // value != 0, so a non-zero digit exists
        }
        digits = digits.substring(lead);
        point -= lead;
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(0, end);
        if (SHORTEN_DIGITS) {
            while (digits.length() > 1) {
                BigDecimal shorter = new BigDecimal(Math.abs(value)).round(new MathContext(digits.length() - 1, RoundingMode.HALF_EVEN))
                        .stripTrailingZeros();
                if (shorter.doubleValue() != Math.abs(value)) {
                    break;
                }
                digits = shorter.unscaledValue().toString();
                point = digits.length() - shorter.scale();
            }
        }

        StringBuilder out = new StringBuilder(26);
        if (value < 0) {
            out.append('-');
        }
        int decimalExponent = point - 1;
        if (decimalExponent >= -4 && decimalExponent < 16) {
            if (point <= 0) {
                out.append("0.").append("0".repeat(-point)).append(digits);
            } else if (point >= digits.length()) {
                out.append(digits).append("0".repeat(point - digits.length())).append(".0");
            } else {
                out.append(digits, 0, point).append('.').append(digits, point, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(decimalExponent < 0 ? '-' : '+');
            int magnitude = Math.abs(decimalExponent);
            if (magnitude < 10) {
                out.append('0');
            }
            out.append(magnitude);
        }
        return out.toString();
    }
}

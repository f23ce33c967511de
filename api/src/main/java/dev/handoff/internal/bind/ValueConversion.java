package dev.handoff.internal.bind;

import dev.handoff.InputField;
import dev.handoff.InputField.ValueRange;
import dev.handoff.InvalidInputException;
import dev.handoff.UnknownCategoryPolicy;
import dev.handoff.ValueType;
import dev.handoff.internal.DecimalNumbers;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.handoff.internal.bind.BindMessages.describe;
import static dev.handoff.internal.bind.BindMessages.notANumber;
import static dev.handoff.internal.bind.BindMessages.notBoolean;
import static dev.handoff.internal.bind.BindMessages.notWhole;
import static dev.handoff.internal.bind.BindMessages.outOfLongRange;
import static dev.handoff.internal.bind.BindMessages.show;
import static dev.handoff.internal.bind.BindMessages.wrongType;

/**
 * One value of a record or batch cell into what its input takes: a double (NaN = missing), an exact
 * long, or a category string (null = missing), under the scorer's missing-value and unknown-category
 * settings. A value that cannot be converted throws {@link InvalidInputException} naming field, value
 * and expectation.
 *
 * <p>An infinity, whether written ({@code "inf"}) or given as a {@code double}, is refused as a number input
 * (scikit-learn, XGBoost and LightGBM refuse it; one in the data is a bug upstream) unless the model declares
 * it valid: a declared {@link ValueRange} of the input ({@code ScoringEngine.declaredRanges()}, PMML's
 * Intervals and valid Values) that contains it, such as an Interval without a right margin closed at its
 * right end. A whole-number input never takes one. The refusal has the same words whichever way it came.
 */
final class ValueConversion {
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final InputField[] fields;
    private final Set<String>[] categorySets;
    private final boolean rejectMissing;
    private final UnknownCategoryPolicy categoryPolicy;
    /** The model's declared valid numbers by input name: only they can make an infinity valid. */
    private final Map<String, ValueRange> declaredRanges;

    @SuppressWarnings("unchecked")
    ValueConversion(List<InputField> fields, boolean rejectMissing, UnknownCategoryPolicy categoryPolicy,
                    Map<String, ValueRange> declaredRanges) {
        this.fields = fields.toArray(new InputField[0]);
        this.categorySets = new Set[this.fields.length];
        for (int f = 0; f < this.fields.length; f++) {
            InputField field = this.fields[f];
            if (field.type() == ValueType.STRING && !field.categories().isEmpty()) {
                categorySets[f] = Set.copyOf(new HashSet<>(field.categories()));
            }
        }
        this.rejectMissing = rejectMissing;
        this.categoryPolicy = categoryPolicy;
        this.declaredRanges = Map.copyOf(declaredRanges);
    }

    /** The declared categories of field {@code f}, or {@code null} when it declares none. */
    Set<String> categories(int f) {
        return categorySets[f];
    }

    boolean rejectsMissing() {
        return rejectMissing;
    }

    /** A number input's value: parsed, checked (a boolean is 0 or 1), NaN for a missing value the input accepts. */
    double toNumber(InputField field, Object value, int row) {
        double d = elementToNumber(field, value, row);
        return checkNumber(field, value, d, row);
    }

    /** Converts one value to a double; NaN for missing. Policy checks are the caller's. */
    private double elementToNumber(InputField field, Object value, int row) {
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0; // as pandas, scikit-learn and JPMML read a boolean for a number
        }
        if (value instanceof CharSequence text) {
            String s = text.toString().strip();
            if (s.isEmpty()) {
                return Double.NaN;
            }
            if (s.equalsIgnoreCase("true")) {
                return 1;
            }
            if (s.equalsIgnoreCase("false")) {
                return 0;
            }
            try {
                return DecimalNumbers.parse(s); // an infinity is checked with every other one, in checkNumber
            } catch (NumberFormatException e) {
                throw notANumber(field, value, row, e.getMessage());
            }
        }
        throw wrongType(field, value, row);
    }

    double checkNumber(InputField field, Object original, double d, int row) {
        if (Double.isNaN(d)) {
            checkMissing(field, row);
            return d;
        }
        if (Double.isInfinite(d)) {
            ValueRange declared = declaredRanges.get(field.name());
            if (declared == null || !declared.contains(d)) {
                throw infinite(field, original, d, row);
            }
        }
        if (field.type() == ValueType.BOOLEAN && d != 0 && d != 1) {
            throw notBoolean(field, original, row);
        }
        return d;
    }

    /** A missing value: handed to the model unless the setting or the model's treatment of the input forbids it. */
    void checkMissing(InputField field, int row) {
        if (rejectMissing) {
            throw new InvalidInputException(field.name(), null, row, "the value is missing, and missing values are "
                    + "not accepted; expected " + describe(field), InvalidInputException.Setting.MISSING_VALUES_REJECTED);
        }
        if (!field.acceptsMissing()) {
            throw new InvalidInputException(field.name(), null, row, "the value is missing, and the model does not accept a "
                    + "missing value for this input; expected " + describe(field));
        }
    }

    /**
     * Whether a value for a whole-number input is missing: null, NaN, an empty or blank string, or a
     * not-a-number written as text ({@code nan}, {@code NA}), as for a number input.
     */
    static boolean isMissingValue(Object value) {
        return value == null
                || value instanceof Double d && d.isNaN()
                || value instanceof Float x && x.isNaN()
                || value instanceof CharSequence text && (text.toString().isBlank() || DecimalNumbers.isNotANumber(text));
    }

    /** An infinite value refused, in the number parser's words whether it came as text or as a double. */
    private static InvalidInputException infinite(InputField field, Object original, double d, int row) {
        return notANumber(field, original, row, DecimalNumbers.infinite(original instanceof CharSequence text ? text : String.valueOf(d)));
    }

    /**
     * One value of an INTEGER input, exactly: {@code 9007199254740993} (a {@code Long}, a {@code BigInteger},
     * a {@code BigDecimal} or a string) stays {@code 9007199254740993}, never going through a double.
     */
    long toLong(InputField field, Object value, int row) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof AtomicLong || value instanceof AtomicInteger) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw outOfLongRange(field, value, row);
            }
            return big.longValue();
        }
        if (value instanceof BigDecimal decimal) {
            return exactLong(field, value, decimal, row);
        }
        if (value instanceof Number number) {
            return wholeDouble(field, value, number.doubleValue(), row);
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof CharSequence text) {
            String s = text.toString().strip();
            if (s.equalsIgnoreCase("true")) {
                return 1;
            }
            if (s.equalsIgnoreCase("false")) {
                return 0;
            }
            try {
                return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            } catch (NumberFormatException notAPlainLong) {
                try {
                    return exactLong(field, value, DecimalNumbers.parseExact(s), row); // "14.0", "1e3", "9007199254740993.0"
                } catch (NumberFormatException e) {
                    throw notANumber(field, value, row, whyNotWhole(s, e));
                }
            }
        }
        throw wrongType(field, value, row);
    }

    /** The parser's reason a text is no exact decimal: an infinity says so, as for a number input. */
    private static String whyNotWhole(String text, NumberFormatException notDecimal) {
        try {
            double d = DecimalNumbers.parse(text);
            if (Double.isInfinite(d)) {
                return DecimalNumbers.infinite(text);
            }
        } catch (NumberFormatException e) {
            return e.getMessage();
        }
        return notDecimal.getMessage();
    }

    private static long exactLong(InputField field, Object original, BigDecimal decimal, int row) {
        if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
            throw notWhole(field, original, row);
        }
        if (decimal.compareTo(LONG_MIN) < 0 || decimal.compareTo(LONG_MAX) > 0) {
            throw outOfLongRange(field, original, row);
        }
        return decimal.longValue();
    }

    /** A double that must be a whole number within the range of a long. */
    static long wholeDouble(InputField field, Object original, double d, int row) {
        if (Double.isNaN(d)) {
            throw notANumber(field, original, row);
        }
        if (Double.isInfinite(d)) {
            throw infinite(field, original, d, row);
        }
        if (d != Math.rint(d)) {
            throw notWhole(field, original, row);
        }
        if (d < -0x1p63 || d >= 0x1p63) {
            throw outOfLongRange(field, original, row);
        }
        return (long) d;
    }

    /** A STRING input's value: the category, or {@code null} for a missing one (or an unknown one under AS_MISSING). */
    String toCategory(int f, Object value, int row) {
        InputField field = fields[f];
        String s;
        if (value == null) {
            s = null;
        } else if (value instanceof String text) {
            s = text;
        } else if (value instanceof CharSequence text) {
            s = text.toString();
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            s = value.toString();
        } else if (value instanceof Enum<?> e) {
            s = e.name();
        } else if (value instanceof Character || value instanceof Boolean) {
            s = value.toString();
        } else {
            throw wrongType(field, value, row);
        }
        if (s == null || s.isEmpty()) {
            checkMissing(field, row);
            return null;
        }
        Set<String> categories = categorySets[f];
        if (categories != null && categoryPolicy != UnknownCategoryPolicy.AS_MODEL_DECLARES && !categories.contains(s)) {
            if (categoryPolicy == UnknownCategoryPolicy.AS_MISSING) {
                return null;
            }
            throw new InvalidInputException(field.name(), value, row, "value " + show(value)
                    + " is not a known category; expected one of " + field.categories(),
                    InvalidInputException.Setting.UNKNOWN_CATEGORIES_REJECTED);
        }
        return s;
    }
}

package dev.handoff;

import dev.handoff.ScorerStats.InputStats;
import java.util.List;
import java.util.Objects;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.StringJoiner;

/**
 * One input the model reads: the key of a record, or the name of a column of a {@link Batch}.
 *
 * <pre>{@code
 * for (InputField f : scorer.inputs()) {
 *     System.out.printf("%s %s %s missing: %s%n", f.name(), f.type(),
 *             f.categories().isEmpty() ? "" : f.categories(), f.missingValues());
 * }
 * }</pre>
 *
 * @param name the field name, exactly as the record key
 * @param type the declared value type
 * @param shape the shape of one row's value: empty for a scalar, for example {@code [64]} or
 *              {@code [1, 8, 8]} for a tensor input that takes an array per row
 * @param categories the valid values of a categorical input (empty when the model does not declare them)
 * @param missingValues what the model does with a missing value of this input
 */
public record InputField(String name, ValueType type, List<Long> shape, List<String> categories,
                         MissingValueTreatment missingValues) {

    /** Checks the fields (a MAP input, a non-positive dimension, a string tensor are refused) and copies the lists. */
    public InputField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(missingValues, "missingValues");
        if (type == ValueType.MAP) {
            throw new IllegalArgumentException("type MAP is for outputs only, input '" + name + "'");
        }
        shape = List.copyOf(shape);
        categories = List.copyOf(categories);
        long elements = 1;
        for (Long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("shape of input '" + name + "' must have fixed positive dimensions, got " + shape);
            }
            elements *= d;
            if (elements > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("input '" + name + "' has more than " + Integer.MAX_VALUE
                        + " values per row (shape " + shape + ")");
            }
        }
        if (type == ValueType.STRING && !shape.isEmpty()) {
            throw new IllegalArgumentException("string input '" + name + "' must be a scalar, got shape " + shape);
        }
    }

    /** A scalar input without declared categories. */
    public static InputField scalar(String name, ValueType type, MissingValueTreatment missingValues) {
        return new InputField(name, type, List.of(), List.of(), missingValues);
    }

    /** Whether one row's value is a single value rather than an array. */
    public boolean isScalar() {
        return shape.isEmpty();
    }

    /** Whether a record may leave this input missing and still be handed to the model. */
    public boolean acceptsMissing() {
        return missingValues != MissingValueTreatment.NOT_ACCEPTED;
    }

    /** The number of values in one row's value: 1 for a scalar, the product of {@link #shape()} otherwise. */
    public int elementsPerRow() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return (int) n;
    }

    /**
     * What the model does with a missing value of one input, as read from the model file.
     *
     * <pre>{@code
     * for (InputField f : scorer.inputs()) {
     *     if (f.missingValues() == MissingValueTreatment.NOT_ACCEPTED) {
     *         System.out.println(f.name() + " must always be given");
     *     }
     * }
     * }</pre>
     *
     * <p>Unless {@link ScorerOptions#rejectMissingValues()} is on, a missing value ({@code null}, {@code NaN},
     * {@code ""} or an absent key) goes to the model wherever the treatment is not {@link #NOT_ACCEPTED}, so
     * the model decides, as the training framework did.
     */
    public enum MissingValueTreatment {
        /**
         * The model takes a missing value and handles it itself: tree default directions (XGBoost,
         * LightGBM, scikit-learn HistGradientBoosting), PMML {@code missingValueStrategy} and surrogate
         * predicates (R rpart), an ONNX {@code Imputer} fed by {@code NaN}. If the model then gives no
         * prediction for the row (a PMML regression without a replacement, {@code NaN} out of an ONNX
         * graph), the row is rejected naming its missing fields.
         */
        MODEL_HANDLES,
        /** The model replaces a missing value by a value it declares (PMML {@code missingValueReplacement}). */
        MODEL_REPLACES,
        /**
         * The model format cannot carry a missing value for this input (ONNX integer, boolean and string
         * tensors) or the model declares it invalid (PMML {@code missingValueTreatment="returnInvalid"}):
         * a record without a value for it is rejected.
         */
        NOT_ACCEPTED
    }

    /**
     * The numbers a model declares valid for an input: intervals and listed values, as a PMML
     * {@code DataField} declares them with {@code <Interval>} and {@code <Value property="valid">}. A number
     * outside is not an error (the model decides what to do with it), but a sign that the data scored is
     * not the data the model was trained on: {@link InputStats#outOfRange()} counts them.
     *
     * <pre>{@code
     * ValueRange age = ValueRange.builder().interval(18, true, 99, true).build();
     * age.contains(17.5);   // false
     * }</pre>
     *
     * Immutable.
     */
    public static final class ValueRange {

        /**
         * One interval; an open end may be infinite.
         *
         * @param low the lower end ({@code -Infinity} for none)
         * @param lowInclusive whether {@code low} itself is inside
         * @param high the upper end ({@code Infinity} for none)
         * @param highInclusive whether {@code high} itself is inside
         */
        public record Interval(double low, boolean lowInclusive, double high, boolean highInclusive) {

            public Interval {
                if (Double.isNaN(low) || Double.isNaN(high) || low > high) {
                    throw new IllegalArgumentException("an interval needs low <= high, got [" + low + ", " + high + "]");
                }
            }

            boolean contains(double x) {
                return (lowInclusive ? x >= low : x > low) && (highInclusive ? x <= high : x < high);
            }

            @Override
            public String toString() {
                return (lowInclusive ? "[" : "(") + low + ", " + high + (highInclusive ? "]" : ")");
            }
        }

        private final List<Interval> intervals;
        private final double[] values;

        private ValueRange(List<Interval> intervals, double[] values) {
            this.intervals = List.copyOf(intervals);
            this.values = values;
            if (this.intervals.isEmpty() && values.length == 0) {
                throw new IllegalArgumentException("a value range needs an interval or a valid value");
            }
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Whether {@code x} is in one of the intervals or among the values; {@code NaN} (missing) is never inside. */
        public boolean contains(double x) {
            for (Interval interval : intervals) {
                if (interval.contains(x)) {
                    return true;
                }
            }
            return values.length > 0 && Arrays.binarySearch(values, x) >= 0;
        }

        public List<Interval> intervals() {
            return intervals;
        }

        /** The listed valid values, ascending. */
        public double[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ValueRange r && intervals.equals(r.intervals) && Arrays.equals(values, r.values);
        }

        @Override
        public int hashCode() {
            return Objects.hash(intervals, Arrays.hashCode(values));
        }

        /** For example {@code [0.0, 120.0] or {999.0}}. */
        @Override
        public String toString() {
            StringJoiner joiner = new StringJoiner(" or ");
            intervals.forEach(i -> joiner.add(i.toString()));
            if (values.length > 0) {
                StringJoiner list = new StringJoiner(", ", "{", "}");
                for (double v : values) {
                    list.add(Double.toString(v));
                }
                joiner.add(list.toString());
            }
            return joiner.toString();
        }

        /** Builds a {@link ValueRange}. */
        public static final class Builder {
            private final List<Interval> intervals = new ArrayList<>();
            private final List<Double> values = new ArrayList<>();

            private Builder() {
            }

            public Builder interval(double low, boolean lowInclusive, double high, boolean highInclusive) {
                intervals.add(new Interval(low, lowInclusive, high, highInclusive));
                return this;
            }

            /** A listed valid value (not {@code NaN}). */
            public Builder value(double value) {
                if (Double.isNaN(value)) {
                    throw new IllegalArgumentException("a valid value must be a number, got NaN");
                }
                values.add(value);
                return this;
            }

            public ValueRange build() {
                return new ValueRange(intervals, values.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray());
            }
        }
    }
}

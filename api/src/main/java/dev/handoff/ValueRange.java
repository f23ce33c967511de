package dev.handoff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

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
public final class ValueRange {

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

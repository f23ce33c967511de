package dev.handoff.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * What a {@link LoadedModel} computed for a set of rows, as plain Java arrays; Handoff shapes it
 * into {@link dev.handoff.Prediction}s.
 *
 * <pre>{@code
 * return ScoredRows.builder(rows)
 *         .labels(labels)                      // String[rows], canonical class labels
 *         .probabilities(probabilities)        // double[rows * classes], row-major, in classes() order
 *         .output("output_label", r -> labels[r])
 *         .build();
 * }</pre>
 *
 * <p>A classifier that gives probabilities but no labels gets argmax labels from Handoff. An output
 * reader must return plain Java values (no runtime types) and must not hold native memory.
 */
public final class ScoredRows {
    private final int rowCount;
    private final String[] labels;
    private final double[] probabilities;
    private final double[] values;
    private final Map<String, IntFunction<Object>> outputs;

    private ScoredRows(Builder b) {
        this.rowCount = b.rowCount;
        this.labels = b.labels;
        this.probabilities = b.probabilities;
        this.values = b.values;
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(b.outputs));
    }

    public static Builder builder(int rowCount) {
        return new Builder(rowCount);
    }

    public int rowCount() {
        return rowCount;
    }

    /** Canonical labels, one per row, or {@code null}. */
    public String[] labels() {
        return labels;
    }

    /** Row-major probabilities in class order, or {@code null}. */
    public double[] probabilities() {
        return probabilities;
    }

    /** Regression values, one per row, or {@code null}. */
    public double[] values() {
        return values;
    }

    /** Readers of the named outputs: {@code outputs().get(name).apply(row)}. */
    public Map<String, IntFunction<Object>> outputs() {
        return outputs;
    }

    /** Builds {@link ScoredRows}; arrays are taken as they are (the runtime hands over ownership). */
    public static final class Builder {
        private final int rowCount;
        private String[] labels;
        private double[] probabilities;
        private double[] values;
        private final Map<String, IntFunction<Object>> outputs = new LinkedHashMap<>();

        private Builder(int rowCount) {
            if (rowCount < 0) {
                throw new IllegalArgumentException("rowCount must not be negative, got " + rowCount);
            }
            this.rowCount = rowCount;
        }

        public Builder labels(String[] labels) {
            this.labels = checkLength("labels", labels, labels.length, rowCount);
            return this;
        }

        /** Row-major {@code rows x classes} probabilities, in class order. */
        public Builder probabilities(double[] probabilities) {
            this.probabilities = Objects.requireNonNull(probabilities, "probabilities");
            return this;
        }

        public Builder values(double[] values) {
            this.values = checkLength("values", values, values.length, rowCount);
            return this;
        }

        public Builder output(String name, IntFunction<Object> reader) {
            outputs.put(Objects.requireNonNull(name, "output name"), Objects.requireNonNull(reader, "output reader"));
            return this;
        }

        public ScoredRows build() {
            return new ScoredRows(this);
        }

        private static <T> T checkLength(String what, T array, int length, int rows) {
            if (length != rows) {
                throw new IllegalArgumentException(what + " must have one entry per row (" + rows + "), got " + length);
            }
            return array;
        }
    }
}

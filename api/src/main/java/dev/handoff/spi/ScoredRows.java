package dev.handoff.spi;

import dev.handoff.InvalidInputException;
import dev.handoff.ScoringException;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link LoadedModel} computed for the rows of one {@link InputColumns}, as plain Java arrays.
 * Handoff, not the runtime, turns them into {@link dev.handoff.Prediction}s: it converts each named
 * output to the Java type its {@link dev.handoff.OutputField} declares, turns label outputs into
 * canonical class labels, fills argmax labels, and rejects rows for which the model gave no prediction.
 *
 * <pre>{@code
 * return ScoredRows.builder(rows)
 *         .output("output_label", labels)          // long[] / String[] / double[] / boolean[] / Object[], rows x width
 *         .labelOutput("output_label")             // the labels are this output's values
 *         .probabilities(probabilities)            // double[rows * classes], row-major, in classes() order
 *         .noPrediction(3, "the target has no value")
 *         .build();
 * }</pre>
 *
 * <p>A column is one array of {@code rows * width} values, row-major. An {@code Object[]} column holds
 * one value per row ({@code null} = no value) and is converted by Handoff. A missing number is
 * {@code NaN}. The arrays are handed over: the runtime must not touch them after {@link Builder#build()}.
 *
 * <p>A column that does not fit the rows (or a value column of another kind) throws
 * {@link ScoringException}: what the runtime computed does not match what the model declares, which
 * is the model's failure while scoring, not the record's.
 */
public final class ScoredRows {
    private final int rowCount;
    private final String labelOutput;
    private final double[] probabilities;
    private final double[] values;
    private final String[] outputNames;
    private final Object[] outputColumns;
    private final int outputCount;
    private final String[] noPrediction;
    private final InvalidInputException[] rejected;

    private ScoredRows(Builder b) {
        this.rowCount = b.rowCount;
        this.labelOutput = b.labelOutput;
        this.probabilities = b.probabilities;
        this.values = b.values;
        this.outputNames = b.names;
        this.outputColumns = b.columns;
        this.outputCount = b.count;
        this.noPrediction = b.noPrediction;
        this.rejected = b.rejected;
    }

    /** A builder for the results of {@code rowCount} rows. */
    public static Builder builder(int rowCount) {
        return new Builder(rowCount);
    }

    /** The number of rows the runtime scored. */
    public int rowCount() {
        return rowCount;
    }

    /** The name of the output whose values are the predicted class labels, or {@code null}. */
    public String labelOutput() {
        return labelOutput;
    }

    /** Row-major probabilities in class order, or {@code null}. */
    public double[] probabilities() {
        return probabilities;
    }

    /** Regression values, one per row, or {@code null}. */
    public double[] values() {
        return values;
    }

    /** The named output columns, in the order they were added. */
    public Map<String, Object> outputs() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < outputCount; i++) {
            map.put(outputNames[i], outputColumns[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** The column of output {@code name}, or {@code null} when there is none. */
    public Object output(String name) {
        for (int i = 0; i < outputCount; i++) {
            if (outputNames[i].equals(name)) {
                return outputColumns[i];
            }
        }
        return null;
    }

    /** Why the model gave no prediction for row {@code row}, or {@code null} when it did not say so. */
    public String noPrediction(int row) {
        return noPrediction == null ? null : noPrediction[row];
    }

    /** The runtime's rejection of row {@code row}, or {@code null}. */
    public InvalidInputException rejected(int row) {
        return rejected == null ? null : rejected[row];
    }

    /** Builds {@link ScoredRows}; arrays are taken as they are (the runtime hands over ownership). */
    public static final class Builder {
        private final int rowCount;
        private String labelOutput;
        private double[] probabilities;
        private double[] values;
        // a few outputs, kept in arrays: no map built per call
        private String[] names = new String[4];
        private Object[] columns = new Object[4];
        private int count;
        private String[] noPrediction;
        private InvalidInputException[] rejected;

        private Builder(int rowCount) {
            if (rowCount < 0) {
                throw new IllegalArgumentException("rowCount must not be negative, got " + rowCount);
            }
            this.rowCount = rowCount;
        }

        /** Names the output (added with {@link #output}) whose values are the predicted class labels. */
        public Builder labelOutput(String name) {
            this.labelOutput = Objects.requireNonNull(name, "label output name");
            return this;
        }

        /** Row-major {@code rows x classes} probabilities, in class order; {@code NaN} where a row has none. */
        public Builder probabilities(double[] probabilities) {
            this.probabilities = Objects.requireNonNull(probabilities, "probabilities");
            return this;
        }

        /** One regression value per row; {@code NaN} where a row has none. */
        public Builder values(double[] values) {
            Objects.requireNonNull(values, "values");
            if (values.length != rowCount) {
                throw new ScoringException("values must have one entry per row (" + rowCount + "), got " + values.length);
            }
            this.values = values;
            return this;
        }

        /**
         * A named output: {@code double[]}, {@code long[]}, {@code boolean[]} or {@code String[]} of
         * {@code rows * width} values, or an {@code Object[]} of one plain value per row.
         */
        public Builder output(String name, Object column) {
            Objects.requireNonNull(name, "output name");
            Objects.requireNonNull(column, "column of output '" + name + "'");
            int length;
            if (column instanceof double[] a) {
                length = a.length;
            } else if (column instanceof long[] a) {
                length = a.length;
            } else if (column instanceof boolean[] a) {
                length = a.length;
            } else if (column instanceof String[] a) {
                length = a.length;
            } else if (column instanceof Object[] a) {
                if (a.length != rowCount) {
                    throw new ScoringException("Object[] column of output '" + name + "' must have one value per row ("
                            + rowCount + "), got " + a.length);
                }
                length = a.length;
            } else {
                throw new ScoringException("column of output '" + name + "' must be double[], long[], boolean[], "
                        + "String[] or Object[], got " + column.getClass().getSimpleName());
            }
            if (rowCount == 0 ? length != 0 : length % rowCount != 0) {
                throw new ScoringException("output '" + name + "' has " + length + " values for " + rowCount
                        + " rows; a column holds rows x width values");
            }
            for (int i = 0; i < count; i++) {
                if (names[i].equals(name)) {
                    columns[i] = column;
                    return this;
                }
            }
            if (count == names.length) {
                names = Arrays.copyOf(names, count * 2);
                columns = Arrays.copyOf(columns, count * 2);
            }
            names[count] = name;
            columns[count++] = column;
            return this;
        }

        /** Says that the model gave no prediction for row {@code row}, and why (for the row's error message). */
        public Builder noPrediction(int row, String reason) {
            Objects.checkIndex(row, rowCount);
            if (noPrediction == null) {
                noPrediction = new String[rowCount];
            }
            noPrediction[row] = Objects.requireNonNull(reason, "reason");
            return this;
        }

        /** Rejects one row with the runtime's own reason; {@link InvalidInputException#row()} is the row in these columns. */
        public Builder reject(InvalidInputException failure) {
            Objects.checkIndex(failure.row(), rowCount);
            if (rejected == null) {
                rejected = new InvalidInputException[rowCount];
            }
            rejected[failure.row()] = failure;
            return this;
        }

        private boolean hasOutput(String name) {
            for (int i = 0; i < count; i++) {
                if (names[i].equals(name)) {
                    return true;
                }
            }
            return false;
        }

        /** Builds the result; the builder must not be used afterwards (its arrays are handed over). */
        public ScoredRows build() {
            if (labelOutput != null && !hasOutput(labelOutput)) {
                throw new ScoringException("label output '" + labelOutput + "' is not among the outputs "
                        + Arrays.asList(names).subList(0, count));
            }
            return new ScoredRows(this);
        }
    }
}

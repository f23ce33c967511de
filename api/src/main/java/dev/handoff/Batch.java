package dev.handoff;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Rows given column by column, without a boxed value per cell: the fast path for scoring many rows.
 *
 * <pre>{@code
 * Batch batch = Batch.builder(3)
 *         .doubles("tenure_months", new double[] {14, 20, Double.NaN})   // NaN = missing
 *         .strings("plan", new String[] {"plus", "basic", null})          // null = missing
 *         .build();
 * Predictions ps = scorer.score(batch);
 * }</pre>
 *
 * <p>A column for a tensor input (see {@link InputField#shape()}) holds {@code rows * elementsPerRow}
 * values, row-major. Numbers given as strings are parsed. A column the model does not read is ignored;
 * an input without a column is missing in every row. The builder copies each array, so the caller
 * may reuse its arrays after {@link Builder#build()}.
 */
public final class Batch {
    private final int rowCount;
    private final Map<String, Object> columns;

    private Batch(int rowCount, Map<String, Object> columns) {
        this.rowCount = rowCount;
        this.columns = Collections.unmodifiableMap(columns);
    }

    /** A builder for a batch of {@code rowCount} rows (0 or more). */
    public static Builder builder(int rowCount) {
        return new Builder(rowCount);
    }

    /** The number of rows. */
    public int rowCount() {
        return rowCount;
    }

    /** The column names. */
    public Set<String> columnNames() {
        return columns.keySet();
    }

    /** The column's values ({@code double[]}, {@code long[]}, {@code boolean[]} or {@code String[]}), not copied; {@code null} if absent. */
    /** The columns by name, as the caller gave them (for binding). */
    Map<String, Object> columns() {
        return columns;
    }


    @Override
    public String toString() {
        return "Batch{" + rowCount + " rows, columns=" + columns.keySet() + "}";
    }

    /** Builds a {@link Batch}; every setter copies its array. */
    public static final class Builder {
        private final int rowCount;
        private final Map<String, Object> columns = new LinkedHashMap<>();

        private Builder(int rowCount) {
            if (rowCount < 0) {
                throw new IllegalArgumentException("rowCount must not be negative, got " + rowCount);
            }
            this.rowCount = rowCount;
        }

        /** Numbers; {@code NaN} marks a missing value. */
        public Builder doubles(String name, double[] values) {
            return put(name, Objects.requireNonNull(values, "values of column '" + name + "'").clone(), values.length);
        }

        /** Whole numbers. */
        public Builder longs(String name, long[] values) {
            return put(name, Objects.requireNonNull(values, "values of column '" + name + "'").clone(), values.length);
        }

        /** Booleans. */
        public Builder booleans(String name, boolean[] values) {
            return put(name, Objects.requireNonNull(values, "values of column '" + name + "'").clone(), values.length);
        }

        /** Strings (categories, or numbers as text); {@code null} marks a missing value. */
        public Builder strings(String name, String[] values) {
            return put(name, Objects.requireNonNull(values, "values of column '" + name + "'").clone(), values.length);
        }

        /** The batch of the columns set so far; an input without a column is missing in every row. */
        public Batch build() {
            return new Batch(rowCount, new LinkedHashMap<>(columns));
        }

        private Builder put(String name, Object values, int length) {
            Objects.requireNonNull(name, "column name");
            if (columns.containsKey(name)) {
                throw new IllegalArgumentException("column '" + name + "' is given twice");
            }
            if (rowCount == 0 ? length != 0 : length == 0 || length % rowCount != 0) {
                throw new IllegalArgumentException("column '" + name + "' has " + length + " values for " + rowCount
                        + " rows; expected " + rowCount + " (or a multiple, for a tensor input)");
            }
            columns.put(name, values);
            return this;
        }
    }
}

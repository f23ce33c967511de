package dev.handoff;

import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.ScorerStats.RowFailureKind;
import dev.handoff.internal.shape.OutputSchema;
import dev.handoff.internal.shape.ShapedRows;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The outcome of every row of a list of records or a {@link Batch}, row {@code i} for input row
 * {@code i}: a prediction, or the {@link InvalidInputException} that says why the row was not scored.
 * One bad row never costs the others their predictions.
 *
 * <pre>{@code
 * Predictions ps = scorer.scoreAll(records);
 * for (InvalidInputException bad : ps.failures()) {
 *     log.warn("row {} skipped: {}", bad.row(), bad.getMessage());
 * }
 * double[] churn = ps.probabilities("1");   // NaN in the failed rows
 * String[] labels = ps.labels();            // null in the failed rows
 * for (Prediction p : ps) {
 *     if (!p.failed()) { ... }
 * }
 * }</pre>
 *
 * <p>Read it by row ({@link #get(int)}, iteration) or by column ({@link #labels()},
 * {@link #probabilities(String)}, {@link #values()}, {@link #outputs(String)}), which copies no per-row
 * objects. Immutable, holds no native memory, and stays valid after the scorer is closed.
 */
public final class Predictions implements Iterable<Prediction> {
    private final ShapedRows rows;
    private final OutputSchema schema;
    private final int size;
    private final String[] labels;
    private final double[] probabilities;
    private final double[] values;

    Predictions(ShapedRows rows) {
        this.rows = rows;
        this.schema = rows.schema();
        this.size = rows.size();
        this.labels = rows.labels();
        this.probabilities = rows.probabilities();
        this.values = rows.values();
    }

    /** The number of rows, failed ones included. */
    public int size() {
        return size;
    }

    /** The outcome of row {@code row}: a prediction, or a failure ({@link Prediction#failed()}). */
    public Prediction get(int row) {
        Objects.checkIndex(row, size);
        return new Prediction(this, row);
    }

    /** The rows as a list view. */
    public List<Prediction> asList() {
        return new AbstractList<>() {
            @Override
            public Prediction get(int index) {
                return Predictions.this.get(index);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    @Override
    public Iterator<Prediction> iterator() {
        return asList().iterator();
    }

    /** Whether some row was not scored. */
    public boolean hasFailures() {
        return rows.hasFailures();
    }

    /** The failures of the rows that were not scored, in row order; {@link InvalidInputException#row()} says which. */
    public List<InvalidInputException> failures() {
        if (!rows.hasFailures()) {
            return List.of();
        }
        List<InvalidInputException> list = new ArrayList<>();
        for (int r = 0; r < size; r++) {
            InvalidInputException f = rows.failure(r);
            if (f != null) {
                list.add(f);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /** The predicted class label of every row (a new array; {@code null} for a failed row). */
    public String[] labels() {
        requireLabels("labels()");
        return labels.clone();
    }

    /** The probability of class {@code label} for every row (a new array; {@code NaN} for a failed row). */
    public double[] probabilities(String label) {
        int k = classIndex(label, "probabilities");
        if (probabilities == null) {
            requireProbabilities("probabilities(\"" + label + "\")"); // the message only when it is needed
        }
        int classes = schema.classes().size();
        double[] column = new double[size];
        for (int r = 0; r < size; r++) {
            column[r] = probabilities[r * classes + k];
        }
        return column;
    }

    /** Whether this model gives class probabilities ({@link #probabilities(String)} can be read). */
    public boolean hasProbabilities() {
        return probabilities != null;
    }

    /** The regression value of every row (a new array; {@code NaN} for a failed row). */
    public double[] values() {
        requireValues("values()");
        return values.clone();
    }

    /** The value of output {@code name} for every row, as described in {@link OutputField}; {@code null} for a failed row. */
    public List<Object> outputs(String name) {
        IntFunction<Object> reader = outputReader(name);
        Object[] column = new Object[size];
        for (int r = 0; r < size; r++) {
            int i = scoredRow(r);
            column[r] = i < 0 ? null : reader.apply(i);
        }
        return Collections.unmodifiableList(Arrays.asList(column));
    }

    @Override
    public String toString() {
        return "Predictions{" + size + " rows, " + schema.task() + (!rows.hasFailures() ? "" : ", " + failures().size() + " failed") + "}";
    }

    // ---- row access for Prediction ----

    /** What this view reads, for re-numbering a chunk's failures ({@link RecordStream}). */
    ShapedRows shapedRows() {
        return rows;
    }

    /** The stored failure of row {@code row} (never thrown as it is: see {@link Prediction}), or {@code null}. */
    InvalidInputException failure(int row) {
        return rows.failure(row);
    }

    /** Why row {@code row} failed, or {@code null} when it was scored. */
    RowFailureKind failureKind(int row) {
        return rows.failureKind(row);
    }

    boolean hasLabels() {
        return labels != null;
    }

    boolean hasValues() {
        return values != null;
    }

    String label(int row) {
        requireLabels("label()");
        return labels[row];
    }

    double probability(int row, String label) {
        int k = classIndex(label, "probability");
        if (probabilities == null) {
            requireProbabilities("probability(\"" + label + "\")");
        }
        return probabilities[row * schema.classes().size() + k];
    }

    double probabilityAt(int row, int classIndex) {
        requireProbabilities("probabilities()");
        return probabilities[row * schema.classes().size() + classIndex];
    }

    List<String> classes() {
        return schema.classes();
    }

    double value(int row) {
        requireValues("value()");
        return values[row];
    }

    Object output(int row, String name) {
        IntFunction<Object> reader = outputReader(name);
        return reader.apply(scoredRow(row));
    }

    ModelTask task() {
        return schema.task();
    }

    private int scoredRow(int row) {
        return rows.scoredRow(row);
    }

    private void requireLabels(String call) {
        if (labels == null) {
            throw new UnsupportedOperationException(call + " needs a classifier, but this model's task is " + schema.task()
                    + (schema.task() == ModelTask.OTHER ? " (give its class labels in ScorerOptions.classes to use it as one)" : ""));
        }
    }

    private void requireProbabilities(String call) {
        if (probabilities == null) {
            throw new UnsupportedOperationException(call + " needs class probabilities, but this " + schema.task()
                    + " model gives none" + (labels != null ? " (it gives labels only)" : ""));
        }
    }

    private void requireValues(String call) {
        if (values == null) {
            throw new UnsupportedOperationException(call + " needs a regression model, but this model's task is " + schema.task());
        }
    }

    private int classIndex(String label, String call) {
        if (label == null) {
            throw new NullPointerException(call + "(label): the class label is null; the model's classes are " + schema.classes());
        }
        Integer k = schema.classIndex(label);
        if (k == null) {
            requireLabels(call + "(\"" + label + "\")");
            throw new IllegalArgumentException("unknown class '" + label + "'; the model's classes are " + schema.classes());
        }
        return k;
    }

    private IntFunction<Object> outputReader(String name) {
        OutputField field = name == null ? null : schema.outputs().get(name);
        if (field == null) {
            throw new IllegalArgumentException("unknown output '" + name + "'; the model's outputs are " + schema.outputs().keySet());
        }
        IntFunction<Object>[] outputs = rows.outputs();
        IntFunction<Object> reader = outputs == null ? null : outputs[schema.outputIndex(name)];
        return reader != null ? reader : row -> null; // no row reached the model
    }

    Optional<InvalidInputException> failureOf(int row) {
        return Optional.ofNullable(failure(row));
    }
}

package dev.handoff;

import dev.handoff.spi.ScoredRows;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The predictions for a list of records or a {@link Batch}, row {@code i} for input row {@code i}.
 * Read it by row ({@link #get(int)}, iteration) or by column ({@link #labels()},
 * {@link #probabilities(String)}, {@link #values()}), which copies no per-row objects.
 *
 * <pre>{@code
 * Predictions ps = scorer.score(Batch.builder(n).doubles("tenure_months", tenure).strings("plan", plans).build());
 * double[] churn = ps.probabilities("1");
 * String[] labels = ps.labels();
 * for (Prediction p : ps) { ... }
 * }</pre>
 *
 * <p>Immutable, holds no native memory, and stays valid after the scorer is closed.
 */
public final class Predictions implements Iterable<Prediction> {
    private final OutputShape shape;
    private final ScoredRows rows;
    private final String[] labels;

    Predictions(OutputShape shape, ScoredRows rows, String[] labels) {
        this.shape = shape;
        this.rows = rows;
        this.labels = labels;
    }

    /** The number of rows. */
    public int size() {
        return rows.rowCount();
    }

    /** The prediction of row {@code row}. */
    public Prediction get(int row) {
        if (row < 0 || row >= size()) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size() + " predictions");
        }
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
                return Predictions.this.size();
            }
        };
    }

    @Override
    public Iterator<Prediction> iterator() {
        return asList().iterator();
    }

    /** The predicted class label of every row (a copy). */
    public String[] labels() {
        requireClassifier("labels()");
        return labels.clone();
    }

    /** The probability of class {@code label} for every row (a new array). */
    public double[] probabilities(String label) {
        int k = classIndex(label);
        double[] p = probabilityMatrix("probabilities(\"" + label + "\")");
        int classes = shape.classes.size();
        double[] column = new double[size()];
        for (int r = 0; r < column.length; r++) {
            column[r] = p[r * classes + k];
        }
        return column;
    }

    /** The regression value of every row (a copy). */
    public double[] values() {
        return regressionValues("values()").clone();
    }

    /** The value of output {@code name} for every row, as described in {@link OutputField}. */
    public List<Object> outputs(String name) {
        IntFunction<Object> reader = outputReader(name);
        Object[] values = new Object[size()];
        for (int r = 0; r < values.length; r++) {
            values[r] = reader.apply(r);
        }
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(values));
    }

    @Override
    public String toString() {
        return "Predictions{" + size() + " rows, " + shape.task + "}";
    }

    // ---- row access for Prediction ----

    String label(int row) {
        requireClassifier("label()");
        return labels[row];
    }

    double probability(int row, String label) {
        int k = classIndex(label);
        return probabilityMatrix("probability(\"" + label + "\")")[row * shape.classes.size() + k];
    }

    double probabilityAt(int row, int classIndex) {
        return probabilityMatrix("probabilities()")[row * shape.classes.size() + classIndex];
    }

    List<String> classes() {
        return shape.classes;
    }

    double value(int row) {
        return regressionValues("value()")[row];
    }

    Object output(int row, String name) {
        return outputReader(name).apply(row);
    }

    ModelTask task() {
        return shape.task;
    }

    private void requireClassifier(String call) {
        if (labels == null) {
            throw new IllegalStateException(call + " needs a classifier, but this model's task is " + shape.task
                    + (shape.task == ModelTask.OTHER ? " (give its class labels in ScorerOptions.classes to use it as one)" : ""));
        }
    }

    private int classIndex(String label) {
        Integer k = shape.classIndex.get(label);
        if (k == null) {
            if (shape.classes.isEmpty()) {
                requireClassifier("probability(\"" + label + "\")");
            }
            throw new IllegalArgumentException("unknown class '" + label + "'; the model's classes are " + shape.classes);
        }
        return k;
    }

    private double[] probabilityMatrix(String call) {
        double[] p = rows.probabilities();
        if (p == null) {
            throw new IllegalStateException(call + " needs class probabilities, but this " + shape.task + " model gives none");
        }
        return p;
    }

    private double[] regressionValues(String call) {
        double[] v = rows.values();
        if (v == null) {
            throw new IllegalStateException(call + " needs a regression model, but this model's task is " + shape.task);
        }
        return v;
    }

    private IntFunction<Object> outputReader(String name) {
        IntFunction<Object> reader = rows.outputs().get(name);
        if (reader == null) {
            throw new IllegalArgumentException("unknown output '" + name + "'; the model's outputs are " + rows.outputs().keySet());
        }
        return reader;
    }
}

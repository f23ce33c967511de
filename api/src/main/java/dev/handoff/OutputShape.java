package dev.handoff;

import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.internal.ClassLabels;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.ScoredRows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The one output contract of Handoff, for every runtime: turns what a runtime computed
 * ({@link ScoredRows}) into {@link Predictions}. It converts each named output to the Java type its
 * {@link OutputField} declares, makes label outputs canonical class labels, fills argmax labels,
 * and gives each row its outcome: a prediction, or the {@link InvalidInputException} of a row that
 * failed to bind or for which the model gave no prediction.
 */
final class OutputShape {
    final ModelTask task;
    final List<String> classes;
    final Map<String, Integer> classIndex;
    final Map<String, OutputField> outputs;
    /** Per output name its position in {@link #outputs}. */
    final Map<String, Integer> outputIndex;
    private final OutputField[] outputArray;
    /** Per class, its value as a whole number when its label is one ("7"), for reading int64 labels without a new String. */
    private final long[] classLongs;
    private final boolean[] classIsLong;
    private final List<InputField> inputs;

    OutputShape(ModelTask task, List<String> classes, List<OutputField> outputs, List<InputField> inputs) {
        this.task = task;
        this.classes = List.copyOf(classes);
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < this.classes.size(); k++) {
            index.put(this.classes.get(k), k);
        }
        this.classIndex = Map.copyOf(index);
        Map<String, OutputField> byName = new LinkedHashMap<>();
        for (OutputField o : outputs) {
            byName.put(o.name(), o);
        }
        this.outputs = Collections.unmodifiableMap(byName);
        this.outputArray = byName.values().toArray(new OutputField[0]);
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < outputArray.length; i++) {
            positions.put(outputArray[i].name(), i);
        }
        this.outputIndex = Map.copyOf(positions);
        this.classLongs = new long[this.classes.size()];
        this.classIsLong = new boolean[this.classes.size()];
        for (int k = 0; k < classLongs.length; k++) {
            try {
                classLongs[k] = Long.parseLong(this.classes.get(k));
                classIsLong[k] = Long.toString(classLongs[k]).equals(this.classes.get(k));
            } catch (NumberFormatException e) {
                classIsLong[k] = false;
            }
        }
        this.inputs = List.copyOf(inputs);
    }

    /**
     * Predictions for a call in which no row reached the model (all failed, or none given): a
     * classifier's columns read null labels and NaN probabilities, a regression's NaN values.
     */
    Predictions none(BoundRows bound) {
        int n = bound.rowCount();
        boolean classifier = task == ModelTask.CLASSIFICATION;
        int[] scoredRow = new int[n];
        java.util.Arrays.fill(scoredRow, -1);
        return new Predictions(this, n, classifier ? new String[n] : null, classifier ? nanArray(n * classes.size()) : null,
                task == ModelTask.REGRESSION ? nanArray(n) : null, null, scoredRow, bound.failures());
    }

    /**
     * @param bound the rows as bound, with the rows that failed to bind
     * @param scored what the runtime returned for {@code bound.columns()}
     * @param single whether the caller scored one record (exceptions carry row -1)
     */
    Predictions shape(BoundRows bound, ScoredRows scored, boolean single) {
        int m = bound.columns().rowCount();
        if (scored.rowCount() != m) {
            throw new ScoringException("the runtime returned " + scored.rowCount() + " rows for " + m);
        }
        int k = classes.size();
        double[] probabilities = scored.probabilities();
        if (probabilities != null && probabilities.length != m * k) {
            throw new ScoringException("the runtime returned " + probabilities.length + " probabilities for " + m
                    + " rows and " + k + " classes");
        }
        if (task == ModelTask.REGRESSION && scored.values() == null) {
            throw new ScoringException("the runtime returned no value for a regression");
        }
        @SuppressWarnings("unchecked")
        IntFunction<Object>[] readers = new IntFunction[outputArray.length];
        String[] labels = null;
        for (int o = 0; o < outputArray.length; o++) {
            OutputField field = outputArray[o];
            Object column = scored.output(field.name());
            if (column == null) {
                throw new ScoringException("the runtime returned no column for output '" + field.name() + "'");
            }
            if (field.name().equals(scored.labelOutput())) {
                labels = canonicalLabels(field, column, m);
                String[] canonical = labels;
                readers[o] = r -> canonical[r];
            } else {
                readers[o] = OutputColumn.reader(field, column, m, classes);
            }
        }
        if (task == ModelTask.CLASSIFICATION && labels == null) {
            if (probabilities == null) {
                throw new ScoringException("the runtime returned neither labels nor probabilities for a classifier");
            }
            labels = argmaxLabels(probabilities, m, k);
        }
        if (task != ModelTask.CLASSIFICATION) {
            labels = null;
        }
        double[] values = task == ModelTask.REGRESSION ? scored.values() : null;

        InvalidInputException[] failures = bound.failures();
        for (int i = 0; i < m; i++) {
            InvalidInputException failure = scored.rejected(i);
            String reason = scored.noPrediction(i);
            if (failure == null && (reason != null || !hasPrediction(labels, probabilities, values, i, k))) {
                failure = noPrediction(bound.columns(), i, reason);
            }
            if (failure != null) {
                if (failures == null) {
                    failures = new InvalidInputException[bound.rowCount()];
                }
                failures[bound.sourceRow(i)] = failure.atRow(single ? -1 : bound.sourceRow(i));
            }
        }
        if (failures == null) {
            return new Predictions(this, m, labels, probabilities, values, readers, null, null);
        }
        // scatter the scored rows to their places; failed rows read null / NaN
        int n = bound.rowCount();
        int[] scoredRow = new int[n];
        java.util.Arrays.fill(scoredRow, -1);
        for (int i = 0; i < m; i++) {
            scoredRow[bound.sourceRow(i)] = i;
        }
        String[] allLabels = labels == null ? null : new String[n];
        double[] allProbabilities = probabilities == null ? null : nanArray(n * k);
        double[] allValues = values == null ? null : nanArray(n);
        for (int r = 0; r < n; r++) {
            int i = scoredRow[r];
            if (i < 0 || failures[r] != null) {
                scoredRow[r] = -1;
                continue;
            }
            if (allLabels != null) {
                allLabels[r] = labels[i];
            }
            if (allProbabilities != null) {
                System.arraycopy(probabilities, i * k, allProbabilities, r * k, k);
            }
            if (allValues != null) {
                allValues[r] = values[i];
            }
        }
        return new Predictions(this, n, allLabels, allProbabilities, allValues, readers, scoredRow, failures);
    }

    private boolean hasPrediction(String[] labels, double[] probabilities, double[] values, int row, int k) {
        switch (task) {
            case CLASSIFICATION -> {
                if (labels[row] == null) {
                    return false;
                }
                if (probabilities != null) {
                    for (int c = row * k; c < row * k + k; c++) {
                        if (Double.isNaN(probabilities[c])) {
                            return false;
                        }
                    }
                }
                return true;
            }
            case REGRESSION -> {
                return !Double.isNaN(values[row]);
            }
            default -> {
                return true;
            }
        }
    }

    /** The rejection of a row the model gave no prediction for, naming the row's missing fields. */
    private InvalidInputException noPrediction(InputColumns columns, int row, String reason) {
        List<String> handled = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int f = 0; f < inputs.size(); f++) {
            InputField field = inputs.get(f);
            if (isMissing(columns, f, field, row)) {
                missing.add(field.name());
                if (field.missingValues() == MissingValueTreatment.MODEL_HANDLES) {
                    handled.add(field.name());
                }
            }
        }
        List<String> named = handled.isEmpty() ? missing : handled;
        StringBuilder problem = new StringBuilder("the model gives no prediction for this row");
        if (!named.isEmpty()) {
            problem.append(": ").append(named.size() == 1 ? "field " : "fields ");
            for (int i = 0; i < named.size(); i++) {
                problem.append(i == 0 ? "" : ", ").append('\'').append(named.get(i)).append('\'');
            }
            problem.append(named.size() == 1 ? " is" : " are").append(" missing and the model has no replacement for ")
                    .append(named.size() == 1 ? "it" : "them");
        }
        if (reason != null) {
            problem.append(" (").append(reason).append(')');
        }
        return new InvalidInputException(named.isEmpty() ? null : named.get(0), null, row, problem.toString());
    }

    private static boolean isMissing(InputColumns columns, int f, InputField field, int row) {
        int width = field.type() == ValueType.STRING ? 1 : field.elementsPerRow();
        for (int i = row * width; i < row * width + width; i++) {
            if (columns.isMissing(f, i)) {
                return true;
            }
        }
        return false;
    }

    private String[] canonicalLabels(OutputField field, Object column, int rows) {
        String[] labels = new String[rows];
        if (column instanceof String[] strings && strings.length == rows) {
            for (int r = 0; r < rows; r++) {
                labels[r] = strings[r] == null || strings[r].isEmpty() ? null : strings[r];
            }
        } else if (column instanceof long[] longs && longs.length == rows) {
            for (int r = 0; r < rows; r++) {
                labels[r] = longLabel(longs[r]);
            }
        } else if (column instanceof double[] doubles && doubles.length == rows) {
            for (int r = 0; r < rows; r++) {
                labels[r] = Double.isNaN(doubles[r]) ? null : ClassLabels.canonical(doubles[r]);
            }
        } else if (column instanceof Object[] objects) {
            for (int r = 0; r < rows; r++) {
                labels[r] = objects[r] == null ? null : ClassLabels.canonical(objects[r]);
            }
        } else {
            throw new ScoringException("the label output '" + field.name() + "' must have one value per row, got a "
                    + column.getClass().getSimpleName() + " column");
        }
        return labels;
    }

    /** The class label of an int64 label: the class's own String (no new one per row) when it is a class. */
    private String longLabel(long value) {
        for (int k = 0; k < classLongs.length; k++) {
            if (classIsLong[k] && classLongs[k] == value) {
                return classes.get(k);
            }
        }
        return Long.toString(value);
    }

    private String[] argmaxLabels(double[] probabilities, int n, int k) {
        String[] labels = new String[n];
        for (int r = 0; r < n; r++) {
            int best = -1;
            double bestP = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double p = probabilities[r * k + c];
                if (p > bestP) { // first maximum wins, as numpy.argmax does; NaN never wins
                    bestP = p;
                    best = c;
                }
            }
            labels[r] = best < 0 ? null : classes.get(best);
        }
        return labels;
    }

    private static double[] nanArray(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }
}

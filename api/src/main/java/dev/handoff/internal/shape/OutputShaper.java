package dev.handoff.internal.shape;

import dev.handoff.InputField;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.InvalidInputException;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.OutputField;
import dev.handoff.ScorerStats.RowFailureKind;
import dev.handoff.ScoringException;
import dev.handoff.internal.ClassLabels;
import dev.handoff.internal.bind.BoundRows;
import dev.handoff.internal.bind.InputFindings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The third stage of a call, the one output contract of Handoff for every runtime: turns what a
 * runtime wrote ({@link RuntimeOutput}) into every row's outcome ({@link ShapedRows}). It converts each
 * named output to the Java type its {@link OutputField} declares, makes label outputs canonical class
 * labels, fills argmax labels, and records the rows the model rejected or gave no prediction for. It
 * reads what binding handed forward (failures, missing values), never the inputs.
 */
public final class OutputShaper {
    private final OutputSchema schema;
    private final List<InputField> inputs;
    /** Per class, its value as a whole number when its label is one ("7"), for reading int64 labels without a new String. */
    private final long[] classLongs;
    private final boolean[] classIsLong;

    public OutputShaper(OutputSchema schema, List<InputField> inputs) {
        this.schema = schema;
        this.inputs = List.copyOf(inputs);
        List<String> classes = schema.classes();
        this.classLongs = new long[classes.size()];
        this.classIsLong = new boolean[classes.size()];
        for (int k = 0; k < classLongs.length; k++) {
            try {
                classLongs[k] = Long.parseLong(classes.get(k));
                classIsLong[k] = Long.toString(classLongs[k]).equals(classes.get(k));
            } catch (NumberFormatException e) {
                classIsLong[k] = false;
            }
        }
    }

    public OutputSchema schema() {
        return schema;
    }

    /** A collector for a runtime's output of {@code rows} rows. */
    public RuntimeOutput newOutput(int rows) {
        return new RuntimeOutput(rows, schema.classes().size());
    }

    /**
     * Outcomes for a call in which no row reached the model (all failed, or none given): a
     * classifier's columns read null labels and NaN probabilities, a regression's NaN values.
     */
    public ShapedRows none(BoundRows bound) {
        int n = bound.rowCount();
        ModelTask task = schema.task();
        boolean classifier = task == ModelTask.CLASSIFICATION;
        int[] scoredRow = new int[n];
        Arrays.fill(scoredRow, -1);
        return new ShapedRows(schema, n, classifier ? new String[n] : null,
                classifier ? nanArray(n * schema.classes().size()) : null, task == ModelTask.REGRESSION ? nanArray(n) : null,
                null, scoredRow, bound.failures(), null, null);
    }

    /**
     * @param bound the rows as bound, with the rows that failed to bind
     * @param out what the runtime wrote for {@code bound.columns()}
     * @param single whether the caller scored one record (exceptions carry row -1)
     */
    public ShapedRows shape(BoundRows bound, RuntimeOutput out, boolean single) {
        out.checkComplete();
        int m = out.rowCount();
        List<String> classes = schema.classes();
        int k = classes.size();
        ModelTask task = schema.task();
        double[] probabilities = out.probabilities;
        if (task == ModelTask.REGRESSION && out.values == null) {
            throw new ScoringException("the runtime returned no value for a regression");
        }
        OutputField[] outputArray = schema.outputArray;
        @SuppressWarnings("unchecked")
        IntFunction<Object>[] readers = new IntFunction[outputArray.length];
        String[] labels = null;
        for (int o = 0; o < outputArray.length; o++) {
            OutputField field = outputArray[o];
            Object column = out.output(field.name());
            if (column == null) {
                throw new ScoringException("the runtime returned no column for output '" + field.name() + "'");
            }
            if (field.name().equals(out.labelOutput)) {
                labels = canonicalLabels(field, column, m);
                String[] canonical = labels;
                readers[o] = r -> canonical[r];
            } else {
                readers[o] = OutputConversion.reader(field, column, m, classes);
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
        double[] values = task == ModelTask.REGRESSION ? out.values : null;

        InvalidInputException[] modelFailures = null;
        RowFailureKind[] kinds = null;
        for (int i = 0; i < m; i++) {
            InvalidInputException failure = out.rejected == null ? null : out.rejected[i];
            RowFailureKind kind = RowFailureKind.REJECTED_BY_MODEL;
            String reason = out.noPrediction == null ? null : out.noPrediction[i];
            int row = bound.sourceRow(i);
            if (failure == null && (reason != null || !hasPrediction(labels, probabilities, values, i, k))) {
                failure = noPrediction(bound.findings(), row, reason);
                kind = RowFailureKind.NO_PREDICTION;
            }
            if (failure != null) {
                if (modelFailures == null) {
                    modelFailures = new InvalidInputException[bound.rowCount()];
                    kinds = new RowFailureKind[bound.rowCount()];
                }
                modelFailures[row] = atRow(failure, single ? -1 : row);
                kinds[row] = kind;
            }
        }
        InvalidInputException[] bindFailures = bound.failures();
        if (bindFailures == null && modelFailures == null) {
            return new ShapedRows(schema, m, labels, probabilities, values, readers, null, null, null, null);
        }
        // scatter the scored rows to their places; failed rows read null / NaN
        int n = bound.rowCount();
        int[] scoredRow = new int[n];
        Arrays.fill(scoredRow, -1);
        String[] allLabels = labels == null ? null : new String[n];
        double[] allProbabilities = probabilities == null ? null : nanArray(n * k);
        double[] allValues = values == null ? null : nanArray(n);
        for (int i = 0; i < m; i++) {
            int r = bound.sourceRow(i);
            if (modelFailures != null && modelFailures[r] != null) {
                continue;
            }
            scoredRow[r] = i;
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
        return new ShapedRows(schema, n, allLabels, allProbabilities, allValues, readers, scoredRow, bindFailures,
                modelFailures, kinds);
    }

    private static InvalidInputException atRow(InvalidInputException failure, int row) {
        return failure.row() == row ? failure
                : new InvalidInputException(failure.field(), failure.value(), row, failure.problem(), failure.setting().orElse(null));
    }

    private boolean hasPrediction(String[] labels, double[] probabilities, double[] values, int row, int k) {
        switch (schema.task()) {
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

    /** The rejection of a row the model gave no prediction for, naming the row's missing fields as binding found them. */
    private InvalidInputException noPrediction(InputFindings findings, int row, String reason) {
        List<String> handled = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int f = 0; f < inputs.size(); f++) {
            InputField field = inputs.get(f);
            if (findings.isMissing(f, row)) {
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
                return schema.classes().get(k);
            }
        }
        return Long.toString(value);
    }

    private String[] argmaxLabels(double[] probabilities, int n, int k) {
        List<String> classes = schema.classes();
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
        Arrays.fill(a, Double.NaN);
        return a;
    }
}

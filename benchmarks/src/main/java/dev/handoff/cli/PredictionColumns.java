package dev.handoff.cli;

import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.OutputField;
import dev.handoff.Prediction;
import dev.handoff.Scorer;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The prediction columns of {@code score} and {@code verify}, in the layout of the corpus
 * {@code expected.csv}: a classifier gives {@code label} and {@code probability(<class>)} for each
 * class in {@link Scorer#classes()} order; a regression gives {@code value}; a model of task
 * {@link ModelTask#OTHER} gives one column per {@linkplain Scorer#outputs() output}, named after it.
 *
 * <p>Numbers are written as Python's {@code repr} writes them ({@link PythonFloatFormat}). An output
 * with several values per row is written as its values separated by single spaces (row-major); a
 * map output as {@code key:value} pairs separated by spaces.
 */
final class PredictionColumns {
    static final String LABEL = "label";
    static final String VALUE = "value";

    private final ModelTask task;
    private final List<String> classes;
    private final List<String> outputNames;
    private final List<String> names;

    private PredictionColumns(ModelTask task, List<String> classes, List<String> outputNames) {
        this.task = task;
        this.classes = classes;
        this.outputNames = outputNames;
        List<String> n = new ArrayList<>();
        switch (task) {
            case CLASSIFICATION -> {
                n.add(LABEL);
                classes.forEach(c -> n.add("probability(" + c + ")"));
            }
            case REGRESSION -> n.add(VALUE);
            case OTHER -> n.addAll(outputNames);
        }
        this.names = List.copyOf(n);
    }

    static PredictionColumns of(Scorer scorer) {
        return new PredictionColumns(scorer.info().task(), scorer.classes(),
                scorer.outputs().stream().map(OutputField::name).toList());
    }

    /** The column names. */
    List<String> names() {
        return names;
    }

    /** The cells of a scored row, one per {@link #names()}. */
    List<String> cells(Prediction p) {
        List<String> cells = new ArrayList<>(names.size());
        switch (task) {
            case CLASSIFICATION -> {
                cells.add(p.label());
                Map<String, Double> probabilities = p.hasProbabilities() ? p.probabilities() : null;
                for (String c : classes) {
                    cells.add(probabilities == null ? "" : PythonFloatFormat.repr(probabilities.get(c)));
                }
            }
            case REGRESSION -> cells.add(PythonFloatFormat.repr(p.value()));
            case OTHER -> outputNames.forEach(name -> cells.add(text(p.output(name))));
        }
        return cells;
    }

    /** The cells of a row that could not be scored: all empty, as the corpus writes "no prediction". */
    List<String> emptyCells() {
        return Collections.nCopies(names.size(), "");
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return PythonFloatFormat.repr(d);
        }
        if (value instanceof Map<?, ?> map) {
            StringJoiner joiner = new StringJoiner(" ");
            map.forEach((k, v) -> joiner.add(k + ":" + text(v)));
            return joiner.toString();
        }
        if (value.getClass().isArray()) {
            StringJoiner joiner = new StringJoiner(" ");
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                joiner.add(text(Array.get(value, i)));
            }
            return joiner.toString();
        }
        return value.toString();
    }
}

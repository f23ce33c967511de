package dev.handoff;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prediction for one record.
 *
 * <pre>{@code
 * Prediction p = scorer.score(Map.of("tenure_months", 14, "plan", "plus"));
 * String label = p.label();                       // "0" / "1"
 * double churn = p.probability("1");
 * Map<String, Double> all = p.probabilities();    // in scorer.classes() order
 * }</pre>
 *
 * <p>Classifiers fill {@link #label()} and the probabilities; regressions fill {@link #value()};
 * every model fills {@link #output(String)} for each of {@link Scorer#outputs()}. Asking a
 * regression for a label (or a classifier for a value) throws {@link IllegalStateException}.
 * Immutable; holds no native memory.
 */
public final class Prediction {
    private final Predictions rows;
    private final int row;

    Prediction(Predictions rows, int row) {
        this.rows = rows;
        this.row = row;
    }

    /** The predicted class, in the canonical string form of {@link Scorer#classes()}. */
    public String label() {
        return rows.label(row);
    }

    /** The probability of class {@code label}; throws {@link IllegalArgumentException} for a label not in {@link Scorer#classes()}. */
    public double probability(String label) {
        return rows.probability(row, label);
    }

    /** Every class's probability, ordered as {@link Scorer#classes()}. */
    public Map<String, Double> probabilities() {
        List<String> classes = rows.classes();
        Map<String, Double> map = new LinkedHashMap<>(classes.size() * 2);
        for (int k = 0; k < classes.size(); k++) {
            map.put(classes.get(k), rows.probabilityAt(row, k));
        }
        return Collections.unmodifiableMap(map);
    }

    /** The regression target. */
    public double value() {
        return rows.value(row);
    }

    /** The value of a named model output, as plain Java (see {@link OutputField}). */
    public Object output(String name) {
        return rows.output(row, name);
    }

    @Override
    public String toString() {
        return switch (rows.task()) {
            case CLASSIFICATION -> "Prediction{label=" + label() + ", probabilities=" + safeProbabilities() + "}";
            case REGRESSION -> "Prediction{value=" + value() + "}";
            case OTHER -> "Prediction{row=" + row + "}";
        };
    }

    private Object safeProbabilities() {
        try {
            return probabilities();
        } catch (IllegalStateException none) {
            return "none";
        }
    }
}

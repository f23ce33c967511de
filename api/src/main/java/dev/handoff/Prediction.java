package dev.handoff;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one record: a prediction, or (in a batch) the reason the row was not scored.
 *
 * <pre>{@code
 * Prediction p = scorer.score(Map.of("tenure_months", 14, "plan", "plus"));
 * String label = p.label();                       // "0" / "1"
 * double churn = p.probability("1");
 * Map<String, Double> all = p.probabilities();    // in scorer.classes() order
 * }</pre>
 *
 * <p>It tells what it has: {@link #hasLabel()} and {@link #hasProbabilities()} for a classifier,
 * {@link #hasValue()} for a regression; every model fills {@link #output(String)} for each of
 * {@link Scorer#outputs()}. Asking for what the model does not give (a label of a regression) throws
 * {@link UnsupportedOperationException}. A row of a batch that was not scored is {@link #failed()}: its
 * accessors throw its {@link InvalidInputException}, which {@link #failure()} also returns.
 * Immutable; holds no native memory.
 */
public final class Prediction {
    private final Predictions rows;
    private final int row;

    Prediction(Predictions rows, int row) {
        this.rows = rows;
        this.row = row;
    }

    /** Whether this row was not scored; {@link #failure()} says why. Never true for {@link Scorer#score(Map)}. */
    public boolean failed() {
        return rows.failure(row) != null;
    }

    /** Why this row was not scored, or empty when it was. */
    public Optional<InvalidInputException> failure() {
        return rows.failureOf(row);
    }

    /** Whether {@link #label()} can be read: a classifier's row that was scored. */
    public boolean hasLabel() {
        return !failed() && rows.hasLabels();
    }

    /** Whether {@link #probability(String)} and {@link #probabilities()} can be read. */
    public boolean hasProbabilities() {
        return !failed() && rows.hasProbabilities();
    }

    /** Whether {@link #value()} can be read: a regression's row that was scored. */
    public boolean hasValue() {
        return !failed() && rows.hasValues();
    }

    /** The predicted class, in the canonical string form of {@link Scorer#classes()}. */
    public String label() {
        requireScored();
        return rows.label(row);
    }

    /**
     * The probability of class {@code label}.
     *
     * @throws IllegalArgumentException for a label not in {@link Scorer#classes()}
     */
    public double probability(String label) {
        requireScored();
        return rows.probability(row, label);
    }

    /** Every class's probability, ordered as {@link Scorer#classes()}. */
    public Map<String, Double> probabilities() {
        requireScored();
        List<String> classes = rows.classes();
        Map<String, Double> map = new LinkedHashMap<>(classes.size() * 2);
        for (int k = 0; k < classes.size(); k++) {
            map.put(classes.get(k), rows.probabilityAt(row, k));
        }
        return Collections.unmodifiableMap(map);
    }

    /** The regression target. */
    public double value() {
        requireScored();
        return rows.value(row);
    }

    /** The value of a named model output, as plain Java (see {@link OutputField}). */
    public Object output(String name) {
        requireScored();
        return rows.output(row, name);
    }

    private void requireScored() {
        InvalidInputException failure = rows.failure(row);
        if (failure != null) {
            throw failure.thrownAgain();
        }
    }

    @Override
    public String toString() {
        if (failed()) {
            return "Prediction{failed: " + rows.failure(row).getMessage() + "}";
        }
        return switch (rows.task()) {
            case CLASSIFICATION -> "Prediction{label=" + label() + (hasProbabilities() ? ", probabilities=" + probabilities() : "") + "}";
            case REGRESSION -> "Prediction{value=" + value() + "}";
            case OTHER -> "Prediction{row=" + row + "}";
        };
    }
}

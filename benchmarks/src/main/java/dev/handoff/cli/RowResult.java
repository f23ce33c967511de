package dev.handoff.cli;

import dev.handoff.Prediction;

/**
 * The outcome of one input row: its prediction, or why it could not be scored.
 *
 * @param prediction the prediction, {@code null} when the row failed
 * @param error the {@link dev.handoff.InvalidInputException} message, {@code null} when the row was scored
 */
record RowResult(Prediction prediction, String error) {

    static RowResult scored(Prediction prediction) {
        return new RowResult(prediction, null);
    }

    static RowResult failed(String error) {
        return new RowResult(null, error);
    }

    boolean isScored() {
        return prediction != null;
    }
}

package dev.handoff;

/**
 * Why a row got no prediction, as {@link ScorerStats#failedRows(RowFailureKind)} counts it.
 *
 * <pre>{@code
 * long bad = scorer.stats().failedRows(RowFailureKind.INVALID_INPUT);
 * }</pre>
 */
public enum RowFailureKind {
    /** Input binding rejected the row: a missing or malformed value, an unknown category under ERROR, a key the model does not read. */
    INVALID_INPUT,
    /** The runtime refused a value (for example a PMML field with {@code invalidValueTreatment="returnInvalid"}). */
    REJECTED_BY_MODEL,
    /** The model was run and gave no prediction (a missing value it has no replacement for). */
    NO_PREDICTION
}

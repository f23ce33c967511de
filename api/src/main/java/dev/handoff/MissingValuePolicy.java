package dev.handoff;

/**
 * Whether a scorer hands missing values to the model or rejects every record that has one.
 *
 * <pre>{@code
 * ScorerOptions strict = ScorerOptions.builder()
 *         .missingValues(MissingValuePolicy.REJECT)   // never score an incomplete record
 *         .build();
 * }</pre>
 *
 * <p>A value is missing when the key is absent or the value is {@code null}, {@code NaN} or an empty
 * string.
 */
public enum MissingValuePolicy {
    /**
     * The default: a missing value goes to the model wherever the input's
     * {@link InputField#missingValues() treatment} allows it, so the model's own treatment applies, as in
     * the framework that trained it. A record is rejected only where the input is
     * {@link MissingValueTreatment#NOT_ACCEPTED}, or when the model gives no prediction for it.
     */
    TO_MODEL,
    /** Any missing value rejects the record with an {@link InvalidInputException} naming the field. */
    REJECT
}

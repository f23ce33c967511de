package dev.handoff;

/**
 * What a scorer does when a record has no usable value for a {@linkplain InputField#required()
 * required} input: the key is absent, or the value is {@code null}, {@code NaN} or an empty string.
 *
 * <pre>{@code
 * ScorerOptions options = ScorerOptions.builder()
 *         .missingFields(MissingFieldPolicy.AS_MISSING)
 *         .build();
 * }</pre>
 *
 * <p>A missing value for an input that is not required is always handed to the model as missing, so
 * the model's own treatment applies (PMML {@code missingValueReplacement}, an ONNX {@code Imputer}
 * fed by {@code NaN}): that is what the training framework did.
 */
public enum MissingFieldPolicy {
    /** Throw {@link InvalidInputException} naming the field. The default. */
    ERROR,
    /**
     * Hand the model a missing value anyway: {@code NaN} for numbers, an empty string for ONNX string
     * tensors, a missing value for PMML. If the model then produces no prediction, scoring throws
     * {@link InvalidInputException}.
     */
    AS_MISSING
}

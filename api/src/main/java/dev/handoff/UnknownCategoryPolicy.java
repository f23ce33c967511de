package dev.handoff;

/**
 * What a scorer does with a string value that is not among an input's declared
 * {@linkplain InputField#categories() categories}. Only inputs that declare categories (PMML
 * categorical fields) are checked; {@link #ERROR} and {@link #AS_MISSING} fail at load for a model
 * whose string inputs declare none (an ONNX graph), rather than being silently ignored.
 *
 * <pre>{@code
 * ScorerOptions options = ScorerOptions.builder()
 *         .unknownCategories(UnknownCategoryPolicy.ERROR)
 *         .build();
 * }</pre>
 */
public enum UnknownCategoryPolicy {
    /**
     * Hand the value to the model unchanged, so that the model's own treatment applies (PMML
     * {@code invalidValueTreatment}, for example {@code asIs} from scikit-learn's
     * {@code OneHotEncoder(handle_unknown='ignore')}). This reproduces what the training framework
     * did, and is the default.
     */
    AS_MODEL_DECLARES,
    /** Throw {@link InvalidInputException} naming the field, the value and the known categories. */
    ERROR,
    /** Replace the value by a missing value, which then goes to the model as any missing value does. */
    AS_MISSING
}

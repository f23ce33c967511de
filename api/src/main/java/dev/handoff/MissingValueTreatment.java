package dev.handoff;

/**
 * What the model does with a missing value of one input, as read from the model file.
 *
 * <pre>{@code
 * for (InputField f : scorer.inputs()) {
 *     if (f.missingValues() == MissingValueTreatment.NOT_ACCEPTED) {
 *         System.out.println(f.name() + " must always be given");
 *     }
 * }
 * }</pre>
 *
 * <p>Under the default {@link MissingValuePolicy#TO_MODEL} a missing value ({@code null}, {@code NaN},
 * {@code ""} or an absent key) goes to the model wherever the treatment is not {@link #NOT_ACCEPTED}, so
 * the model decides, as the training framework did.
 */
public enum MissingValueTreatment {
    /**
     * The model takes a missing value and handles it itself: tree default directions (XGBoost,
     * LightGBM, scikit-learn HistGradientBoosting), PMML {@code missingValueStrategy} and surrogate
     * predicates (R rpart), an ONNX {@code Imputer} fed by {@code NaN}. If the model then gives no
     * prediction for the row (a PMML regression without a replacement, {@code NaN} out of an ONNX
     * graph), the row is rejected naming its missing fields.
     */
    MODEL_HANDLES,
    /** The model replaces a missing value by a value it declares (PMML {@code missingValueReplacement}). */
    MODEL_REPLACES,
    /**
     * The model format cannot carry a missing value for this input (ONNX integer, boolean and string
     * tensors) or the model declares it invalid (PMML {@code missingValueTreatment="returnInvalid"}):
     * a record without a value for it is rejected.
     */
    NOT_ACCEPTED
}

package dev.handoff;

/**
 * The type of an input or output value, as the model declares it.
 *
 * <pre>{@code
 * for (InputField f : scorer.inputs()) {
 *     System.out.println(f.name() + ": " + f.type());
 * }
 * }</pre>
 *
 * <p>Any Java {@link Number} (or a numeric string) is accepted for the numeric types; the model's
 * own precision (for example ONNX float32) applies inside the runtime.
 */
public enum ValueType {
    /** 64-bit floating point. */
    DOUBLE,
    /** 32-bit floating point (most ONNX graphs exported from scikit-learn and PyTorch). */
    FLOAT,
    /** A whole number (ONNX int32/int64, PMML integer). */
    INTEGER,
    /** {@code true}/{@code false}. */
    BOOLEAN,
    /** Text, usually a category. */
    STRING,
    /** Output only: a map from class label to probability (the ZipMap output of skl2onnx). */
    MAP
}

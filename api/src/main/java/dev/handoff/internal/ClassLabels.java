package dev.handoff.internal;

/**
 * The canonical string form of a class label, shared by every runtime so that the same model in
 * ONNX and in PMML has the same {@link dev.handoff.Scorer#classes()}.
 *
 * <pre>{@code
 * ClassLabels.canonical(1L)      // "1"   (skl2onnx int64 labels)
 * ClassLabels.canonical("1")     // "1"   (PMML integer target)
 * ClassLabels.canonical(1.0)     // "1"   (a float label that holds a whole number)
 * ClassLabels.canonical("setosa")// "setosa"
 * }</pre>
 */
public final class ClassLabels {
    private ClassLabels() {
    }

    /** Integers in decimal without a fraction, whole floating-point numbers likewise, strings unchanged. */
    public static String canonical(Object label) {
        if (label instanceof String s) {
            return s;
        }
        if (label instanceof Long || label instanceof Integer || label instanceof Short || label instanceof Byte) {
            return Long.toString(((Number) label).longValue());
        }
        if (label instanceof Double || label instanceof Float) {
            double d = ((Number) label).doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return Double.toString(d);
        }
        return String.valueOf(label);
    }
}

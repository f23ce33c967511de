package dev.handoff.internal.tree;

/**
 * ONNX Runtime's post-transform formulas for tree ensembles ({@code ml_common.h}), in its float arithmetic:
 * the same operations in the same order, each rounded to float as C++ rounds them.
 *
 * <pre>{@code
 * float p = OrtMath.logistic(score);   // 1 / (1 + exp(-|x|)), mirrored for x < 0
 * }</pre>
 *
 * <p>C's {@code expf} and {@code logf} are computed as {@code (float) Math.exp(x)} and {@code (float) Math.log(x)}:
 * the double result rounded once to float. glibc's float functions are not all correctly rounded, so a result
 * may differ from ONNX Runtime's in the last place; the parity tests measure where.
 */
public final class OrtMath {
    private static final float SQRT2 = (float) Math.sqrt(2.0);
    private static final float ERF_INV_A = 0.147f;
    private static final float ERF_INV_TWO_OVER_PI_A = 2 / ((float) Math.PI * ERF_INV_A);
    private static final float ERF_INV_ONE_OVER_A = 1 / ERF_INV_A;

    private OrtMath() {
    }

    /** C's {@code expf}. */
    static float exp(float x) {
        return (float) Math.exp(x);
    }

    /** ONNX Runtime's {@code ComputeLogistic}. */
    public static float logistic(float x) {
        float v = 1 / (1 + exp(-Math.abs(x)));
        return x < 0 ? 1 - v : v;
    }

    /** ONNX Runtime's {@code ComputeProbit}: {@code sqrt(2) * ErfInv(2x - 1)} with its ErfInv approximation. */
    public static float probit(float x) {
        return SQRT2 * erfInv(2 * x - 1);
    }

    /** ONNX Runtime's {@code ErfInv} (Winitzki's approximation with a = 0.147), in float. */
    static float erfInv(float x) {
        float sgn = x < 0 ? -1.0f : 1.0f;
        x = (1 - x) * (1 + x);
        float log = (float) Math.log(x);
        float v = ERF_INV_TWO_OVER_PI_A + 0.5f * log;
        float v2 = ERF_INV_ONE_OVER_A * log;
        float v3 = -v + (float) Math.sqrt(v * v - v2);
        return sgn * (float) Math.sqrt(v3);
    }

    /** ONNX Runtime's {@code ComputeSoftmax} over {@code values[off .. off + n)}, in place. */
    public static void softmax(float[] values, int off, int n) {
        float max = -Float.MAX_VALUE;
        for (int k = off; k < off + n; k++) {
            if (values[k] > max) {
                max = values[k];
            }
        }
        float sum = 0f;
        for (int k = off; k < off + n; k++) {
            values[k] = exp(values[k] - max);
            sum += values[k];
        }
        for (int k = off; k < off + n; k++) {
            values[k] = values[k] / sum;
        }
    }
}

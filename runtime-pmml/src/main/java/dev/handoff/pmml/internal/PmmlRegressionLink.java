package dev.handoff.pmml.internal;

import org.dmg.pmml.DataType;
import org.dmg.pmml.regression.RegressionModel;

/**
 * The {@code RegressionModel} that ends a regression {@code modelChain} (JPMML-XGBoost's {@code count:poisson},
 * {@code reg:gamma}, {@code reg:tweedie} and {@code reg:logistic}, JPMML-LightGBM's {@code poisson}): one
 * {@code RegressionTable} over the value of the segment before it, then the {@code normalizationMethod}, as
 * JPMML-Evaluator 1.7.7 computes it ({@code RegressionTableUtil.evaluateRegression}, {@code DoubleValue} /
 * {@code FloatValue}, {@code RegressionModelUtil.normalizeRegressionResult}, {@code TargetUtil.evaluateRegression}).
 *
 * <pre>{@code
 * PmmlRegressionLink link = new PmmlRegressionLink(true, new double[] {1.0}, 0.0, Method.EXP, DataType.FLOAT);
 * double v = link.apply(segmentValue);   // the chain's value, before the cast to the target's type
 * Number boxed = link.box(v);             // the Float or Double JPMML returns
 * }</pre>
 *
 * <p>What JPMML does and this class copies: the value starts at zero and each {@code NumericPredictor} adds
 * {@code coefficient * x} in predictor order, then the intercept is added when it is not zero; in
 * {@code x-mathContext="float"} every operand is narrowed to float first and each step rounds to float, {@code exp}
 * being {@code (float) Math.pow(2.7182817, x)} and pi {@code 3.1415927}; otherwise in double ({@code Math.exp},
 * {@code Math.PI}). {@code softmax} on one table is {@code logit}. The result is cast to the target field's type
 * ({@code TypeUtil.cast}: a converted zero becomes positive zero). {@code probit} ({@code FloatValue} does not
 * implement it) and {@code simplemax} (JPMML refuses it) are not covered.
 */
final class PmmlRegressionLink {
    /** The normalization methods covered. */
    enum Method { NONE, EXP, LOGIT, CLOGLOG, LOGLOG, CAUCHIT }

    private final boolean floats;
    private final double[] coefficients;
    private final double intercept;
    private final Method method;
    private final boolean floatResult;

    /**
     * @param floats       the RegressionModel's {@code x-mathContext} is float
     * @param coefficients one per NumericPredictor, each reading the segment's value (exponent 1)
     * @param resultType   the target field's type: float or double
     */
    PmmlRegressionLink(boolean floats, double[] coefficients, double intercept, Method method, DataType resultType) {
        if (resultType != DataType.FLOAT && resultType != DataType.DOUBLE) {
            throw new PmmlNotCovered("PMML regression target of type " + resultType.value() + " not covered");
        }
        this.floats = floats;
        this.coefficients = coefficients.clone();
        this.intercept = intercept;
        this.method = method;
        this.floatResult = resultType == DataType.FLOAT;
    }

    /** The method JPMML applies for {@code normalizationMethod} on one table, or PmmlNotCovered. */
    static Method method(RegressionModel.NormalizationMethod normalization, boolean floats) {
        switch (normalization) {
            case NONE:
                return Method.NONE;
            case EXP:
                return Method.EXP;
            case LOGIT:
            case SOFTMAX:
                return Method.LOGIT;
            case CLOGLOG:
                return Method.CLOGLOG;
            case LOGLOG:
                return Method.LOGLOG;
            case CAUCHIT:
                return Method.CAUCHIT;
            default:
                throw new PmmlNotCovered("PMML normalizationMethod " + normalization.value() + " of a regression"
                        + (floats ? " in x-mathContext float" : "") + " not covered");
        }
    }

    /** The chain's value for the segment's value {@code x} (as the segment's output holds it); NaN stays NaN. */
    double apply(double x) {
        if (floats) {
            float v = 0f;
            for (double c : coefficients) {
                v += (float) c * (float) x;
            }
            if (intercept != 0d) {
                v += (float) intercept;
            }
            return normalize(v);
        }
        double v = 0d;
        for (double c : coefficients) {
            v += c * x;
        }
        if (intercept != 0d) {
            v += intercept;
        }
        return normalize(v);
    }

    private double normalize(double v) {
        switch (method) {
            case EXP:
                return Math.exp(v);
            case LOGIT:
                return 1d / (1d + Math.exp(-v));
            case CLOGLOG:
                return 1d - Math.exp(-Math.exp(v));
            case LOGLOG:
                return Math.exp(-Math.exp(-v));
            case CAUCHIT:
                return 0.5d + (1d / Math.PI) * Math.atan(v);
            default:
                return v;
        }
    }

    private float normalize(float v) {
        switch (method) {
            case EXP:
                return exp(v);
            case LOGIT:
                return 1f / (1f + exp(-v));
            case CLOGLOG:
                return 1f - exp(-exp(v));
            case LOGLOG:
                return exp(-exp(-v));
            case CAUCHIT:
                return 0.5f + (1f / (float) 3.1415927d) * (float) Math.atan(v);
            default:
                return v;
        }
    }

    /** JPMML's {@code FloatValue.exp}. */
    private static float exp(float x) {
        return (float) Math.pow(2.7182817d, x);
    }

    /** The value cast to the target's type, as a double. */
    double cast(double value) {
        if (floats != floatResult && value == 0) {
            value = 0d;
        }
        return floatResult ? (double) (float) value : value;
    }

    /** The Float or Double JPMML returns for the value. */
    Number box(double value) {
        double v = cast(value);
        return floatResult ? (Number) Float.valueOf((float) v) : (Number) Double.valueOf(v);
    }
}

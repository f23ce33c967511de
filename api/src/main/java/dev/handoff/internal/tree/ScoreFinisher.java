package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.Aggregation;
import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.PostTransform;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;

/**
 * Turns one row's summed leaf weights into its outputs as ONNX Runtime does ({@code FinalizeScores*} in
 * {@code tree_ensemble_aggregator.h}, {@code write_scores} in {@code ml_common.h}): averaging, base values, the
 * classifier's label and two-class rules, and the post-transform. {@link TreeInterpreter} walks and sums; this
 * class finishes.
 *
 * <pre>{@code
 * ScoreFinisher finisher = new ScoreFinisher(model.shape());
 * long label = finisher.finish(scores, hasScore, 0, out, 0);
 * }</pre>
 */
final class ScoreFinisher {
    private final TreeShape model;
    private final boolean floats;
    private final int targets;
    private final boolean average;
    private final double treeCount;
    private final PostTransform transform;
    private final double[] base;
    private final boolean classifier;

    ScoreFinisher(TreeShape model) {
        this.model = model;
        this.floats = model.thresholdType() == ThresholdType.FLOAT;
        this.targets = model.targetCount();
        this.average = model.aggregation() == Aggregation.AVERAGE;
        this.treeCount = model.treeCount();
        this.transform = model.postTransform();
        this.base = model.baseValues();
        this.classifier = model.kind() == Kind.CLASSIFIER;
    }

    TreeShape shape() {
        return model;
    }

    /** The threshold type's rounding: a float model computes each step in float. */
    private double round(double x) {
        return floats ? (double) (float) x : x;
    }

    /** Finishes a single-target regressor's sum ({@code FinalizeScores1}): only PROBIT applies there. */
    long finishSingle(double sum, float[] out, int outOffset) {
        double s = sum;
        if (average) {
            s = round(s / treeCount);
        }
        s = round(s + (base.length == 1 ? base[0] : 0d));
        out[outOffset] = transform == PostTransform.PROBIT ? OrtMath.probit((float) s) : (float) s;
        return 0L;
    }

    /** Finishes the running scores {@code sc/has[from .. from + targets)} of one row (rewritten in place). */
    long finish(double[] sc, boolean[] has, int from, float[] out, int outOffset) {
        if (!classifier) {
            boolean useBase = base.length == targets;
            for (int k = 0; k < targets; k++) {
                double s = sc[from + k];
                if (average) {
                    s = round(s / treeCount);
                }
                if (useBase) {
                    s = round(s + base[k]);
                }
                sc[from + k] = s;
            }
            writeScores(sc, has, from, targets, out, outOffset);
            return 0L;
        }
        if (targets > 2) {
            for (int k = 0; k < base.length; k++) {
                if (!has[from + k]) {
                    has[from + k] = true;
                    sc[from + k] = base[k];
                } else {
                    sc[from + k] = round(sc[from + k] + base[k]);
                }
            }
            int best = -1;
            double bestScore = 0d;
            for (int k = 0; k < targets; k++) {
                if (has[from + k] && (best == -1 || sc[from + k] > bestScore)) {
                    best = k;
                    bestScore = sc[from + k];
                }
            }
            writeScores(sc, has, from, targets, out, outOffset);
            return model.labelCode(best);
        }
        return finishTwoClasses(sc, has, from, out, outOffset);
    }

    /**
     * ONNX Runtime's two-class rules ({@code TreeAggregatorClassifier::FinalizeScores}, {@code write_scores}); when
     * one score is left, LOGISTIC gives the logistic pair in all four binary cases, as ONNX Runtime 1.28 does.
     */
    private long finishTwoClasses(double[] sc, boolean[] has, int from, float[] out, int outOffset) {
        int size = 2;
        int secondClass = -1;
        if (base.length == 2) {
            if (has[from + 1]) {
                // ONNX Runtime adds the base value to class 0's score here and mirrors it: kept as it is
                sc[from + 1] = round(base[1] + sc[from]);
                sc[from] = -sc[from + 1];
            } else {
                sc[from + 1] = round(sc[from + 1] + base[1]);
                sc[from] = round(sc[from] + base[0]);
            }
        } else if (base.length == 1) {
            sc[from] = round(sc[from] + base[0]);
            if (!has[from + 1]) {
                size = 1;
            }
        } else {
            secondClass = 3;
            if (!has[from + 1]) {
                size = 1;
            }
        }
        double positive = size == 2 && has[from + 1] ? sc[from + 1] : has[from] ? sc[from] : 0d;
        long label;
        if (model.binaryCase()) {
            if (model.weightsAllPositive()) {
                secondClass = positive > 0.5 ? 0 : 1;
            } else {
                secondClass = positive > 0 ? 2 : 3;
            }
            label = model.labelCode(secondClass == 0 || secondClass == 2 ? 1 : 0);
        } else {
            label = positive > 0 ? 1L : 0L;
        }
        if (size == 2) {
            writeScores(sc, has, from, 2, out, outOffset);
            return label;
        }
        double e0 = has[from] ? sc[from] : 0d;
        if (transform == PostTransform.LOGISTIC) {
            out[outOffset] = OrtMath.logistic((float) (has[from] ? -sc[from] : 0d));
            out[outOffset + 1] = OrtMath.logistic((float) e0);
        } else if (secondClass == 0 || secondClass == 1) {
            out[outOffset] = (float) round(1 - e0);
            out[outOffset + 1] = (float) e0;
        } else {
            out[outOffset] = (float) (has[from] ? -sc[from] : 0d);
            out[outOffset + 1] = (float) e0;
        }
        return label;
    }

    /** ONNX Runtime's {@code write_scores} for two or more scores: a score no leaf reached counts as 0. */
    private void writeScores(double[] sc, boolean[] has, int from, int n, float[] out, int outOffset) {
        switch (transform) {
            case PROBIT:
                for (int k = 0; k < n; k++) {
                    out[outOffset + k] = OrtMath.probit((float) (has[from + k] ? sc[from + k] : 0d));
                }
                return;
            case LOGISTIC:
                for (int k = 0; k < n; k++) {
                    out[outOffset + k] = OrtMath.logistic((float) (has[from + k] ? sc[from + k] : 0d));
                }
                return;
            case SOFTMAX:
                for (int k = 0; k < n; k++) {
                    out[outOffset + k] = (float) (has[from + k] ? sc[from + k] : 0d);
                }
                OrtMath.softmax(out, outOffset, n);
                return;
            case SOFTMAX_ZERO:
                softmaxZero(sc, has, from, n, out, outOffset);
                return;
            default:
                for (int k = 0; k < n; k++) {
                    out[outOffset + k] = (float) (has[from + k] ? sc[from + k] : 0d);
                }
        }
    }

    /**
     * ONNX Runtime's {@code ComputeSoftmaxZero}: scores within 1e-7 of zero are not exponentiated but scaled by
     * {@code exp(-max)}, in the threshold type.
     */
    private void softmaxZero(double[] sc, boolean[] has, int from, int n, float[] out, int outOffset) {
        float max = -Float.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            float v = (float) (has[from + k] ? sc[from + k] : 0d);
            if (v > max) {
                max = v;
            }
        }
        float expNegMax = OrtMath.exp(-max);
        float sum = 0f;
        double[] scaled = sc; // rewritten in place, as ONNX Runtime does
        for (int k = 0; k < n; k++) {
            double e = has[from + k] ? sc[from + k] : 0d;
            float v = (float) e;
            if (v > 0.0000001f || v < -0.0000001f) {
                float x = OrtMath.exp(v - max);
                scaled[from + k] = x;
                sum += x;
            } else {
                scaled[from + k] = round(e * (double) expNegMax);
            }
        }
        for (int k = 0; k < n; k++) {
            out[outOffset + k] = (float) round(scaled[from + k] / sum);
        }
    }
}

package dev.handoff.pmml.internal;

/**
 * The class probabilities and predicted class of a PMML classifier over the tree engine's per-tree results, as
 * JPMML-Evaluator computes them. Two shapes are covered:
 * <ul>
 *   <li>{@link Forest}: one classification tree, or a {@code Segmentation} {@code average} of them (random forests):
 *       each leaf's {@code ScoreDistribution} normalised as {@code ComplexTreeModelEvaluator} does (probabilities
 *       or record counts divided by their sum unless it is exactly one), averaged per class over the trees
 *       ({@code ProbabilityAggregator}: summed in tree order from zero, divided by the tree count); the class is
 *       the single tree's leaf score, or the average's first highest probability in the distribution's order; or a
 *       {@code majorityVote}: one vote per tree for its leaf's score ({@code VoteAggregator}, {@code normalizeSimpleMax});</li>
 *   <li>{@link Chain}: a {@code modelChain} whose first segments compute decision functions (sums of regression
 *       trees, {@link PmmlRegressionHead}) and whose last segment is a {@code RegressionModel} over them:
 *       {@code coefficient * x} summed in predictor order, the intercept added last when not zero, then JPMML's
 *       {@code normalizationMethod} ({@code RegressionModelUtil}); the class is the first highest probability in
 *       table order.</li>
 * </ul>
 *
 * <pre>{@code
 * PmmlHeadScratch w = head.newScratch();                     // once per thread
 * int c = head.classify(ordinals, 0, probabilities, 0, w);   // class index in classes() order, or -1: no prediction
 * }</pre>
 */
abstract class PmmlClassificationHead {
    /**
     * Writes the row's probabilities in class order to {@code p[poff ..]}; returns the class index, or -1.
     * {@code w}: the calling thread's scratch from {@link #newScratch}.
     */
    abstract int classify(double[] ordinals, int offset, double[] p, int poff, PmmlHeadScratch w);

    /** A thread's scratch for {@link #classify}: made once per thread and kept with the rest of its scratch. */
    abstract PmmlHeadScratch newScratch();

    /**
     * JPMML's words for a row {@link #classify} found without prediction, when they are not "the target has no
     * value": null by default.
     */
    String noPredictionReason(double[] ordinals, int offset) {
        return null;
    }

    /** The first class with the highest probability, visiting classes in {@code order} ({@code Double.compare}). */
    static int winner(double[] p, int poff, int[] order) {
        int best = order[0];
        for (int i = 1; i < order.length; i++) {
            int c = order[i];
            if (Double.compare(p[poff + c], p[poff + best]) > 0) {
                best = c;
            }
        }
        return best;
    }

    /** Classification trees: one, or averaged. */
    static final class Forest extends PmmlClassificationHead {
        /** The first slot of its trees; once fused ({@link #fuse}) the first of its classes' running sums. */
        private int from;
        /** Whether the engine sums each class's probabilities over the trees, in slots {@code from + c}. */
        private boolean fused;
        private final int count;
        private final boolean single;
        private final int classes;
        /** Per result ordinal, the leaf's probabilities in class order; ordinal 0 is no prediction. */
        private final double[] leafProbability;
        /** Per result ordinal, the class of the leaf's score. */
        private final int[] leafClass;
        /** Classes in the order of the leaves' ScoreDistributions: the order JPMML's average map keeps. */
        private final int[] order;
        /** majorityVote: each tree votes for its leaf's score. */
        private final boolean vote;

        Forest(int from, int count, boolean single, boolean vote, int classes, double[] leafProbability, int[] leafClass, int[] order) {
            this.vote = vote;
            this.from = from;
            this.count = count;
            this.single = single;
            this.classes = classes;
            this.leafProbability = leafProbability.clone();
            this.leafClass = leafClass.clone();
            this.order = order.clone();
        }

        int from() {
            return from;
        }

        int slots() {
            return fused ? classes : count;
        }

        int classes() {
            return classes;
        }

        /**
         * Whether the engine can add up the trees' probabilities ({@link #fuse}): an average of several trees (JPMML's
         * {@code ProbabilityAggregator} adds each class's probabilities in tree order from zero, in double, as the engine
         * adds weights) whose probabilities are all finite (a NaN sum then says "no prediction", and nothing else).
         */
        boolean fusable() {
            if (single || vote || fused) {
                return false;
            }
            for (int i = classes; i < leafProbability.length; i++) {
                if (!Double.isFinite(leafProbability[i])) {
                    return false;
                }
            }
            return true;
        }

        /** What the leaf of result {@code ordinal} weighs for class {@code c} once fused: its probability, NaN for no prediction. */
        double fusedWeight(int ordinal, int c) {
            return ordinal == PmmlRegressionHead.NO_PREDICTION ? Double.NaN : leafProbability[ordinal * classes + c];
        }

        /** From now on slot {@code slot + c} holds class {@code c}'s summed probabilities ({@link #fusable} must hold). */
        void fuse(int slot) {
            if (!fusable()) {
                throw new IllegalStateException("not fusable");
            }
            this.from = slot;
            this.fused = true;
        }

        /** A majority vote notes the first tree to vote for each class. */
        @Override
        PmmlHeadScratch newScratch() {
            return PmmlHeadScratch.of(0, 0, vote ? classes : 0, 0);
        }

        @Override
        int classify(double[] ordinals, int offset, double[] p, int poff, PmmlHeadScratch w) {
            if (fused) {
                for (int c = 0; c < classes; c++) {
                    double sum = ordinals[offset + from + c];
                    if (sum != sum) {
                        return -1;
                    }
                }
                for (int c = 0; c < classes; c++) {
                    p[poff + c] = ordinals[offset + from + c] / count;
                }
                return winner(p, poff, order);
            }
            for (int t = from; t < from + count; t++) {
                if ((int) ordinals[offset + t] == PmmlRegressionHead.NO_PREDICTION) {
                    return -1;
                }
            }
            if (vote) {
                return vote(ordinals, offset, p, poff, w.ints);
            }
            if (single) {
                int o = (int) ordinals[offset + from];
                System.arraycopy(leafProbability, o * classes, p, poff, classes);
                return leafClass[o];
            }
            for (int c = 0; c < classes; c++) {
                double sum = 0d;
                for (int t = from; t < from + count; t++) {
                    sum += leafProbability[(int) ordinals[offset + t] * classes + c];
                }
                p[poff + c] = sum / count;
            }
            return winner(p, poff, order);
        }

        /**
         * JPMML's {@code VoteAggregator} and {@code normalizeSimpleMax}: one vote per tree for its leaf's score, each
         * class's votes divided by the tree count (a class without votes has probability 0), the winner the first highest
         * in the order classes first got a vote.
         */
        private int vote(double[] ordinals, int offset, double[] p, int poff, int[] first) {
            java.util.Arrays.fill(first, 0, classes, Integer.MAX_VALUE);
            java.util.Arrays.fill(p, poff, poff + classes, 0d);
            for (int t = from; t < from + count; t++) {
                int c = leafClass[(int) ordinals[offset + t]];
                p[poff + c] += 1d;
                if (first[c] == Integer.MAX_VALUE) {
                    first[c] = t;
                }
            }
            int best = -1;
            for (int c = 0; c < classes; c++) {
                if (first[c] == Integer.MAX_VALUE) {
                    continue;
                }
                if (best < 0 || p[poff + c] > p[poff + best] || (p[poff + c] == p[poff + best] && first[c] < first[best])) {
                    best = c;
                }
            }
            for (int c = 0; c < classes; c++) {
                p[poff + c] = p[poff + c] / count;
            }
            return best;
        }
    }

    /** A modelChain: decision functions from trees, then a RegressionModel's normalised tables. */
    static final class Chain extends PmmlClassificationHead {
        enum Normalization { LOGIT_BINARY, NONE_BINARY, SOFTMAX, LOGIT, SIMPLEMAX }

        private final PmmlRegressionHead[] inputs;
        /** Transformed outputs computed from the decision functions, after them in the chain's values. */
        private final PmmlOutputExpression[] transformed;
        /** Per table, the input index of each predictor and its coefficient. */
        private final int[][] predictorInput;
        private final double[][] coefficient;
        private final double[] intercept;
        /** Per table, its class index. */
        private final int[] tableClass;
        private final Normalization normalization;
        /** Per input, JPMML's message when it has no value and a transformed output reads it; else null. */
        private final String[] undefined;
        /** Per table, the field each predictor names. */
        private final String[][] predictorName;
        /** missingPredictionTreatment continue: a chain without a value goes on to the RegressionModel. */
        private final boolean goOn;
        /** The RegressionModel computes in float. */
        private final boolean floats;

        Chain(PmmlRegressionHead[] inputs, String[] undefined, PmmlOutputExpression[] transformed, int[][] predictorInput,
              String[][] predictorName, double[][] coefficient, double[] intercept, int[] tableClass, Normalization normalization,
              boolean goOn, boolean floats) {
            this.floats = floats;
            this.predictorName = predictorName;
            this.goOn = goOn;
            this.inputs = inputs.clone();
            this.transformed = transformed.clone();
            this.undefined = undefined.clone();
            this.predictorInput = predictorInput;
            this.coefficient = coefficient;
            this.intercept = intercept.clone();
            this.tableClass = tableClass.clone();
            this.normalization = normalization;
        }

        /** The chain's values in {@link PmmlHeadScratch#chain}; its segments' own scratch beside them. */
        @Override
        PmmlHeadScratch newScratch() {
            int doubles = 0;
            int order = 0;
            for (PmmlRegressionHead in : inputs) {
                doubles = Math.max(doubles, in.scratchDoubles());
                order = Math.max(order, in.scratchOrder());
            }
            return PmmlHeadScratch.of(inputs.length + transformed.length + tableClass.length, doubles, 0, order);
        }

        /**
         * A segment without a value whose transformed outputs read it makes JPMML fail the row with "Field ... is not
         * defined" (its Output is evaluated before the chain goes on); a segment without one just leaves the chain
         * without a value.
         */
        @Override
        String noPredictionReason(double[] ordinals, int offset) {
            for (int i = 0; i < inputs.length; i++) {
                if (!inputs[i].predicts(ordinals, offset)) {
                    if (undefined[i] != null) {
                        return undefined[i];
                    }
                    if (!goOn) {
                        return null;
                    }
                }
            }
            // under continue the RegressionModel reads its first predictor without a value
            for (int t = 0; t < predictorInput.length; t++) {
                for (int k = 0; k < predictorInput[t].length; k++) {
                    int in = predictorInput[t][k];
                    if (in < inputs.length && !inputs[in].predicts(ordinals, offset)) {
                        return "JPMML: The value for field \"" + predictorName[t][k] + "\" is not defined";
                    }
                }
            }
            return null;
        }

        @Override
        int classify(double[] ordinals, int offset, double[] p, int poff, PmmlHeadScratch w) {
            double[] s = w.chain;
            for (int i = 0; i < inputs.length; i++) {
                if (!inputs[i].predicts(ordinals, offset)) {
                    return -1;
                }
                s[i] = inputs[i].cast(inputs[i].value(ordinals, offset, w));
            }
            for (int j = 0; j < transformed.length; j++) {
                s[inputs.length + j] = transformed[j].evaluate(s);
            }
            int n = inputs.length + transformed.length;
            int tables = tableClass.length;
            if (floats) {
                tablesInFloat(s, n, tables);
            } else {
                for (int t = 0; t < tables; t++) {
                    double v = 0d;
                    int[] in = predictorInput[t];
                    for (int k = 0; k < in.length; k++) {
                        v += coefficient[t][k] * s[in[k]];
                    }
                    if (intercept[t] != 0d) {
                        v += intercept[t];
                    }
                    s[n + t] = v;
                }
                normalize(s, n, tables);
            }
            for (int t = 0; t < tables; t++) {
                p[poff + tableClass[t]] = s[n + t];
            }
            int best = 0;
            for (int t = 1; t < tables; t++) {
                if (Double.compare(s[n + t], s[n + best]) > 0) {
                    best = t;
                }
            }
            return tableClass[best];
        }

        /**
         * A RegressionModel in {@code x-mathContext="float"} (JPMML's {@code FloatValue}): each step rounded to float,
         * {@code exp} as {@code (float) Math.pow(2.7182817, x)}; the probabilities are the float values widened.
         */
        private void tablesInFloat(double[] s, int n, int tables) {
            for (int t = 0; t < tables; t++) {
                float v = 0f;
                int[] in = predictorInput[t];
                for (int k = 0; k < in.length; k++) {
                    v += (float) coefficient[t][k] * (float) s[in[k]];
                }
                if (intercept[t] != 0d) {
                    v += (float) intercept[t];
                }
                s[n + t] = v;
            }
            switch (normalization) {
                case LOGIT_BINARY: {
                    float p = 1f / (1f + floatExp(-(float) s[n]));
                    s[n] = p;
                    s[n + 1] = 1f - p;
                    return;
                }
                case NONE_BINARY: {
                    float p = Math.min(Math.max((float) s[n], 0f), 1f);
                    s[n] = p;
                    s[n + 1] = 1f - p;
                    return;
                }
                case SOFTMAX: {
                    float max = (float) s[n];
                    for (int t = 1; t < tables; t++) {
                        if (Float.compare(max, (float) s[n + t]) < 0) {
                            max = (float) s[n + t];
                        }
                    }
                    float sum = 0f;
                    for (int t = 0; t < tables; t++) {
                        float e = floatExp((float) s[n + t] - max);
                        s[n + t] = e;
                        sum = t == 0 ? e : sum + e;
                    }
                    if (sum != 1f) {
                        for (int t = 0; t < tables; t++) {
                            s[n + t] = (float) s[n + t] / sum;
                        }
                    }
                    return;
                }
                default: {
                    float sum = 0f;
                    for (int t = 0; t < tables; t++) {
                        float p = 1f / (1f + floatExp(-(float) s[n + t]));
                        s[n + t] = p;
                        sum = t == 0 ? p : sum + p;
                    }
                    if (sum != 1f) {
                        for (int t = 0; t < tables; t++) {
                            s[n + t] = (float) s[n + t] / sum;
                        }
                    }
                }
            }
        }

        /** JPMML's {@code FloatValue.exp}. */
        private static float floatExp(float x) {
            return (float) Math.pow(2.7182817d, x);
        }

        private void normalize(double[] s, int from, int tables) {
            switch (normalization) {
                case LOGIT_BINARY:
                    s[from] = 1d / (1d + Math.exp(-s[from]));
                    s[from + 1] = 1d - s[from];
                    return;
                case NONE_BINARY:
                    s[from] = Math.min(Math.max(s[from], 0d), 1d);
                    s[from + 1] = 1d - s[from];
                    return;
                case SOFTMAX: {
                    double max = s[from];
                    for (int t = 1; t < tables; t++) {
                        if (Double.compare(max, s[from + t]) < 0) {
                            max = s[from + t];
                        }
                    }
                    double sum = 0d;
                    for (int t = 0; t < tables; t++) {
                        s[from + t] = Math.exp(s[from + t] - max);
                        sum = t == 0 ? s[from] : sum + s[from + t];
                    }
                    divide(s, from, tables, sum);
                    return;
                }
                case LOGIT:
                    for (int t = 0; t < tables; t++) {
                        s[from + t] = 1d / (1d + Math.exp(-s[from + t]));
                    }
                    simpleMax(s, from, tables);
                    return;
                default:
                    simpleMax(s, from, tables);
            }
        }

        private static void simpleMax(double[] s, int from, int tables) {
            double sum = s[from];
            for (int t = 1; t < tables; t++) {
                sum += s[from + t];
            }
            divide(s, from, tables, sum);
        }

        private static void divide(double[] s, int from, int tables, double sum) {
            if (sum == 1d) {
                return;
            }
            for (int t = 0; t < tables; t++) {
                s[from + t] /= sum;
            }
        }
    }
}

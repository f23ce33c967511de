package dev.handoff.pmml.internal;

import java.util.Arrays;

/**
 * A classification {@code Segmentation} of trees by {@code weightedAverage} or {@code weightedMajorityVote}, as
 * JPMML-Evaluator 1.7.7 computes it in double ({@code SegmentationlUtil}, {@code ProbabilityAggregator},
 * {@code VoteAggregator}, {@code ValueUtil.normalizeSimpleMax}):
 * <ul>
 * <li>{@code weightedAverage}: per class, the trees' leaf probabilities summed from zero in segment order, each times
 * its segment's weight (a weight of exactly one adds the probability itself), divided by the weights summed from zero;
 * the class is the first highest probability in the leaves' distribution order;</li>
 * <li>{@code weightedMajorityVote}: each tree adds its segment's weight to its leaf's class (summed from zero in
 * segment order); the sums, in the order classes first got a vote, are added up (from the first) and each divided by
 * that total unless it is exactly one; the class is the first highest quotient in that order; a class without votes
 * has probability 0.</li>
 * </ul>
 * A tree without prediction leaves the row without one (the reader refuses a vote that could count one under
 * {@code continue}). Negative weights and a zero weight sum, on which JPMML fails, are refused by the reader.
 *
 * <pre>{@code
 * PmmlClassificationHead head = new PmmlWeightedForest(from, count, vote, weights, classes, probabilities, leafClass, order);
 * int c = head.classify(ordinals, 0, p, 0);
 * }</pre>
 */
final class PmmlWeightedForest extends PmmlClassificationHead {
    private final int from;
    private final int count;
    private final boolean vote;
    private final double[] weights;
    private final int classes;
    private final double[] leafProbability;
    private final int[] leafClass;
    private final int[] order;
    private final ThreadLocal<int[]> firstVote;

    PmmlWeightedForest(int from, int count, boolean vote, double[] weights, int classes, double[] leafProbability,
                       int[] leafClass, int[] order) {
        this.from = from;
        this.count = count;
        this.vote = vote;
        this.weights = weights.clone();
        this.classes = classes;
        this.leafProbability = leafProbability.clone();
        this.leafClass = leafClass.clone();
        this.order = order.clone();
        this.firstVote = ThreadLocal.withInitial(() -> new int[2 * classes]);
    }

    @Override
    int classify(float[] ordinals, int offset, double[] p, int poff) {
        for (int t = from; t < from + count; t++) {
            if ((int) ordinals[offset + t] == PmmlRegressionHead.NO_PREDICTION) {
                return -1;
            }
        }
        return vote ? vote(ordinals, offset, p, poff) : average(ordinals, offset, p, poff);
    }

    private int average(float[] ordinals, int offset, double[] p, int poff) {
        double weightSum = 0d;
        for (int t = 0; t < count; t++) {
            weightSum += weights[t];
        }
        for (int c = 0; c < classes; c++) {
            double sum = 0d;
            for (int t = 0; t < count; t++) {
                double w = weights[t];
                double x = leafProbability[(int) ordinals[offset + from + t] * classes + c];
                sum += w != 1d ? w * x : x;
            }
            p[poff + c] = sum / weightSum;
        }
        return winner(p, poff, order);
    }

    private int vote(float[] ordinals, int offset, double[] p, int poff) {
        // per class whether it got a vote; then the classes in the order they first got one
        int[] voted = firstVote.get();
        Arrays.fill(voted, 0, classes, 0);
        Arrays.fill(p, poff, poff + classes, 0d);
        int n = 0;
        for (int t = 0; t < count; t++) {
            int c = leafClass[(int) ordinals[offset + from + t]];
            p[poff + c] += weights[t];
            if (voted[c] == 0) {
                voted[c] = 1;
                voted[classes + n++] = c;
            }
        }
        double total = p[poff + voted[classes]];
        for (int i = 1; i < n; i++) {
            total += p[poff + voted[classes + i]];
        }
        if (total != 1d) {
            for (int i = 0; i < n; i++) {
                p[poff + voted[classes + i]] /= total;
            }
        }
        int best = voted[classes];
        for (int i = 1; i < n; i++) {
            if (p[poff + voted[classes + i]] > p[poff + best]) {
                best = voted[classes + i];
            }
        }
        return best;
    }
}

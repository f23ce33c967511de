package dev.handoff.pmml.internal;

import java.util.Arrays;

/**
 * A classification {@code Segmentation} of trees by {@code weightedAverage}, {@code weightedMajorityVote},
 * {@code median} or {@code max}, as
 * JPMML-Evaluator 1.7.7 computes it in double ({@code SegmentationlUtil}, {@code ProbabilityAggregator},
 * {@code VoteAggregator}, {@code ValueUtil.normalizeSimpleMax}):
 * <ul>
 * <li>{@code weightedAverage}: per class, the trees' leaf probabilities summed from zero in segment order, each times
 * its segment's weight (a weight of exactly one adds the probability itself), divided by the weights summed from zero;
 * the class is the first highest probability in the leaves' distribution order;</li>
 * <li>{@code weightedMajorityVote}: each tree adds its segment's weight to its leaf's class (summed from zero in
 * segment order); the sums, in the order classes first got a vote, are added up (from the first) and each divided by
 * that total unless it is exactly one; the class is the first highest quotient in that order; a class without votes
 * has probability 0;</li>
 * <li>{@code max} / {@code median}: per class the trees' highest probability ({@code Math.max} from the first tree) or
 * their median ({@link PmmlSegmentAggregation#median}); the winning class is the first highest of these in the target's
 * class order; the trees that contribute are those whose probability of that class equals the max (or, for the median,
 * lies closest to it, all ties); the answer is the one contributor's distribution, or the contributors' probabilities
 * averaged per class (summed from zero in tree order, divided by their count); the class is then the first highest
 * probability in the leaves' distribution order.</li>
 * </ul>
 * A tree without prediction leaves the row without one (the reader refuses a vote that could count one under
 * {@code continue}). Negative weights and a zero weight sum, on which JPMML fails, are refused by the reader.
 *
 * <pre>{@code
 * PmmlClassificationHead head = new PmmlAggregatedForest(from, count, Method.MAX, weights, classes, probabilities, leafClass, order);
 * PmmlHeadScratch w = head.newScratch();    // once per thread
 * int c = head.classify(ordinals, 0, p, 0, w);
 * }</pre>
 */
final class PmmlAggregatedForest extends PmmlClassificationHead {
    enum Method { WEIGHTED_AVERAGE, WEIGHTED_MAJORITY_VOTE, MEDIAN, MAX }

    private final int from;
    private final int count;
    private final Method method;
    private final double[] weights;
    private final int classes;
    private final double[] leafProbability;
    private final int[] leafClass;
    private final int[] order;

    PmmlAggregatedForest(int from, int count, Method method, double[] weights, int classes, double[] leafProbability,
                       int[] leafClass, int[] order) {
        this.from = from;
        this.count = count;
        this.method = method;
        this.weights = weights.clone();
        this.classes = classes;
        this.leafProbability = leafProbability.clone();
        this.leafClass = leafClass.clone();
        this.order = order.clone();
    }

    /**
     * In {@link PmmlHeadScratch#ints} a vote's classes (whether each got a vote, then their order) or the contributing
     * trees of a max or median; in {@link PmmlHeadScratch#doubles} each class's max or median, then (for a median) the
     * trees' probabilities of one class.
     */
    @Override
    PmmlHeadScratch newScratch() {
        return switch (method) {
            case WEIGHTED_AVERAGE -> PmmlHeadScratch.NONE;
            case WEIGHTED_MAJORITY_VOTE -> PmmlHeadScratch.of(0, 0, 2 * classes, 0);
            case MAX -> PmmlHeadScratch.of(0, classes, count, 0);
            case MEDIAN -> PmmlHeadScratch.of(0, classes + count, count, 0);
        };
    }

    @Override
    int classify(double[] ordinals, int offset, double[] p, int poff, PmmlHeadScratch w) {
        for (int t = from; t < from + count; t++) {
            if ((int) ordinals[offset + t] == PmmlRegressionHead.NO_PREDICTION) {
                return -1;
            }
        }
        return switch (method) {
            case WEIGHTED_MAJORITY_VOTE -> vote(ordinals, offset, p, poff, w.ints);
            case WEIGHTED_AVERAGE -> average(ordinals, offset, p, poff);
            default -> select(ordinals, offset, p, poff, w.doubles, w.ints);
        };
    }

    private double probability(double[] ordinals, int offset, int tree, int c) {
        return leafProbability[(int) ordinals[offset + from + tree] * classes + c];
    }

    /** {@code stat}: per class the max or median, then (median) the trees' probabilities of one class. */
    private int select(double[] ordinals, int offset, double[] p, int poff, double[] stat, int[] contributors) {
        for (int c = 0; c < classes; c++) {
            if (method == Method.MAX) {
                double m = probability(ordinals, offset, 0, c);
                for (int t = 1; t < count; t++) {
                    m = Math.max(m, probability(ordinals, offset, t, c));
                }
                stat[c] = m;
            } else {
                for (int t = 0; t < count; t++) {
                    stat[classes + t] = probability(ordinals, offset, t, c);
                }
                stat[c] = PmmlSegmentAggregation.median(stat, classes, count);
            }
        }
        int w = 0;
        for (int c = 1; c < classes; c++) {
            if (Double.compare(stat[w], stat[c]) < 0) {
                w = c;
            }
        }
        // the contributing trees
        int n = 0;
        double closest = Double.MAX_VALUE;
        for (int t = 0; t < count; t++) {
            double x = probability(ordinals, offset, t, w);
            if (method == Method.MAX) {
                if (Double.compare(stat[w], x) == 0) {
                    contributors[n++] = t;
                }
                continue;
            }
            double difference = Math.abs(stat[w] - x);
            if (difference < closest) {
                n = 0;
                closest = difference;
            }
            if (difference <= closest) {
                contributors[n++] = t;
            }
        }
        for (int c = 0; c < classes; c++) {
            if (n == 1) {
                p[poff + c] = probability(ordinals, offset, contributors[0], c);
                continue;
            }
            double sum = 0d;
            for (int i = 0; i < n; i++) {
                sum += probability(ordinals, offset, contributors[i], c);
            }
            p[poff + c] = sum / n;
        }
        return winner(p, poff, order);
    }

    private int average(double[] ordinals, int offset, double[] p, int poff) {
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

    private int vote(double[] ordinals, int offset, double[] p, int poff, int[] voted) {
        // per class whether it got a vote; then the classes in the order they first got one
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

package dev.handoff.pmml.internal;

import org.dmg.pmml.mining.Segment;
import org.dmg.pmml.mining.Segmentation;

import java.util.Arrays;
import java.util.List;

/**
 * A regression {@code Segmentation}'s {@code weightedAverage}, {@code weightedSum}, {@code median} or
 * {@code weightedMedian} of its trees' scores, as
 * JPMML-Evaluator 1.7.7 computes it ({@code SegmentationlUtil.aggregateValues}, {@code ValueAggregator}): the part of
 * {@link PmmlRegressionHead} before the {@code Target} rescaling. ({@code sum} and {@code average} ignore the segment
 * weights in JPMML, and so does the head.)
 *
 * <pre>{@code
 * PmmlSegmentAggregation a = PmmlSegmentAggregation.of(method, segments, floats);   // or PmmlNotCovered
 * double v = a.value(ordinals, offset, from, count, leaf, scratch);                    // NaN: no prediction
 * }</pre>
 *
 * <ul>
 * <li>{@code weightedAverage}: the weights summed from zero in segment order, the scores summed from zero in segment
 * order each times its weight (a weight of exactly one adds the score itself), the second sum divided by the first;
 * in float under {@code x-mathContext="float"} (each weight and score narrowed before the product), else in double.
 * JPMML fails every row on a negative weight or a zero weight sum: such a segmentation is not covered.
 * {@code weightedSum} is the second sum alone.</li>
 * <li>{@code median} (double only): the scores sorted; one score is the median; otherwise commons-math's legacy
 * {@code Percentile} at 50: position {@code p = (n + 1) / 2}, {@code lower + (p - floor(p)) * (upper - lower)} with
 * lower and upper the sorted scores at {@code floor(p) - 1} and {@code floor(p)}.</li>
 * <li>{@code weightedMedian} (double only): the scores sorted by {@code Double.compare}, ties in segment order; the first
 * whose running weight sum (from zero, in that order) reaches half the weights' sum (summed in segment order).</li>
 * </ul>
 */
final class PmmlSegmentAggregation {
    private enum Kind { WEIGHTED_AVERAGE, WEIGHTED_SUM, MEDIAN, WEIGHTED_MEDIAN }

    private final Kind kind;
    private final boolean floats;
    private final double[] weights;

    private PmmlSegmentAggregation(Kind kind, boolean floats, double[] weights) {
        this.kind = kind;
        this.floats = floats;
        this.weights = weights;
    }

    /** The per-thread values a row needs ({@link PmmlHeadScratch#doubles}): a median sorts the trees' scores. */
    int scratchDoubles() {
        return kind == Kind.MEDIAN || kind == Kind.WEIGHTED_MEDIAN ? weights.length : 0;
    }

    /** The per-thread tree order a row needs ({@link PmmlHeadScratch#order}). */
    int scratchOrder() {
        return kind == Kind.WEIGHTED_MEDIAN ? weights.length : 0;
    }

    /** The aggregation of {@code method}, or null for sum and average (which ignore weights, as JPMML does). */
    static PmmlSegmentAggregation of(Segmentation.MultipleModelMethod method, List<Segment> segments, boolean floats) {
        switch (method) {
            case SUM:
            case AVERAGE:
                return null;
            case WEIGHTED_AVERAGE:
                return weighted(Kind.WEIGHTED_AVERAGE, segments, floats);
            case WEIGHTED_SUM:
                return weighted(Kind.WEIGHTED_SUM, segments, floats);
            case MEDIAN:
            case WEIGHTED_MEDIAN:
                if (floats) {
                    throw new PmmlNotCovered("PMML multipleModelMethod " + method.value() + " in x-mathContext float not covered");
                }
                return method == Segmentation.MultipleModelMethod.MEDIAN
                        ? new PmmlSegmentAggregation(Kind.MEDIAN, false, new double[segments.size()])
                        : weighted(Kind.WEIGHTED_MEDIAN, segments, false);
            default:
                throw new PmmlNotCovered("PMML multipleModelMethod " + method.value() + " for regression not covered");
        }
    }

    private static PmmlSegmentAggregation weighted(Kind kind, List<Segment> segments, boolean floats) {
        double[] weights = new double[segments.size()];
        double sum = 0d;
        float floatSum = 0f;
        for (int s = 0; s < weights.length; s++) {
            Number w = segments.get(s).getWeight();
            weights[s] = floats ? w.floatValue() : w.doubleValue();
            if (!(w.doubleValue() >= 0d) || Double.isInfinite(weights[s])) {
                throw new PmmlNotCovered("PMML Segment weight " + w + " not covered");
            }
            sum += weights[s];
            floatSum += (float) weights[s];
        }
        if (kind == Kind.WEIGHTED_AVERAGE && (floats ? floatSum == 0f : sum == 0d)) {
            throw new PmmlNotCovered("PMML weightedAverage with weights summing to zero not covered");
        }
        return new PmmlSegmentAggregation(kind, floats, weights);
    }

    /**
     * The aggregate of trees {@code from .. from + count - 1} of the row; NaN when one gave no prediction.
     * {@code scratch}: the calling thread's, with room for {@link #scratchDoubles} and {@link #scratchOrder}.
     */
    double value(double[] ordinals, int offset, int from, int count, double[] leaf, PmmlHeadScratch scratch) {
        for (int t = from; t < from + count; t++) {
            if ((int) ordinals[offset + t] == PmmlRegressionHead.NO_PREDICTION) {
                return Double.NaN;
            }
        }
        if (kind == Kind.WEIGHTED_MEDIAN) {
            return weightedMedian(ordinals, offset, from, count, leaf, scratch);
        }
        if (kind == Kind.MEDIAN) {
            double[] v = scratch.doubles;
            for (int t = 0; t < count; t++) {
                v[t] = leaf[(int) ordinals[offset + from + t]];
            }
            return median(v, 0, count);
        }
        if (floats) {
            float weightSum = 0f;
            float sum = 0f;
            for (int t = 0; t < count; t++) {
                float w = (float) weights[t];
                float x = (float) leaf[(int) ordinals[offset + from + t]];
                weightSum += w;
                sum += w != 1f ? w * x : x;
            }
            return kind == Kind.WEIGHTED_SUM ? sum : sum / weightSum;
        }
        double weightSum = 0d;
        double sum = 0d;
        for (int t = 0; t < count; t++) {
            double w = weights[t];
            double x = leaf[(int) ordinals[offset + from + t]];
            weightSum += w;
            sum += w != 1d ? w * x : x;
        }
        return kind == Kind.WEIGHTED_SUM ? sum : sum / weightSum;
    }

    /** JPMML's median of {@code v[from .. from + n - 1]} (commons-math's legacy Percentile at 50); sorts them. */
    static double median(double[] v, int from, int n) {
        if (n == 1) {
            return v[from];
        }
        Arrays.sort(v, from, from + n);
        double position = 0.5 * (n + 1);
        double floor = Math.floor(position);
        int at = (int) floor;
        if (at >= n) {
            return v[from + n - 1];
        }
        double lower = v[from + at - 1];
        return lower + (position - floor) * (v[from + at] - lower);
    }

    private double weightedMedian(double[] ordinals, int offset, int from, int count, double[] leaf, PmmlHeadScratch scratch) {
        double[] v = scratch.doubles;
        Integer[] sorted = scratch.order;
        double weightSum = 0d;
        for (int t = 0; t < count; t++) {
            v[t] = leaf[(int) ordinals[offset + from + t]];
            sorted[t] = t;
            weightSum += weights[t];
        }
        // a stable sort: equal scores stay in segment order
        Arrays.sort(sorted, 0, count, (a, b) -> Double.compare(v[a], v[b]));
        double half = 0.5d * weightSum;
        double running = 0d;
        for (int i = 0; i < count; i++) {
            running += weights[sorted[i]];
            if (running >= half) {
                return v[sorted[i]];
            }
        }
        return v[sorted[count - 1]];
    }
}

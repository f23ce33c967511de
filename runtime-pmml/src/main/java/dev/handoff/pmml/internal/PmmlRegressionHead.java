package dev.handoff.pmml.internal;

import org.dmg.pmml.DataType;
import org.dmg.pmml.Target;

/**
 * The value of a regression over the tree engine's results, as JPMML-Evaluator computes it: one tree's
 * score, or a {@code Segmentation} {@code sum}/{@code average} of trees ({@code ValueAggregator}, summed left to
 * right from zero in the model's {@code x-mathContext}, {@code float} or {@code double}), then the {@code Target}'s
 * {@code min}/{@code max}, {@code rescaleFactor} and {@code rescaleConstant} ({@code TargetUtil.processValue}, in the
 * same type), then the cast to the target field's type ({@code TypeUtil.cast}: a {@link Float} for a float target).
 *
 * <p>The results are the backend's running sums ({@link dev.handoff.internal.tree.TreeBackend#sums}). Read as
 * built, each tree has its own slot holding the ordinal of its result in {@code leaf}. Once {@link #fuse}d (a
 * {@code double} sum or average of trees whose scores are all finite), the trees share one slot whose leaves weigh
 * their scores and the no-prediction leaf NaN: the engine adds the scores itself, in tree order from zero in double
 * as JPMML does, and the sum is NaN exactly when some tree gave no prediction (finite scores add up to a number or
 * an infinity, never NaN).
 *
 * <p>A head read from the first segment of a regression {@code modelChain} carries the chain's
 * {@link PmmlRegressionLink}: its value, cast to its own type, goes through the link, and the link's cast gives the
 * answer's type.
 *
 * <pre>{@code
 * PmmlRegressionHead head = ...;               // built by PmmlTreeReader
 * PmmlHeadScratch w = head.newScratch();     // once per thread
 * if (head.predicts(results, 0)) {
 *     double v = head.value(results, 0, w);
 * }
 * Object boxed = head.box(v);                 // the Float or Double JPMML returns
 * }</pre>
 */
final class PmmlRegressionHead {
    /** Ordinal 0 of every tree is "no prediction". */
    static final int NO_PREDICTION = 0;

    /** The first slot of its trees (the one slot once fused); set again while the plan is read ({@link #relocate}). */
    private int from;
    private final int count;
    /** Whether the engine sums the trees in slot {@link #from} ({@link #fuse}). */
    private boolean fused;
    private final boolean single;
    private final boolean floats;
    private final boolean average;
    private final double[] leaf;
    private final boolean target;
    private final boolean restrict;
    private final double min;
    private final double max;
    private final double factor;
    private final double constant;
    private final boolean floatResult;
    /** weightedAverage or median of the trees (null: sum, average or one tree). */
    private final PmmlSegmentAggregation aggregation;
    /** The RegressionModel ending a modelChain over this value (null: the value is the answer); while the plan is read. */
    private PmmlRegressionLink link;

    /**
     * @param leaf each result ordinal's contribution in the aggregation's type (a float value widened when
     *             {@code floats}); ordinal 0 is no prediction
     * @param single one tree without aggregation: its score is the value
     */
    PmmlRegressionHead(int from, int count, boolean single, boolean floats, boolean average, double[] leaf, Target target,
                       DataType resultType) {
        this(from, count, single, floats, average, leaf, target, resultType, null);
    }

    /** @param aggregation the trees' weightedAverage or median, instead of their sum or average */
    PmmlRegressionHead(int from, int count, boolean single, boolean floats, boolean average, double[] leaf, Target target,
                       DataType resultType, PmmlSegmentAggregation aggregation) {
        this.aggregation = aggregation;
        this.from = from;
        this.count = count;
        this.single = single;
        this.floats = floats;
        this.average = average;
        this.leaf = leaf.clone();
        this.target = target != null;
        this.restrict = target != null && (target.getMin() != null || target.getMax() != null);
        this.min = target == null || target.getMin() == null ? Double.NEGATIVE_INFINITY : number(target.getMin());
        this.max = target == null || target.getMax() == null ? Double.POSITIVE_INFINITY : number(target.getMax());
        this.factor = target == null ? 1d : number(target.getRescaleFactor());
        this.constant = target == null ? 0d : number(target.getRescaleConstant());
        this.floatResult = resultType == DataType.FLOAT;
        if (resultType != DataType.FLOAT && resultType != DataType.DOUBLE) {
            throw new PmmlNotCovered("PMML regression target of type " + resultType.value() + " not covered");
        }
    }

    private double number(Number n) {
        return floats ? n.floatValue() : n.doubleValue();
    }

    /**
     * The regression value of one row: NaN when some tree gave no prediction ({@link #predicts} says whether), or for a
     * NaN score; through the {@link #link} when there is one.
     */
    double value(double[] ordinals, int offset, PmmlHeadScratch w) {
        double v = segmentValue(ordinals, offset, w);
        if (link == null || (v != v && !predicts(ordinals, offset))) {
            return v;
        }
        return link.apply(ownCast(v));
    }

    /** A thread's scratch for {@link #value}. */
    PmmlHeadScratch newScratch() {
        return PmmlHeadScratch.of(0, scratchDoubles(), 0, scratchOrder());
    }

    /** The values {@link #value} needs in {@link PmmlHeadScratch#doubles}. */
    int scratchDoubles() {
        return aggregation == null ? 0 : aggregation.scratchDoubles();
    }

    /** The tree order {@link #value} needs in {@link PmmlHeadScratch#order}. */
    int scratchOrder() {
        return aggregation == null ? 0 : aggregation.scratchOrder();
    }

    /** From now on the answer is {@code link} applied to this head's value cast to its type; while the plan is read. */
    void link(PmmlRegressionLink link) {
        this.link = link;
    }

    private double segmentValue(double[] ordinals, int offset, PmmlHeadScratch w) {
        if (fused) {
            double sum = ordinals[offset + from];
            if (sum != sum) {
                return Double.NaN;
            }
            if (average) {
                sum /= count;
            }
            return target ? rescale(sum) : sum;
        }
        if (single) {
            int o = (int) ordinals[offset + from];
            if (o == NO_PREDICTION) {
                return Double.NaN;
            }
            return target ? rescale(leaf[o]) : leaf[o];
        }
        if (aggregation != null) {
            double v = aggregation.value(ordinals, offset, from, count, leaf, w);
            return target ? rescale(v) : v;
        }
        if (floats) {
            float sum = 0f;
            for (int t = from; t < from + count; t++) {
                int o = (int) ordinals[offset + t];
                if (o == NO_PREDICTION) {
                    return Double.NaN;
                }
                sum += (float) leaf[o];
            }
            if (average) {
                sum /= (float) count;
            }
            return target ? rescale(sum) : sum;
        }
        double sum = 0d;
        for (int t = from; t < from + count; t++) {
            int o = (int) ordinals[offset + t];
            if (o == NO_PREDICTION) {
                return Double.NaN;
            }
            sum += leaf[o];
        }
        if (average) {
            sum /= count;
        }
        return target ? rescale(sum) : sum;
    }

    private double rescale(double v) {
        if (floats) {
            float f = (float) v;
            if (restrict) {
                f = Math.max(f, (float) min);
                f = Math.min(f, (float) max);
            }
            f *= (float) factor;
            f += (float) constant;
            return f;
        }
        double d = v;
        if (restrict) {
            d = Math.max(d, min);
            d = Math.min(d, max);
        }
        d *= factor;
        d += constant;
        return d;
    }

    /** Whether every tree of the row gave a prediction (else JPMML's value is missing). */
    boolean predicts(double[] ordinals, int offset) {
        if (fused) {
            double sum = ordinals[offset + from];
            return sum == sum;
        }
        for (int t = from; t < from + count; t++) {
            if ((int) ordinals[offset + t] == NO_PREDICTION) {
                return false;
            }
        }
        return true;
    }

    /** The first slot of its trees, and how many there are (one slot once fused). */
    int from() {
        return from;
    }

    int slots() {
        return fused ? 1 : count;
    }

    /**
     * Whether the engine can sum this head's trees ({@link #fuse}): a {@code sum} or {@code average} in {@code double}
     * (JPMML adds from zero: a lone tree's -0 score would turn into 0) of finite scores (a NaN sum then says "no
     * prediction", and nothing else).
     */
    boolean fusable() {
        if (single || floats || fused || aggregation != null) {
            return false;
        }
        for (int o = 1; o < leaf.length; o++) {
            if (!Double.isFinite(leaf[o])) {
                return false;
            }
        }
        return true;
    }

    /** What a leaf of result {@code ordinal} weighs once fused: its score, NaN for no prediction. */
    double fusedWeight(int ordinal) {
        return ordinal == NO_PREDICTION ? Double.NaN : leaf[ordinal];
    }

    /** From now on the engine sums this head's trees in {@code slot} ({@link #fusable} must hold); while the plan is read. */
    void fuse(int slot) {
        if (!fusable()) {
            throw new IllegalStateException("not fusable");
        }
        this.from = slot;
        this.fused = true;
    }

    /** Its trees' slots start at {@code slot} now (the slots before it were fused); while the plan is read. */
    void relocate(int slot) {
        this.from = slot;
    }

    /**
     * The value as JPMML returns it: cast to the target's type. {@code TypeUtil.cast} keeps a value already of
     * that type as it is and maps a converted zero to positive zero.
     */
    Number box(double value) {
        if (link != null) {
            return link.box(value);
        }
        double v = cast(value);
        return floatResult ? (Number) Float.valueOf((float) v) : (Number) Double.valueOf(v);
    }

    /** {@code box(value).doubleValue()}, without the box. */
    double cast(double value) {
        return link == null ? ownCast(value) : link.cast(value);
    }

    private double ownCast(double value) {
        boolean converted = floats != floatResult;
        if (converted && value == 0) {
            value = 0d;
        }
        return floatResult ? (double) (float) value : value;
    }
}

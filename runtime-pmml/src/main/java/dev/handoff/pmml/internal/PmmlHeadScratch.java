package dev.handoff.pmml.internal;

import dev.handoff.internal.ScratchPool;

/**
 * One thread's working arrays for a plan's head ({@link PmmlRegressionHead}, {@link PmmlClassificationHead}), sized by
 * the head at load and kept in the model's per-thread scratch ({@link PmmlTreeModel}'s {@link ScratchPool}), not in
 * thread-locals: a thread that scored a model keeps nothing of it once the model is closed and dropped. The arrays
 * are padded ({@link ScratchPool#PAD_BYTES}) so two threads' arrays never share a cache line; a head that needs none
 * gets {@link #NONE}, which holds nothing to write.
 *
 * <pre>{@code
 * PmmlHeadScratch w = head.newScratch();            // once per thread, with the rest of its scratch
 * int c = head.classify(ordinals, 0, p, 0, w);
 * }</pre>
 */
final class PmmlHeadScratch {
    // before NONE, which reads them
    private static final double[] EMPTY_DOUBLES = {};
    private static final int[] EMPTY_INTS = {};
    private static final Integer[] EMPTY_INTEGERS = {};

    /** For heads that need no scratch: every array empty. */
    static final PmmlHeadScratch NONE = new PmmlHeadScratch(0, 0, 0, 0);

    /** A modelChain's values: its decision functions, transformed outputs and tables ({@link PmmlClassificationHead.Chain}). */
    final double[] chain;
    /** Per class or per tree values of an aggregation. */
    final double[] doubles;
    /** Per class or per tree indexes of an aggregation. */
    final int[] ints;
    /** A weightedMedian's trees in sorted order ({@link PmmlSegmentAggregation}). */
    final Integer[] order;

    private PmmlHeadScratch(int chain, int doubles, int ints, int order) {
        this.chain = chain == 0 ? EMPTY_DOUBLES : ScratchPool.doubles(chain);
        this.doubles = doubles == 0 ? EMPTY_DOUBLES : ScratchPool.doubles(doubles);
        this.ints = ints == 0 ? EMPTY_INTS : new int[ints + ScratchPool.PAD_BYTES / Integer.BYTES];
        // references take 4 or 8 bytes: padded for the larger
        this.order = order == 0 ? EMPTY_INTEGERS : new Integer[order + ScratchPool.PAD_BYTES / 4];
    }

    /** Scratch with room for the given numbers of values ({@link #NONE} when all are zero). */
    static PmmlHeadScratch of(int chain, int doubles, int ints, int order) {
        return chain == 0 && doubles == 0 && ints == 0 && order == 0 ? NONE : new PmmlHeadScratch(chain, doubles, ints, order);
    }
}

package dev.handoff.pmml.internal;

import dev.handoff.internal.tree.TreeEnsemble;

import java.util.List;

/**
 * Lets the tree engine add up the trees of a PMML sum or average itself: every {@link PmmlRegressionHead#fusable}
 * head's trees are given one shared slot, each leaf weighing its score (NaN for no prediction) instead of its result
 * ordinal, so that a row's walk leaves the head's sum in one running sum (added in tree order from zero, in double,
 * as JPMML's {@code ValueAggregator} adds) and the head reads it in one step; the other heads keep a slot per tree,
 * moved down past the slots fused before them.
 *
 * <pre>{@code
 * TreeEnsemble ensemble = PmmlSumFusion.fuse(emitter.finish(featureCount, slots), heads);
 * }</pre>
 *
 * <p>A {@code average} of classification trees is fused the same way, one running sum per class
 * ({@link PmmlClassificationHead.Forest#fuse}).
 *
 * <p>Nothing is fused unless the heads' slots are exactly every slot of the ensemble, one after another (a forest
 * classifier's trees are read by its own head), or when no head is fusable.
 */
final class PmmlSumFusion {

    private PmmlSumFusion() {
    }

    /** {@code ensemble} with the fusable heads' trees fused, the heads told their slots; or {@code ensemble} as it is. */
    static TreeEnsemble fuse(TreeEnsemble ensemble, List<PmmlRegressionHead> heads) {
        int slots = 0;
        boolean any = false;
        for (PmmlRegressionHead head : heads) {
            if (head.from() != slots) {
                return ensemble;
            }
            slots += head.slots();
            any |= head.fusable();
        }
        if (!any || slots != ensemble.targetCount()) {
            return ensemble;
        }
        // per old slot: its new slot, and the head that reads it when that head is fused
        int[] moved = new int[slots];
        PmmlRegressionHead[] fusedBy = new PmmlRegressionHead[slots];
        int next = 0;
        for (PmmlRegressionHead head : heads) {
            int from = head.from();
            int count = head.slots();
            if (head.fusable()) {
                for (int t = from; t < from + count; t++) {
                    moved[t] = next;
                    fusedBy[t] = head;
                }
                head.fuse(next);
                next++;
            } else {
                for (int t = from; t < from + count; t++) {
                    moved[t] = next + t - from;
                }
                head.relocate(next);
                next += count;
            }
        }
        int total = ensemble.weightTotal();
        int[] target = new int[total];
        double[] value = new double[total];
        for (int w = 0; w < total; w++) {
            int old = ensemble.weightTarget(w);
            target[w] = moved[old];
            double ordinal = ensemble.weightValue(w);
            value[w] = fusedBy[old] == null ? ordinal : fusedBy[old].fusedWeight((int) ordinal);
        }
        return ensemble.withLeafWeights(next, target, value);
    }

    /**
     * {@code ensemble} with a {@link PmmlClassificationHead.Forest#fusable} forest's trees fused into one running sum
     * per class (each leaf weighing its probabilities, NaN for no prediction), or after {@link #fuse(TreeEnsemble, List)}.
     */
    static TreeEnsemble fuse(TreeEnsemble ensemble, List<PmmlRegressionHead> heads, PmmlClassificationHead head) {
        if (!(head instanceof PmmlClassificationHead.Forest forest)) {
            return fuse(ensemble, heads);
        }
        if (!heads.isEmpty() || !forest.fusable() || forest.from() != 0 || forest.slots() != ensemble.targetCount()) {
            return ensemble;
        }
        int classes = forest.classes();
        int nodes = ensemble.nodeCount();
        int[] start = new int[nodes];
        int[] count = new int[nodes];
        int[] target = new int[ensemble.weightTotal() * classes];
        double[] value = new double[target.length];
        int w = 0;
        for (int i = 0; i < nodes; i++) {
            start[i] = w;
            if (!ensemble.isLeaf(i)) {
                continue;
            }
            if (ensemble.weightCount(i) != 1) {
                return ensemble; // not what PmmlNodeEmitter writes: left as it is
            }
            int ordinal = (int) ensemble.weightValue(ensemble.weightStart(i));
            for (int c = 0; c < classes; c++) {
                target[w] = c;
                value[w] = forest.fusedWeight(ordinal, c);
                w++;
            }
            count[i] = classes;
        }
        forest.fuse(0);
        return ensemble.withLeafWeights(classes, start, count, java.util.Arrays.copyOf(target, w), java.util.Arrays.copyOf(value, w));
    }
}

package dev.handoff.pmml.internal;

import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.internal.tree.TreeEnsemble.NodeMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes PMML's tree control flow into the binary, pre-order node arrays of a {@link TreeEnsemble}, with forward
 * jumps to labels. Three kinds of node are enough for any PMML tree:
 * <ul>
 *   <li>a comparison {@code x OP t} that jumps to a label when it holds (and, if asked, when {@code x} is
 *       missing), else goes on with the next node;</li>
 *   <li>a missing-value test: {@code EQ} against a NaN threshold with {@code missingTracksTrue}, which holds
 *       exactly when {@code x} is NaN (NaN equals nothing);</li>
 *   <li>an unconditional jump: {@code NEQ} against a NaN threshold, which holds for every {@code x}.</li>
 * </ul>
 * Leaves carry one weight: the ordinal of the PMML result they stand for, in the output slot of their tree.
 * A jump to the node right after it is dropped when its label is placed.
 *
 * <pre>{@code
 * PmmlNodeEmitter e = new PmmlNodeEmitter();
 * e.beginTree();
 * Label yes = e.label();
 * e.branch(feature, NodeMode.BRANCH_LEQ, 1.5, false, yes);
 * e.leaf(0, 7);
 * e.place(yes);
 * e.leaf(0, 8);
 * }</pre>
 */
final class PmmlNodeEmitter {
    /** A position in the node arrays, known once placed; jumps to it are patched at {@link #finish}. */
    static final class Label {
        int position = -1;
    }

    private int size;
    private int[] feature = new int[64];
    private double[] value = new double[64];
    private byte[] mode = new byte[64];
    private boolean[] missing = new boolean[64];
    private int[] trueChild = new int[64];
    private Label[] target = new Label[64];
    private int[] leafOutput = new int[64];
    private final List<Integer> treeStarts = new ArrayList<>();
    /** Labels in the order placed, so in ascending position. */
    private final List<Label> placed = new ArrayList<>();
    private int leafCount;

    Label label() {
        return new Label();
    }

    void beginTree() {
        treeStarts.add(size);
    }

    int nodeCount() {
        return size;
    }

    /** Places {@code label} at the next node, dropping a jump to it that would land there anyway. */
    void place(Label label) {
        boolean dropped = false;
        while (size > treeStarts.get(treeStarts.size() - 1) && mode[size - 1] == (byte) NodeMode.BRANCH_NEQ.ordinal()
                && Double.isNaN(value[size - 1]) && target[size - 1] == label) {
            size--;
            dropped = true;
        }
        if (dropped) {
            // labels placed at the dropped jumps now stand where those jumps led: here
            for (int i = placed.size() - 1; i >= 0 && placed.get(i).position > size; i--) {
                placed.get(i).position = size;
            }
        }
        label.position = size;
        placed.add(label);
    }

    /**
     * Whether a walk of the current tree can reach {@code label} (placed in it): a branch jumps there, or the node
     * before it is a branch whose false path falls into it. Conservative: a jump counts as falling through.
     */
    boolean reachable(Label label) {
        int at = label.position;
        int start = treeStarts.get(treeStarts.size() - 1);
        if (at == start) {
            return true;
        }
        if (mode[at - 1] != 0) {
            return true;
        }
        for (int i = start; i < size; i++) {
            if (mode[i] != 0 && target[i] != null && target[i].position == at) {
                return true;
            }
        }
        return false;
    }

    /** Goes to {@code to} when {@code x OP threshold} holds, or when {@code x} is missing and {@code missingGoesTrue}. */
    void branch(int f, NodeMode op, double threshold, boolean missingGoesTrue, Label to) {
        add(f, threshold, op, missingGoesTrue, to, -1);
    }

    /** Goes to {@code to} when feature {@code f} is missing. */
    void ifMissing(int f, Label to) {
        add(f, Double.NaN, NodeMode.BRANCH_EQ, true, to, -1);
    }

    /** Goes to {@code to} whatever the row. */
    void jump(Label to) {
        add(0, Double.NaN, NodeMode.BRANCH_NEQ, false, to, -1);
    }

    /** A leaf giving result {@code ordinal} in output slot {@code output}. */
    void leaf(int output, int ordinal) {
        add(0, ordinal, NodeMode.LEAF, false, null, output);
        leafCount++;
    }

    private void add(int f, double v, NodeMode m, boolean miss, Label to, int output) {
        if (size == feature.length) {
            int n = size * 2;
            feature = Arrays.copyOf(feature, n);
            value = Arrays.copyOf(value, n);
            mode = Arrays.copyOf(mode, n);
            missing = Arrays.copyOf(missing, n);
            trueChild = Arrays.copyOf(trueChild, n);
            target = Arrays.copyOf(target, n);
            leafOutput = Arrays.copyOf(leafOutput, n);
        }
        if (size >= TreeEnsemble.MAX_NODES) {
            throw new PmmlNotCovered("PMML trees larger than " + TreeEnsemble.MAX_NODES + " nodes not covered");
        }
        feature[size] = f;
        value[size] = v;
        mode[size] = (byte) m.ordinal();
        missing[size] = miss;
        target[size] = to;
        leafOutput[size] = output;
        size++;
    }

    /**
     * The ensemble: a regressor in double thresholds with one output per slot, each leaf weighing its result
     * ordinal (exact in the float output while ordinals stay below 2^24).
     */
    TreeEnsemble finish(int featureCount, int outputs) {
        if (leafCount >= 1 << 24) {
            throw new PmmlNotCovered("PMML trees with more than 2^24 leaves not covered");
        }
        int[] starts = treeStarts.stream().mapToInt(Integer::intValue).toArray();
        int[] ws = new int[size];
        int[] wc = new int[size];
        int[] wt = new int[leafCount];
        double[] wv = new double[leafCount];
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (mode[i] == 0) {
                ws[i] = w;
                wc[i] = 1;
                wt[w] = leafOutput[i];
                wv[w] = value[i];
                w++;
            } else {
                ws[i] = w;
                trueChild[i] = target[i].position;
                if (trueChild[i] < 0) {
                    throw new IllegalStateException("label of node " + i + " was never placed");
                }
            }
        }
        return TreeEnsemble.builder(TreeEnsemble.Kind.REGRESSOR, TreeEnsemble.ThresholdType.DOUBLE, featureCount, outputs)
                .trees(starts, Arrays.copyOf(feature, size), Arrays.copyOf(value, size), Arrays.copyOf(mode, size),
                        Arrays.copyOf(missing, size), Arrays.copyOf(trueChild, size))
                .leafWeights(ws, wc, wt, Arrays.copyOf(wv, w))
                .build();
    }
}

package dev.handoff.onnx.internal;

import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.internal.tree.TreeEnsemble.Aggregation;
import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.NodeMode;
import dev.handoff.internal.tree.TreeEnsemble.PostTransform;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the attributes of one {@code ai.onnx.ml} opset-5 {@code TreeEnsemble} node on a float input into a
 * {@link TreeEnsemble}, the way ONNX Runtime 1.28 runs it: it rewrites the node into the opset-3 form
 * ({@code TreeEnsembleAttributesV5::convert_to_v3}) and runs that. Pinned against ONNX Runtime itself
 * ({@code TreeEnsembleV5ParityTest}):
 * <ul>
 *   <li>each tree is walked from its {@code tree_roots} entry; a child is a leaf index when its
 *       {@code nodes_trueleafs}/{@code nodes_falseleafs} flag is set, else a node index; a subtree reached twice is
 *       evaluated as two copies (the walk expands the graph into trees); a root whose two children are the same leaf
 *       is a one-leaf tree whose weight is the leaf at the root's own index;</li>
 *   <li>a leaf adds its single {@code leaf_weights} entry to target {@code leaf_targetids}; no base values;</li>
 *   <li>{@code BRANCH_MEMBER} with fewer than 31 values, all in [0, 30], is a chain of {@code BRANCH_EQ} nodes with
 *       the node's missing-value flag and one true subtree: exact equality. Any other set is a "big set": the
 *       input is truncated to int32 and looked up; ONNX Runtime refuses sets with a value that is not an int32, and
 *       any out-of-range input (NaN, infinities, |x| >= 2^31) becomes {@code INT32_MIN}. Encoded without a new node
 *       mode: each member {@code s} is the interval of inputs that truncate to it, two comparisons (one {@code EQ}
 *       from 2^24 on, where floats are integers); a set holding {@code INT32_MIN} is not covered;</li>
 *   <li>{@code aggregate_function} 0 AVERAGE, 1 SUM (2 MIN and 3 MAX are not covered); {@code post_transform} by
 *       ONNX Runtime's own enum order (0 NONE, 1 LOGISTIC, 2 SOFTMAX, 3 SOFTMAX_ZERO, 4 PROBIT).</li>
 * </ul>
 * A double input (double splits, weights and output) is not covered: the engine's outputs are floats.
 */
final class OnnxTreeEnsembleV5Reader {
    static final String OP = "TreeEnsemble";
    /** Past this many nodes once the graph is expanded into trees, the model stays on ONNX Runtime (cycles end here). */
    static final int MAX_EXPANDED_NODES = 1 << 22;
    private static final byte MEMBER = 6;
    private static final float TWO_24 = 16_777_216f;

    private final Map<String, AttributeProto> attributes = new HashMap<>();
    // the expanded trees, in pre-order, false child next
    private int size;
    private int[] feature = new int[64];
    private double[] value = new double[64];
    private byte[] mode = new byte[64];
    private boolean[] tracks = new boolean[64];
    private int[] trueChild = new int[64];
    private int[] weightStart = new int[64];
    private int[] weightCount = new int[64];
    private final List<Integer> weightTargets = new ArrayList<>();
    private final List<Double> weightValues = new ArrayList<>();

    private OnnxTreeEnsembleV5Reader(NodeProto node) {
        for (AttributeProto attribute : node.getAttributeList()) {
            attributes.put(attribute.getName(), attribute);
        }
    }

    static TreeEnsemble read(NodeProto node, ThresholdType type, int featureCount) throws OnnxTreeLayout.NotCoveredException {
        if (type != ThresholdType.FLOAT) {
            throw notCovered("on a double input not covered (its scores are doubles)");
        }
        return new OnnxTreeEnsembleV5Reader(node).read(featureCount);
    }

    private TreeEnsemble read(int featureCount) throws OnnxTreeLayout.NotCoveredException {
        long[] featureIds = OnnxNodeAttributes.ints(attributes, "nodes_featureids");
        double[] splits = floats("nodes_splits");
        byte[] modes = bytes("nodes_modes");
        long[] trueIds = OnnxNodeAttributes.ints(attributes, "nodes_truenodeids");
        long[] falseIds = OnnxNodeAttributes.ints(attributes, "nodes_falsenodeids");
        long[] trueLeafs = OnnxNodeAttributes.ints(attributes, "nodes_trueleafs");
        long[] falseLeafs = OnnxNodeAttributes.ints(attributes, "nodes_falseleafs");
        long[] missing = OnnxNodeAttributes.ints(attributes, "nodes_missing_value_tracks_true");
        long[] leafTargets = OnnxNodeAttributes.ints(attributes, "leaf_targetids");
        double[] leafWeights = floats("leaf_weights");
        long[] roots = OnnxNodeAttributes.ints(attributes, "tree_roots");
        int n = featureIds.length;
        if (splits.length != n || modes.length != n || trueIds.length != n || falseIds.length != n || trueLeafs.length != n
                || falseLeafs.length != n || (missing.length != 0 && missing.length != n)) {
            throw notCovered("node attributes of different lengths");
        }
        if (leafTargets.length != leafWeights.length) {
            throw notCovered("leaf attributes of different lengths");
        }
        if (roots.length == 0) {
            throw notCovered("without trees");
        }
        long targets = OnnxNodeAttributes.intAttr(attributes, "n_targets", 0);
        if (targets < 1 || targets > 1 << 20) {
            throw notCovered("with " + targets + " targets");
        }
        for (int l = 0; l < leafTargets.length; l++) {
            if (leafTargets[l] < 0 || leafTargets[l] >= targets) {
                throw notCovered("leaf " + l + " names target " + leafTargets[l] + " of " + targets);
            }
        }
        double[][] sets = membership(modes);
        for (int i = 0; i < n; i++) {
            if (modes[i] < 0 || modes[i] > MEMBER) {
                throw notCovered("node mode " + modes[i] + " not covered");
            }
            if (featureIds[i] < 0 || featureIds[i] >= featureCount) {
                throw notCovered("node " + i + " reads feature " + featureIds[i] + " of " + featureCount);
            }
        }
        int[] treeStart = new int[roots.length];
        for (int t = 0; t < roots.length; t++) {
            treeStart[t] = size;
            long r = roots[t];
            if (r < 0 || r >= n) {
                throw notCovered("tree " + t + " has root " + r + " of " + n + " nodes");
            }
            int root = (int) r;
            boolean leaf = falseIds[root] == trueIds[root] && falseLeafs[root] != 0 && trueLeafs[root] != 0;
            expand(leaf, root, new Tree(featureIds, splits, modes, trueIds, falseIds, trueLeafs, falseLeafs, missing, sets,
                    leafTargets, leafWeights));
        }
        int[] targetArray = weightTargets.stream().mapToInt(Integer::intValue).toArray();
        double[] valueArray = weightValues.stream().mapToDouble(Double::doubleValue).toArray();
        return TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.FLOAT, featureCount, (int) targets)
                .trees(treeStart, Arrays.copyOf(feature, size), Arrays.copyOf(value, size), Arrays.copyOf(mode, size),
                        Arrays.copyOf(tracks, size), Arrays.copyOf(trueChild, size))
                .leafWeights(Arrays.copyOf(weightStart, size), Arrays.copyOf(weightCount, size), targetArray, valueArray)
                .aggregation(aggregation())
                .postTransform(postTransform())
                .build();
    }

    /** The node attributes of the model, read once. */
    private record Tree(long[] featureIds, double[] splits, byte[] modes, long[] trueIds, long[] falseIds, long[] trueLeafs,
                        long[] falseLeafs, long[] missing, double[][] sets, long[] leafTargets, double[] leafWeights) {
    }

    /**
     * Lays out the subtree at node or leaf {@code index} in pre-order, false subtree first, without recursion. A
     * frame is {leaf, index, stage, first position, comparison count}.
     */
    private void expand(boolean rootLeaf, int rootIndex, Tree m) throws OnnxTreeLayout.NotCoveredException {
        List<int[]> stack = new ArrayList<>();
        boolean[] onPath = new boolean[m.featureIds.length];
        stack.add(new int[] {rootLeaf ? 1 : 0, rootIndex, 0, 0, 0});
        while (!stack.isEmpty()) {
            int[] frame = stack.get(stack.size() - 1);
            int i = frame[1];
            if (frame[0] == 1) {
                addLeaf(i, m);
                stack.remove(stack.size() - 1);
            } else if (frame[2] == 0) {
                if (onPath[i]) {
                    throw notCovered("with a cycle through node " + i + " not covered");
                }
                onPath[i] = true;
                frame[3] = size;
                frame[4] = addComparisons(i, m);
                frame[2] = 1;
                stack.add(child(m.falseLeafs[i], m.falseIds[i], m));
            } else if (frame[2] == 1) {
                int truePosition = size;
                for (int p = frame[3]; p < frame[3] + frame[4]; p++) {
                    if (trueChild[p] == -1) {
                        trueChild[p] = truePosition;
                    }
                }
                frame[2] = 2;
                stack.add(child(m.trueLeafs[i], m.trueIds[i], m));
            } else {
                onPath[i] = false;
                stack.remove(stack.size() - 1);
            }
        }
    }

    private int[] child(long leafFlag, long id, Tree m) throws OnnxTreeLayout.NotCoveredException {
        boolean leaf = leafFlag != 0;
        long limit = leaf ? m.leafWeights.length : m.featureIds.length;
        if (id < 0 || id >= limit) {
            throw notCovered("child " + id + " of " + limit + (leaf ? " leaves" : " nodes") + " does not exist");
        }
        return new int[] {leaf ? 1 : 0, (int) id, 0, 0, 0};
    }

    private void addLeaf(int leaf, Tree m) throws OnnxTreeLayout.NotCoveredException {
        if (leaf >= m.leafWeights.length) {
            throw notCovered("leaf " + leaf + " of " + m.leafWeights.length + " does not exist");
        }
        int p = add(0, m.leafWeights[leaf], NodeMode.LEAF, false, 0);
        weightStart[p] = weightValues.size();
        weightCount[p] = 1;
        weightTargets.add((int) m.leafTargets[leaf]);
        weightValues.add(m.leafWeights[leaf]);
    }

    /**
     * Adds the comparisons of branch {@code i}; those whose true child is the node's true subtree get -1, filled in once
     * the false subtree is laid out. Returns how many were added.
     */
    private int addComparisons(int i, Tree m) throws OnnxTreeLayout.NotCoveredException {
        int f = (int) m.featureIds[i];
        boolean track = m.missing.length > 0 && m.missing[i] == 1;
        if (m.modes[i] != MEMBER) {
            add(f, m.splits[i], NodeMode.values()[m.modes[i] + 1], track, -1);
            return 1;
        }
        double[] set = m.sets[i];
        int start = size;
        if (smallSet(set)) {
            for (double s : set) {
                add(f, s, NodeMode.BRANCH_EQ, track, -1);
            }
            return size - start;
        }
        for (double s : set) {
            float v = (float) s;
            if (Math.abs(v) >= TWO_24) {
                add(f, v, NodeMode.BRANCH_EQ, track, -1);
            } else if (v > 0) { // s <= x < s + 1
                add(f, v, NodeMode.BRANCH_LT, false, size + 2);
                add(f, v + 1f, NodeMode.BRANCH_LT, track, -1);
            } else if (v < 0) { // s - 1 < x <= s
                add(f, v - 1f, NodeMode.BRANCH_LEQ, false, size + 2);
                add(f, v, NodeMode.BRANCH_LEQ, track, -1);
            } else { // -1 < x < 1
                add(f, -1f, NodeMode.BRANCH_LEQ, false, size + 2);
                add(f, 1f, NodeMode.BRANCH_LT, track, -1);
            }
        }
        return size - start;
    }

    /** ONNX Runtime's test for a set it unrolls into {@code BRANCH_EQ} nodes (at most 30 values, all in [0, 30]). */
    private static boolean smallSet(double[] set) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double s : set) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        return set.length < 31 && max <= 30 && min >= 0;
    }

    private int add(int f, double v, NodeMode nodeMode, boolean track, int jump) throws OnnxTreeLayout.NotCoveredException {
        if (size == MAX_EXPANDED_NODES) {
            throw notCovered("with more than " + MAX_EXPANDED_NODES + " nodes once expanded into trees not covered");
        }
        if (size == feature.length) {
            int grown = Math.min(MAX_EXPANDED_NODES, size * 2);
            feature = Arrays.copyOf(feature, grown);
            value = Arrays.copyOf(value, grown);
            mode = Arrays.copyOf(mode, grown);
            tracks = Arrays.copyOf(tracks, grown);
            trueChild = Arrays.copyOf(trueChild, grown);
            weightStart = Arrays.copyOf(weightStart, grown);
            weightCount = Arrays.copyOf(weightCount, grown);
        }
        feature[size] = f;
        value[size] = v;
        mode[size] = (byte) nodeMode.ordinal();
        tracks[size] = track;
        trueChild[size] = jump;
        weightStart[size] = weightValues.size();
        weightCount[size] = 0;
        return size++;
    }

    /** Each {@code BRANCH_MEMBER} node's values: {@code membership_values} holds them node after node, each set ended by NaN. */
    private double[][] membership(byte[] modes) throws OnnxTreeLayout.NotCoveredException {
        double[] all = floats("membership_values");
        double[][] sets = new double[modes.length][];
        int at = 0;
        for (int i = 0; i < modes.length; i++) {
            if (modes[i] != MEMBER) {
                continue;
            }
            int from = at;
            while (at < all.length && !Double.isNaN(all[at])) {
                at++;
            }
            sets[i] = Arrays.copyOfRange(all, from, at);
            at++;
            if (sets[i].length == 0) {
                throw notCovered("BRANCH_MEMBER node " + i + " with an empty set not covered");
            }
            if (!smallSet(sets[i])) {
                for (double s : sets[i]) {
                    if (s != Math.rint(s) || s <= Integer.MIN_VALUE || s > Integer.MAX_VALUE) {
                        throw notCovered("BRANCH_MEMBER node " + i + " with value " + s + " outside the int32 range above "
                                + Integer.MIN_VALUE + " not covered");
                    }
                }
            }
        }
        return sets;
    }

    private Aggregation aggregation() throws OnnxTreeLayout.NotCoveredException {
        long a = OnnxNodeAttributes.intAttr(attributes, "aggregate_function", 1);
        if (a == 0) {
            return Aggregation.AVERAGE;
        }
        if (a == 1) {
            return Aggregation.SUM;
        }
        throw notCovered("aggregate_function " + (a == 2 ? "MIN" : a == 3 ? "MAX" : Long.toString(a)) + " not covered");
    }

    private PostTransform postTransform() throws OnnxTreeLayout.NotCoveredException {
        long t = OnnxNodeAttributes.intAttr(attributes, "post_transform", 0);
        PostTransform[] order = {PostTransform.NONE, PostTransform.LOGISTIC, PostTransform.SOFTMAX, PostTransform.SOFTMAX_ZERO,
            PostTransform.PROBIT};
        if (t < 0 || t >= order.length) {
            throw notCovered("post_transform " + t + " not covered");
        }
        return order[(int) t];
    }

    private static OnnxTreeLayout.NotCoveredException notCovered(String what) {
        return new OnnxTreeLayout.NotCoveredException(OP + " " + what);
    }

    /** A float tensor attribute (float_data or raw little-endian bytes), widened; empty when absent. */
    private double[] floats(String name) throws OnnxTreeLayout.NotCoveredException {
        AttributeProto a = attributes.get(name);
        if (a == null) {
            return new double[0];
        }
        TensorProto t = a.getT();
        if (!a.hasT() || t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw notCovered(name + " not a float tensor on a float input");
        }
        int count = count(t, name);
        double[] out = new double[count];
        if (t.getFloatDataCount() > 0) {
            if (t.getFloatDataCount() != count) {
                throw notCovered(name + " holds " + t.getFloatDataCount() + " values for " + count);
            }
            for (int i = 0; i < count; i++) {
                out[i] = t.getFloatData(i);
            }
            return out;
        }
        if (t.getRawData().size() != (long) count * 4) {
            throw notCovered(name + " holds " + t.getRawData().size() + " bytes for " + count + " floats");
        }
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            out[i] = raw.getFloat();
        }
        return out;
    }

    /** The uint8 tensor of node modes (int32_data or raw bytes). */
    private byte[] bytes(String name) throws OnnxTreeLayout.NotCoveredException {
        AttributeProto a = attributes.get(name);
        if (a == null) {
            return new byte[0];
        }
        TensorProto t = a.getT();
        if (!a.hasT() || t.getDataType() != TensorProto.DataType.UINT8_VALUE) {
            throw notCovered(name + " not a uint8 tensor");
        }
        int count = count(t, name);
        byte[] out = new byte[count];
        if (t.getInt32DataCount() > 0) {
            if (t.getInt32DataCount() != count) {
                throw notCovered(name + " holds " + t.getInt32DataCount() + " values for " + count);
            }
            for (int i = 0; i < count; i++) {
                int v = t.getInt32Data(i);
                out[i] = (byte) (v < 0 || v > 127 ? 127 : v);
            }
            return out;
        }
        if (t.getRawData().size() != count) {
            throw notCovered(name + " holds " + t.getRawData().size() + " bytes for " + count + " modes");
        }
        t.getRawData().copyTo(out, 0);
        for (int i = 0; i < count; i++) {
            out[i] = out[i] < 0 ? 127 : out[i];
        }
        return out;
    }

    private static int count(TensorProto t, String name) throws OnnxTreeLayout.NotCoveredException {
        long count = 1;
        for (long d : t.getDimsList()) {
            count *= d;
            if (d < 0 || count > MAX_EXPANDED_NODES * 4L) {
                throw notCovered(name + " too large");
            }
        }
        return (int) count;
    }
}

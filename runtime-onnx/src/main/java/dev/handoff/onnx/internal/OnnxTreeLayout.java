package dev.handoff.onnx.internal;

import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.internal.tree.TreeEnsemble.Aggregation;
import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.NodeMode;
import dev.handoff.internal.tree.TreeEnsemble.PostTransform;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;
import com.google.protobuf.ByteString;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the attributes of one {@code TreeEnsembleRegressor} / {@code TreeEnsembleClassifier} node into a
 * {@link TreeEnsemble}, the way ONNX Runtime 1.28 builds its trees ({@code TreeEnsembleCommon::Init}):
 * <ul>
 *   <li>a tree starts wherever {@code nodes_treeids} changes, in attribute order, and is laid out from that node
 *       in pre-order, false child first, so that the false child is always the next node;</li>
 *   <li>leaf weights are attached in (tree, node, attribute position) order; weights on branches are ignored;
 *       a single-target leaf contributes its first weight, or its {@code nodes_values} entry when it has none;</li>
 *   <li>a float input means float thresholds, weights and base values; a double input, doubles.</li>
 * </ul>
 * What ONNX Runtime refuses (duplicate or missing ids, a false child that is not new, unreachable nodes) or
 * leaves undefined (a class or target id out of range) is reported as not covered, and so is a node shared by
 * two branches where the second reference points backwards.
 */
final class OnnxTreeLayout {
    /** The model is valid for ONNX Runtime perhaps, but not for the tree engine; the message says why. */
    static final class NotCoveredException extends Exception {
        NotCoveredException(String message) {
            super(message, null, false, false);
        }
    }

    private final NodeProto node;
    private final Map<String, AttributeProto> attributes = new HashMap<>();

    private OnnxTreeLayout(NodeProto node) {
        this.node = node;
        for (AttributeProto attribute : node.getAttributeList()) {
            attributes.put(attribute.getName(), attribute);
        }
    }

    static TreeEnsemble read(NodeProto node, Kind kind, ThresholdType type, int featureCount) throws NotCoveredException {
        return new OnnxTreeLayout(node).read(kind, type, featureCount);
    }

    private TreeEnsemble read(Kind kind, ThresholdType type, int featureCount) throws NotCoveredException {
        String op = node.getOpType();
        for (String name : attributes.keySet()) {
            if (name.endsWith("_as_tensor") && type == ThresholdType.FLOAT) {
                throw new NotCoveredException(op + " attribute " + name + " on a float input not covered");
            }
        }
        long[] treeIds = OnnxNodeAttributes.ints(attributes, "nodes_treeids");
        long[] nodeIds = OnnxNodeAttributes.ints(attributes, "nodes_nodeids");
        long[] featureIds = OnnxNodeAttributes.ints(attributes, "nodes_featureids");
        long[] trueIds = OnnxNodeAttributes.ints(attributes, "nodes_truenodeids");
        long[] falseIds = OnnxNodeAttributes.ints(attributes, "nodes_falsenodeids");
        long[] missing = OnnxNodeAttributes.ints(attributes, "nodes_missing_value_tracks_true");
        AttributeProto modeNames = attributes.get("nodes_modes");
        double[] values = reals("nodes_values", type);
        int n = treeIds.length;
        if (n == 0 || nodeIds.length != n || featureIds.length != n || trueIds.length != n || falseIds.length != n
                || modeNames == null || modeNames.getStringsCount() != n || values.length != n) {
            throw new NotCoveredException(op + " node attributes of different lengths");
        }
        if (n > TreeEnsemble.MAX_NODES) {
            throw new NotCoveredException(op + " with " + n + " nodes not covered (at most " + TreeEnsemble.MAX_NODES + ")");
        }
        byte[] modes = new byte[n];
        ByteString lastName = null;
        byte lastMode = 0;
        for (int i = 0; i < n; i++) {
            ByteString name = modeNames.getStrings(i);
            if (!name.equals(lastName)) { // runs of one mode are common: decode each name once per run
                lastMode = (byte) mode(name.toStringUtf8()).ordinal();
                lastName = name;
            }
            modes[i] = lastMode;
            if (featureIds[i] < 0 || featureIds[i] >= featureCount) {
                throw new NotCoveredException(op + " node " + i + " reads feature " + featureIds[i] + " of " + featureCount);
            }
        }
        TreeNodeIndex index = new TreeNodeIndex(n);
        for (int i = 0; i < n; i++) {
            if (!index.put((int) treeIds[i], (int) nodeIds[i], i)) {
                throw new NotCoveredException(op + " node " + nodeIds[i] + " of tree " + treeIds[i] + " declared twice");
            }
        }
        int[] trueAt = new int[n];
        int[] falseAt = new int[n];
        for (int i = 0; i < n; i++) {
            if (modes[i] != NodeMode.LEAF.ordinal()) {
                trueAt[i] = find(index, n, treeIds[i], trueIds[i], i, "true");
                falseAt[i] = find(index, n, treeIds[i], falseIds[i], i, "false");
            }
        }
        int[] position = new int[n];
        Arrays.fill(position, -1);
        int[] order = new int[n]; // order[pos] = attribute index
        int[] trueChild = new int[n];
        List<Integer> roots = new ArrayList<>();
        int added = 0;
        Set<Long> startedTrees = new HashSet<>();
        int[] stack = new int[n + 1];
        byte[] stage = new byte[n + 1];
        for (int i = 0; i < n; i++) {
            if (i > 0 && treeIds[i] == treeIds[i - 1]) {
                continue;
            }
            if (!startedTrees.add(treeIds[i])) {
                throw new NotCoveredException(op + " tree " + treeIds[i] + " has its nodes in several runs");
            }
            roots.add(added);
            added = layOut(i, trueAt, falseAt, modes, position, order, trueChild, added, treeIds[i], stack, stage);
        }
        if (added != n) {
            throw new NotCoveredException(op + " has " + (n - added) + " nodes no tree reaches");
        }
        int[] feature = new int[n];
        double[] value = new double[n];
        byte[] mode = new byte[n];
        boolean[] tracksTrue = new boolean[n];
        for (int p = 0; p < n; p++) {
            int i = order[p];
            feature[p] = (int) featureIds[i];
            value[p] = values[i];
            mode[p] = modes[i];
            tracksTrue[p] = i < missing.length && missing[i] == 1;
        }
        mergeEqualityRuns(feature, value, mode, tracksTrue, trueChild, type);
        boolean classifier = kind == Kind.CLASSIFIER;
        String prefix = classifier ? "class_" : "target_";
        long[] wTree = OnnxNodeAttributes.ints(attributes, prefix + "treeids");
        long[] wNode = OnnxNodeAttributes.ints(attributes, prefix + "nodeids");
        long[] wTarget = OnnxNodeAttributes.ints(attributes, prefix + "ids");
        double[] wValue = reals(prefix + "weights", type);
        int m = wTree.length;
        if (wNode.length != m || wTarget.length != m || wValue.length != m) {
            throw new NotCoveredException(op + " weight attributes of different lengths");
        }
        List<String> labels = classifier ? classLabels() : List.of();
        int targets = classifier ? labels.size() : (int) OnnxNodeAttributes.intAttr(attributes, "n_targets", 0);
        if (targets < 1) {
            throw new NotCoveredException(op + " with " + targets + " targets");
        }
        // ONNX Runtime attaches a leaf's weights in (tree, node, attribute position) order: within one leaf, attribute order
        int[] countAt = new int[n];
        int[] leafOf = new int[m]; // the weight's leaf position, -1 for a weight on a branch (ignored, as ONNX Runtime does)
        int keptCount = 0;
        for (int w = 0; w < m; w++) {
            int i = index.get((int) wTree[w], (int) wNode[w]);
            if (i < 0) {
                throw new NotCoveredException(op + " weight " + w + " names node " + wNode[w] + " of tree " + wTree[w]
                        + ", which does not exist");
            }
            if (modes[i] != NodeMode.LEAF.ordinal()) {
                leafOf[w] = -1;
                continue; // ONNX Runtime ignores weights on branches (old onnxmltools exports)
            }
            if (targets > 1 && (wTarget[w] < 0 || wTarget[w] >= targets)) {
                throw new NotCoveredException(op + " weight " + w + " names " + (classifier ? "class " : "target ") + wTarget[w]
                        + " of " + targets);
            }
            leafOf[w] = position[i];
            countAt[position[i]]++;
            keptCount++;
        }
        int[] weightStart = new int[n];
        int[] weightCount = new int[n];
        int[] weightTarget = new int[keptCount];
        double[] weightValue = new double[keptCount];
        int next = 0;
        for (int p = 0; p < n; p++) {
            weightStart[p] = next;
            next += countAt[p];
        }
        for (int w = 0; w < m; w++) {
            int p = leafOf[w];
            if (p < 0) {
                continue;
            }
            if (weightCount[p] == 0) {
                value[p] = wValue[w]; // ONNX Runtime's value_or_unique_weight
            }
            int at = weightStart[p] + weightCount[p]++;
            weightTarget[at] = targets == 1 ? 0 : (int) wTarget[w];
            weightValue[at] = wValue[w];
        }
        int[] treeStart = roots.stream().mapToInt(Integer::intValue).toArray();
        TreeEnsemble.Builder builder = TreeEnsemble.builder(kind, type, featureCount, targets)
                .trees(treeStart, feature, value, mode, tracksTrue, trueChild)
                .leafWeights(weightStart, weightCount, weightTarget, weightValue)
                .postTransform(postTransform())
                .baseValues(baseValues(type));
        if (classifier) {
            Set<Long> classesWeighted = new HashSet<>();
            boolean allPositive = true;
            for (int w = 0; w < m; w++) {
                classesWeighted.add(wTarget[w]);
                allPositive &= !(wValue[w] < 0);
            }
            boolean integerLabels = attributes.containsKey("classlabels_int64s") && !attributes.containsKey("classlabels_strings");
            builder.classes(labels, integerLabels, targets == 2 && classesWeighted.size() == 1, allPositive);
        } else {
            builder.aggregation(aggregation());
        }
        return builder.build();
    }

    /**
     * Lays out the tree from attribute node {@code root} as ONNX Runtime's {@code AddNodes} does (node, false
     * subtree, true subtree), without recursion: trees may be thousands of nodes deep.
     */
    private int layOut(int root, int[] trueAt, int[] falseAt, byte[] modes, int[] position, int[] order, int[] trueChild,
                       int added, long tree, int[] stack, byte[] stage) throws NotCoveredException {
        int depth = 0;
        stack[0] = root;
        stage[0] = 0;
        int returned = -1;
        while (depth >= 0) {
            int i = stack[depth];
            if (stage[depth] == 0) {
                if (position[i] >= 0) {
                    returned = position[i]; // a node reached twice: ONNX Runtime reuses it
                    depth--;
                    continue;
                }
                position[i] = added;
                order[added] = i;
                added++;
                if (modes[i] == NodeMode.LEAF.ordinal()) {
                    returned = position[i];
                    depth--;
                    continue;
                }
                stage[depth] = 1;
                depth++;
                stack[depth] = falseAt[i];
                stage[depth] = 0;
            } else if (stage[depth] == 1) {
                if (returned != position[i] + 1) {
                    throw new NotCoveredException(node.getOpType() + " tree " + tree + ": the false child of a node is shared "
                            + "(ONNX Runtime refuses it)");
                }
                stage[depth] = 2;
                depth++;
                stack[depth] = trueAt[i];
                stage[depth] = 0;
            } else {
                if (returned <= position[i]) {
                    throw new NotCoveredException(node.getOpType() + " tree " + tree + ": a true child points back to an earlier node");
                }
                trueChild[position[i]] = returned;
                returned = position[i];
                depth--;
            }
        }
        return added;
    }

    /**
     * ONNX Runtime merges a run of {@code BRANCH_EQ} nodes, each the false child of the one before, on one feature,
     * with one true child and integer thresholds in [1, 32], into one membership test that sends NaN the way of the
     * run's first node (measured on 1.28: the other nodes' missing-value flags are ignored; the membership itself is
     * exact). The engine keeps the chain and gives every node of a run the first node's flag. A run entered in its
     * middle by another branch's true child, or (double thresholds, not measured) one whose flags differ, is not covered.
     */
    private void mergeEqualityRuns(int[] feature, double[] value, byte[] mode, boolean[] tracksTrue, int[] trueChild,
                                   ThresholdType type) throws NotCoveredException {
        int n = mode.length;
        boolean[] target = new boolean[n];
        for (int p = 0; p < n; p++) {
            if (mode[p] != NodeMode.LEAF.ordinal()) {
                target[trueChild[p]] = true;
            }
        }
        for (int p = 0; p + 1 < n; p++) {
            if (!maskable(mode, value, p) || (p > 0 && sameRun(feature, value, mode, trueChild, p - 1))) {
                continue;
            }
            for (int q = p; q + 1 < n && sameRun(feature, value, mode, trueChild, q); q++) {
                if (target[q + 1]) {
                    throw new NotCoveredException(node.getOpType() + ": a chain of BRANCH_EQ nodes that ONNX Runtime merges is entered "
                            + "in its middle (not covered)");
                }
                if (tracksTrue[q + 1] != tracksTrue[p] && type == ThresholdType.DOUBLE) {
                    throw new NotCoveredException(node.getOpType() + ": a chain of BRANCH_EQ nodes on a double input with different "
                            + "missing-value flags not covered");
                }
                tracksTrue[q + 1] = tracksTrue[p];
            }
        }
    }

    private static boolean maskable(byte[] mode, double[] value, int p) {
        double v = value[p];
        return mode[p] == NodeMode.BRANCH_EQ.ordinal() && v >= 1 && v <= 32 && v == Math.rint(v);
    }

    /** Whether branch {@code p} and its false child {@code p + 1} belong to one run ONNX Runtime merges. */
    private static boolean sameRun(int[] feature, double[] value, byte[] mode, int[] trueChild, int p) {
        return maskable(mode, value, p) && maskable(mode, value, p + 1) && feature[p] == feature[p + 1]
                && trueChild[p] == trueChild[p + 1];
    }

    private int find(TreeNodeIndex index, int n, long tree, long id, int from, String branch) throws NotCoveredException {
        int i = id < 0 || id >= n ? -1 : index.get((int) tree, (int) id);
        if (i < 0 || i == from) {
            throw new NotCoveredException(node.getOpType() + " node " + from + ": " + branch + " child " + id + " of tree " + tree
                    + (i < 0 ? " does not exist" : " is the node itself"));
        }
        return i;
    }


    private NodeMode mode(String name) throws NotCoveredException {
        switch (name) {
            case "LEAF": return NodeMode.LEAF;
            case "BRANCH_LEQ": return NodeMode.BRANCH_LEQ;
            case "BRANCH_LT": return NodeMode.BRANCH_LT;
            case "BRANCH_GTE": return NodeMode.BRANCH_GTE;
            case "BRANCH_GT": return NodeMode.BRANCH_GT;
            case "BRANCH_EQ": return NodeMode.BRANCH_EQ;
            case "BRANCH_NEQ": return NodeMode.BRANCH_NEQ;
            default: throw new NotCoveredException(node.getOpType() + " node mode " + name + " not covered");
        }
    }

    private PostTransform postTransform() throws NotCoveredException {
        String name = string("post_transform", "NONE");
        try {
            return PostTransform.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new NotCoveredException(node.getOpType() + " post_transform " + name + " not covered");
        }
    }

    private Aggregation aggregation() throws NotCoveredException {
        String name = string("aggregate_function", "SUM");
        if (name.equals("SUM")) {
            return Aggregation.SUM;
        }
        if (name.equals("AVERAGE")) {
            return Aggregation.AVERAGE;
        }
        throw new NotCoveredException(node.getOpType() + " aggregate_function " + name + " not covered");
    }

    private double[] baseValues(ThresholdType type) throws NotCoveredException {
        return reals("base_values", type);
    }

    private List<String> classLabels() throws NotCoveredException {
        if (attributes.containsKey("classlabels_strings") && attributes.containsKey("classlabels_int64s")) {
            throw new NotCoveredException(node.getOpType() + " with both string and integer class labels");
        }
        List<String> labels = OnnxGraph.classLabels(node);
        if (labels.size() < 2) {
            throw new NotCoveredException(node.getOpType() + " with " + labels.size() + " class labels not covered");
        }
        return labels;
    }

    private String string(String name, String otherwise) {
        AttributeProto a = attributes.get(name);
        return a == null ? otherwise : a.getS().toStringUtf8();
    }

    /**
     * A real-valued attribute in the threshold type: its float list, or for a double input its
     * {@code _as_tensor} double tensor (one of the two, as ONNX Runtime requires).
     */
    private double[] reals(String name, ThresholdType type) throws NotCoveredException {
        AttributeProto floats = attributes.get(name);
        AttributeProto tensor = attributes.get(name + "_as_tensor");
        if (floats != null && floats.getFloatsCount() > 0 && tensor != null) {
            throw new NotCoveredException(node.getOpType() + " has both " + name + " and " + name + "_as_tensor");
        }
        if (tensor != null && tensor.hasT() && tensor.getT().getDimsCount() > 0) {
            return doubles(tensor.getT(), name + "_as_tensor");
        }
        double[] out = new double[floats == null ? 0 : floats.getFloatsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats.getFloats(i); // exact: a float widens to the same value in either threshold type
        }
        return out;
    }

    private double[] doubles(TensorProto t, String name) throws NotCoveredException {
        if (t.getDataType() != TensorProto.DataType.DOUBLE_VALUE) {
            throw new NotCoveredException(node.getOpType() + " " + name + " of type " + TensorProto.DataType.forNumber(t.getDataType())
                    + " not covered");
        }
        long count = 1;
        for (long d : t.getDimsList()) {
            count *= d;
        }
        if (t.getDoubleDataCount() > 0) {
            if (t.getDoubleDataCount() != count) {
                throw new NotCoveredException(node.getOpType() + " " + name + " holds " + t.getDoubleDataCount() + " values for " + count);
            }
            double[] out = new double[(int) count];
            for (int i = 0; i < out.length; i++) {
                out[i] = t.getDoubleData(i);
            }
            return out;
        }
        if (t.getRawData().size() != count * 8) {
            throw new NotCoveredException(node.getOpType() + " " + name + " holds " + t.getRawData().size() + " bytes for " + count + " doubles");
        }
        double[] out = new double[(int) count];
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < out.length; i++) {
            out[i] = raw.getDouble();
        }
        return out;
    }
}

package dev.handoff.onnx.internal;

import com.google.protobuf.ByteString;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.FunctionProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.SparseTensorProto;
import dev.handoff.onnx.internal.proto.TensorProto;

import java.util.List;

/**
 * Checks made on the parsed model before ONNX Runtime sees it, for what ONNX Runtime would accept
 * and then misuse: tensors whose data lives in an external file (ONNX Runtime would read it
 * relative to the process working directory, since sessions are created from bytes), and tree
 * ensembles whose node references leave the tree or loop back (every call would then spin forever).
 *
 * <pre>{@code
 * OnnxLoadGuards.check(graph);   // IllegalArgumentException naming the tensor or node
 * }</pre>
 */
final class OnnxLoadGuards {
    private static final String ML_DOMAIN = "ai.onnx.ml";
    private static final ByteString LEAF = ByteString.copyFromUtf8("LEAF");
    /** The most nodes the opset-5 trees of one model may have once expanded (as ONNX Runtime expands them). */
    static final long MAX_EXPANDED_V5 = 1L << 26;

    private OnnxLoadGuards() {
    }

    /**
     * Throws {@link IllegalArgumentException} with the reason when the model must not be loaded.
     *
     * @param maxNodes the complexity budget: graph nodes (subgraphs and functions included) plus
     *                 tree-ensemble nodes
     */
    static void check(OnnxGraph graph, long maxNodes) {
        checkGraph(graph.proto().getGraph(), "the graph");
        for (FunctionProto function : graph.proto().getFunctionsList()) {
            for (NodeProto node : function.getNodeList()) {
                checkNode(node, "function " + function.getName());
            }
        }
        long nodes = countNodes(graph.proto().getGraph());
        for (FunctionProto function : graph.proto().getFunctionsList()) {
            for (NodeProto node : function.getNodeList()) {
                nodes += countNodes(node);
            }
        }
        if (nodes > maxNodes) {
            throw new IllegalArgumentException("the model has " + nodes + " nodes (graph nodes and tree-ensemble nodes), more "
                    + "than the budget of " + maxNodes + " (OnnxOptions.maxNodes); raise it if this model is expected");
        }
    }

    private static long countNodes(GraphProto graph) {
        long n = 0;
        for (NodeProto node : graph.getNodeList()) {
            n += countNodes(node);
        }
        return n;
    }

    /** One for the node, its tree-ensemble nodes, and the nodes of its subgraphs. */
    private static long countNodes(NodeProto node) {
        long n = 1;
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals("nodes_nodeids")) {
                n += a.getIntsCount();
            }
            if (a.hasG()) {
                n += countNodes(a.getG());
            }
            for (GraphProto g : a.getGraphsList()) {
                n += countNodes(g);
            }
        }
        return n;
    }

    private static void checkGraph(GraphProto graph, String where) {
        for (TensorProto t : graph.getInitializerList()) {
            checkTensor(t, where);
        }
        for (SparseTensorProto t : graph.getSparseInitializerList()) {
            checkTensor(t.getValues(), where);
            checkTensor(t.getIndices(), where);
        }
        for (NodeProto node : graph.getNodeList()) {
            checkNode(node, where);
        }
    }

    private static void checkNode(NodeProto node, String where) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.hasT()) {
                checkTensor(a.getT(), where);
            }
            for (TensorProto t : a.getTensorsList()) {
                checkTensor(t, where);
            }
            if (a.hasSparseTensor()) {
                checkTensor(a.getSparseTensor().getValues(), where);
                checkTensor(a.getSparseTensor().getIndices(), where);
            }
            if (a.hasG()) {
                checkGraph(a.getG(), "the subgraph " + a.getName() + " of node '" + node.getName() + "'");
            }
            for (GraphProto g : a.getGraphsList()) {
                checkGraph(g, "a subgraph " + a.getName() + " of node '" + node.getName() + "'");
            }
        }
        if (node.getDomain().equals(ML_DOMAIN)
                && (node.getOpType().equals("TreeEnsembleRegressor") || node.getOpType().equals("TreeEnsembleClassifier"))) {
            checkTrees(node);
        }
        if (node.getDomain().equals(ML_DOMAIN) && node.getOpType().equals("TreeEnsemble")) {
            checkTreesV5(node);
        }
    }

    /**
     * The opset-5 {@code TreeEnsemble}: ONNX Runtime reads its node and leaf indices without bounds checks and expands the
     * graph into trees from each root (a cycle never ends, a shared subtree is copied), so every index reachable from
     * a root must lie in its array, no node may lead back to itself, and the expanded trees must stay under
     * {@link #MAX_EXPANDED_V5} nodes.
     */
    private static void checkTreesV5(NodeProto node) {
        String name = "the TreeEnsemble node '" + node.getName() + "'";
        List<Long> trueIds = ints(node, "nodes_truenodeids");
        List<Long> falseIds = ints(node, "nodes_falsenodeids");
        List<Long> trueLeafs = ints(node, "nodes_trueleafs");
        List<Long> falseLeafs = ints(node, "nodes_falseleafs");
        List<Long> featureIds = ints(node, "nodes_featureids");
        List<Long> leafTargets = ints(node, "leaf_targetids");
        int n = featureIds.size();
        if (trueIds.size() != n || falseIds.size() != n || trueLeafs.size() != n || falseLeafs.size() != n) {
            throw new IllegalArgumentException(name + " has node attributes of different lengths");
        }
        long leaves = leafTargets.size();
        long[] size = new long[n]; // expanded size of the subtree at each node, 0 while unknown
        byte[] colour = new byte[n];
        int[] stack = new int[n + 1];
        long expanded = 0;
        for (long root : ints(node, "tree_roots")) {
            if (root < 0 || root >= n) {
                throw new IllegalArgumentException(name + " has a tree root " + root + " outside its " + n + " nodes");
            }
            int r = (int) root;
            if (trueIds.get(r).equals(falseIds.get(r)) && trueLeafs.get(r) != 0 && falseLeafs.get(r) != 0 && root >= leaves) {
                throw new IllegalArgumentException(name + ": the one-leaf tree at node " + root + " reads leaf " + root
                        + " (ONNX Runtime's reading), outside its " + leaves + " leaves");
            }
            int depth = 0;
            stack[0] = (int) root;
            colour[(int) root] = 1;
            while (depth >= 0) {
                int at = stack[depth];
                int next = -1;
                long total = 1;
                for (int side = 0; side < 2; side++) {
                    long id = side == 0 ? falseIds.get(at) : trueIds.get(at);
                    boolean leaf = (side == 0 ? falseLeafs.get(at) : trueLeafs.get(at)) != 0;
                    if (id < 0 || id >= (leaf ? leaves : n)) {
                        throw new IllegalArgumentException(name + ": node " + at + " points to " + (leaf ? "leaf " : "node ") + id
                                + ", outside its " + (leaf ? leaves + " leaves" : n + " nodes"));
                    }
                    if (leaf) {
                        total += 1;
                    } else if (colour[(int) id] == 1) {
                        throw new IllegalArgumentException(name + ": node " + at + " leads back to node " + id
                                + " (a cycle: ONNX Runtime would never finish reading it)");
                    } else if (colour[(int) id] == 0) {
                        next = (int) id;
                        break;
                    } else {
                        total += size[(int) id];
                    }
                }
                if (next >= 0) {
                    colour[next] = 1;
                    stack[++depth] = next;
                    continue;
                }
                size[at] = Math.min(total, MAX_EXPANDED_V5 + 1);
                if (size[at] > MAX_EXPANDED_V5) {
                    throw new IllegalArgumentException(name + " shares subtrees so often that its trees would have more than "
                            + MAX_EXPANDED_V5 + " nodes once expanded");
                }
                colour[at] = 2;
                depth--;
            }
            expanded += size[r];
            if (expanded > MAX_EXPANDED_V5) {
                throw new IllegalArgumentException(name + "'s trees would have more than " + MAX_EXPANDED_V5
                        + " nodes once expanded");
            }
        }
    }

    /**
     * Refuses external data: the model is handed to ONNX Runtime as bytes, so a {@code location}
     * would be resolved against the process working directory, not the model's folder.
     */
    private static void checkTensor(TensorProto t, String where) {
        if (t.getExternalDataCount() > 0 || t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            String location = t.getExternalDataList().stream().filter(e -> e.getKey().equals("location"))
                    .map(e -> e.getValue()).findFirst().orElse("");
            throw new IllegalArgumentException("the tensor '" + t.getName() + "' in " + where
                    + " keeps its data in an external file" + (location.isEmpty() ? "" : " ('" + location + "')")
                    + ", which Handoff does not read (it would be resolved against the process working directory); "
                    + "save the model with its tensors inside the file (onnx.save_model(..., save_as_external_data=False))");
        }
    }

    /**
     * Every branch node's true and false targets must be nodes of the same tree, and walking from a
     * tree's nodes must never come back to a node on the current path.
     */
    private static void checkTrees(NodeProto node) {
        long[] treeIds = longs(node, "nodes_treeids");
        long[] nodeIds = longs(node, "nodes_nodeids");
        long[] trueIds = longs(node, "nodes_truenodeids");
        long[] falseIds = longs(node, "nodes_falsenodeids");
        List<ByteString> modes = byteStrings(node, "nodes_modes");
        int n = treeIds.length;
        String name = "the " + node.getOpType() + " node '" + node.getName() + "'";
        if (nodeIds.length != n || trueIds.length != n || falseIds.length != n || modes.size() != n) {
            throw new IllegalArgumentException(name + " has tree attributes of different lengths (nodes_treeids " + n
                    + ", nodes_nodeids " + nodeIds.length + ", nodes_truenodeids " + trueIds.length
                    + ", nodes_falsenodeids " + falseIds.length + ", nodes_modes " + modes.size() + ")");
        }
        TreeNodeIndex index = new TreeNodeIndex(n);
        for (int i = 0; i < n; i++) {
            if (!index.put(treeIds[i], nodeIds[i], i)) {
                throw new IllegalArgumentException(name + ": tree " + treeIds[i] + " declares node " + nodeIds[i] + " twice");
            }
        }
        int[] trueTarget = new int[n];
        int[] falseTarget = new int[n];
        for (int i = 0; i < n; i++) {
            if (modes.get(i).equals(LEAF)) {
                trueTarget[i] = -1;
                falseTarget[i] = -1;
                continue;
            }
            trueTarget[i] = target(index, trueIds[i], name, treeIds[i], nodeIds[i], "nodes_truenodeids");
            falseTarget[i] = target(index, falseIds[i], name, treeIds[i], nodeIds[i], "nodes_falsenodeids");
        }
        // iterative depth-first search with three colours: 0 unseen, 1 on the current path, 2 done
        byte[] colour = new byte[n];
        int[] stack = new int[n];
        int[] step = new int[n];
        for (int start = 0; start < n; start++) {
            if (colour[start] != 0) {
                continue;
            }
            int depth = 0;
            stack[0] = start;
            step[0] = 0;
            colour[start] = 1;
            while (depth >= 0) {
                int at = stack[depth];
                int next = step[depth] == 0 ? trueTarget[at] : step[depth] == 1 ? falseTarget[at] : -2;
                step[depth]++;
                if (next == -2) {
                    colour[at] = 2;
                    depth--;
                } else if (next >= 0) {
                    if (colour[next] == 1) {
                        throw new IllegalArgumentException(name + ": node " + nodeIds[at] + " of tree " + treeIds[at]
                                + " leads back to node " + nodeIds[next] + " (a cycle: every call would run forever)");
                    }
                    if (colour[next] == 0) {
                        colour[next] = 1;
                        depth++;
                        stack[depth] = next;
                        step[depth] = 0;
                    }
                }
            }
        }
    }

    private static int target(TreeNodeIndex index, long id, String name, long treeId, long nodeId, String attribute) {
        int target = index.get(treeId, id);
        if (target < 0) {
            throw new IllegalArgumentException(name + ": node " + nodeId + " of tree " + treeId + " points to node " + id
                    + " through " + attribute + ", which tree " + treeId + " does not have");
        }
        return target;
    }

    private static long[] longs(NodeProto node, String attribute) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(attribute)) {
                long[] out = new long[a.getIntsCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = a.getInts(i);
                }
                return out;
            }
        }
        return new long[0];
    }

    private static List<Long> ints(NodeProto node, String attribute) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(attribute)) {
                return a.getIntsList();
            }
        }
        return List.of();
    }

    private static List<ByteString> byteStrings(NodeProto node, String attribute) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(attribute)) {
                return a.getStringsList();
            }
        }
        return List.of();
    }
}

package dev.handoff.onnx.internal;

import dev.handoff.internal.LogText;
import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.OperatorSetIdProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import dev.handoff.onnx.internal.proto.TensorShapeProto;
import dev.handoff.onnx.internal.proto.TypeProto;
import dev.handoff.onnx.internal.proto.ValueInfoProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX-ML graph into a {@link TreeEnsemble} when the compiled tree engine covers it, and says why
 * not otherwise.
 *
 * <pre>{@code
 * OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(bytes).proto());
 * coverage.reason();   // null, or e.g. "ONNX op LinearRegressor not covered"
 * }</pre>
 *
 * <p>Covered: a graph with exactly one {@code ai.onnx.ml} {@code TreeEnsembleRegressor} or
 * {@code TreeEnsembleClassifier} (opsets 1 to 3), or opset-5 {@code TreeEnsemble} on a float input
 * ({@link OnnxTreeEnsembleV5Reader}), whose input is a float or double {@code [N, F]} graph input, or is
 * computed from the graph inputs by the preprocessing operators converters write ({@link OnnxPreprocessingPlanner}:
 * Identity, Cast, Concat, Reshape, Flatten, Squeeze, Unsqueeze, Gather, Add, Sub, Mul and Div with a constant,
 * Scaler, Imputer, OneHotEncoder, LabelEncoder, Normalizer, Binarizer, ArrayFeatureExtractor, FeatureVectorizer),
 * and whose outputs are the graph's, each possibly through {@code Identity} and {@code Cast} to its own type, the classifier's probabilities possibly through a
 * {@code ZipMap}. The tree attributes are read as ONNX Runtime 1.28 reads them ({@link OnnxTreeLayout}); anything
 * ONNX Runtime would refuse or leave undefined is reported, not covered.
 */
final class OnnxTreeReader {
    static final String ML_DOMAIN = "ai.onnx.ml";
    private static final String REGRESSOR = "TreeEnsembleRegressor";
    private static final String CLASSIFIER = "TreeEnsembleClassifier";
    private static final Set<String> ONNX_OPS = Set.of("Identity", "Cast", "Concat", "Reshape", "Flatten", "Squeeze", "Unsqueeze",
            "Gather", "Add", "Sub", "Mul", "Div", "Constant");
    private static final Set<String> ML_OPS = Set.of("Scaler", "Imputer", "OneHotEncoder", "LabelEncoder", "Normalizer",
            "ArrayFeatureExtractor", "Binarizer", "FeatureVectorizer", "ZipMap");

    private OnnxTreeReader() {
    }

    static OnnxTreeCoverage read(ModelProto model) {
        GraphProto graph = model.getGraph();
        NodeProto tree = null;
        for (NodeProto node : graph.getNodeList()) {
            String d = node.getDomain();
            boolean ml = d.equals(ML_DOMAIN);
            boolean onnx = d.isEmpty() || d.equals("ai.onnx");
            if (ml && (node.getOpType().equals(REGRESSOR) || node.getOpType().equals(CLASSIFIER)
                    || node.getOpType().equals(OnnxTreeEnsembleV5Reader.OP))) {
                if (tree != null) {
                    return OnnxTreeCoverage.notCovered("more than one tree-ensemble node");
                }
                tree = node;
            } else if (!(ml && ML_OPS.contains(node.getOpType())) && !(onnx && ONNX_OPS.contains(node.getOpType()))) {
                String domain = onnx || ml ? "" : d + ".";
                return OnnxTreeCoverage.notCovered("ONNX op " + domain + node.getOpType() + " not covered");
            }
        }
        if (tree == null) {
            return OnnxTreeCoverage.notCovered("no tree-ensemble node");
        }
        if (tree.getInputCount() != 1) {
            return OnnxTreeCoverage.notCovered(tree.getOpType() + " with " + tree.getInputCount() + " inputs");
        }
        Kind kind = tree.getOpType().equals(CLASSIFIER) ? Kind.CLASSIFIER : Kind.REGRESSOR;
        Set<NodeProto> used = OnnxPreprocessingPlanner.nodeSet();
        used.add(tree);
        String outputs = checkOutputs(graph, tree, kind, used);
        if (outputs != null) {
            return OnnxTreeCoverage.notCovered(outputs);
        }
        String treeInput = tree.getInput(0);
        ValueInfoProto direct = directInput(graph, treeInput);
        try {
            if (direct != null) {
                ThresholdType type = direct.getType().getTensorType().getElemType() == TensorProto.DataType.DOUBLE_VALUE
                        ? ThresholdType.DOUBLE : ThresholdType.FLOAT;
                int featureCount = (int) direct.getType().getTensorType().getShape().getDim(1).getDimValue();
                String unused = unusedNode(graph, used);
                if (unused != null) {
                    return OnnxTreeCoverage.notCovered(unused);
                }
                return OnnxTreeCoverage.covered(layout(tree, kind, type, featureCount), treeInput);
            }
            OnnxPreprocessing.Plan plan = OnnxPreprocessingPlanner.plan(graph, opset(model, ""), opset(model, ML_DOMAIN),
                    treeInput, used);
            String unused = unusedNode(graph, used);
            if (unused != null) {
                return OnnxTreeCoverage.notCovered(unused);
            }
            ThresholdType type = plan.doubleOutput() ? ThresholdType.DOUBLE : ThresholdType.FLOAT;
            TreeEnsemble ensemble = layout(tree, kind, type, plan.featureCount());
            return OnnxTreeCoverage.covered(ensemble, treeInput, plan);
        } catch (OnnxTreeLayout.NotCoveredException e) {
            return OnnxTreeCoverage.notCovered(e.getMessage());
        } catch (IllegalArgumentException e) {
            return OnnxTreeCoverage.notCovered(tree.getOpType() + " not covered: " + e.getMessage());
        } catch (RuntimeException e) {
            // a model no converter writes (sizes that overflow, inconsistent constants): the runtime decides what it means
            return OnnxTreeCoverage.notCovered("graph not covered (" + e.getClass().getSimpleName() + " while reading it)");
        }
    }

    private static TreeEnsemble layout(NodeProto tree, Kind kind, ThresholdType type, int featureCount)
            throws OnnxTreeLayout.NotCoveredException {
        return tree.getOpType().equals(OnnxTreeEnsembleV5Reader.OP) ? OnnxTreeEnsembleV5Reader.read(tree, type, featureCount)
                : OnnxTreeLayout.read(tree, kind, type, featureCount);
    }

    /** The graph input the tree node reads directly, when it is a float or double {@code [N, F]} tensor; else null. */
    private static ValueInfoProto directInput(GraphProto graph, String name) {
        for (TensorProto initializer : graph.getInitializerList()) {
            if (initializer.getName().equals(name)) {
                return null;
            }
        }
        for (ValueInfoProto input : graph.getInputList()) {
            if (input.getName().equals(name)) {
                TypeProto type = input.getType();
                if (!type.hasTensorType()) {
                    return null;
                }
                int elemType = type.getTensorType().getElemType();
                TensorShapeProto shape = type.getTensorType().getShape();
                boolean real = elemType == TensorProto.DataType.FLOAT_VALUE || elemType == TensorProto.DataType.DOUBLE_VALUE;
                boolean rows = shape.getDimCount() == 2 && shape.getDim(1).hasDimValue() && shape.getDim(1).getDimValue() >= 1
                        && shape.getDim(1).getDimValue() <= Integer.MAX_VALUE;
                return real && rows ? input : null;
            }
        }
        return null;
    }

    /** The first node neither the trees, their preprocessing nor their output chain use, as a reason; null when none. */
    private static String unusedNode(GraphProto graph, Set<NodeProto> used) {
        for (NodeProto node : graph.getNodeList()) {
            if (!used.contains(node)) {
                return "ONNX op " + node.getOpType() + " beside the tree ensemble not covered";
            }
        }
        return null;
    }

    private static long opset(ModelProto model, String domain) {
        for (OperatorSetIdProto opset : model.getOpsetImportList()) {
            String d = opset.getDomain().equals("ai.onnx") ? "" : opset.getDomain();
            if (d.equals(domain)) {
                return opset.getVersion();
            }
        }
        return 1;
    }

    /**
     * Null when the graph's outputs are the tree node's own, each through a chain of {@code Identity} and same-type
     * {@code Cast} nodes, a classifier's probabilities possibly through one {@code ZipMap}; the chain nodes are
     * added to {@code used}.
     */
    private static String checkOutputs(GraphProto graph, NodeProto tree, Kind kind, Set<NodeProto> used) {
        List<String> graphOutputs = new ArrayList<>();
        for (ValueInfoProto output : graph.getOutputList()) {
            graphOutputs.add(output.getName());
        }
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        for (NodeProto node : graph.getNodeList()) {
            for (String input : new HashSet<>(node.getInputList())) {
                consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node);
            }
        }
        int expected = kind == Kind.REGRESSOR ? 1 : 2;
        if (tree.getOutputCount() != expected) {
            return (kind == Kind.REGRESSOR ? "regressor" : "classifier") + " with " + tree.getOutputCount() + " outputs not covered";
        }
        List<String> ends = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            boolean label = kind == Kind.CLASSIFIER && i == 0;
            int type = label ? labelType(tree) : TensorProto.DataType.FLOAT_VALUE;
            String end = follow(tree.getOutput(i), type, kind == Kind.CLASSIFIER && i == 1, graphOutputs, consumers, used);
            if (end.startsWith(" ")) {
                return end.substring(1);
            }
            ends.add(end);
        }
        if (!graphOutputs.equals(ends)) {
            return "graph outputs " + quote(graphOutputs.toString()) + " are not the "
                    + (kind == Kind.REGRESSOR ? "regressor's output" : "classifier's label and probabilities");
        }
        return null;
    }

    /** The graph output a tree output reaches, or a reason (starting with a space) why it is not covered. */
    private static String follow(String name, int type, boolean zipMapAllowed, List<String> graphOutputs,
                                 Map<String, List<NodeProto>> consumers, Set<NodeProto> used) {
        boolean zipped = false;
        for (int steps = 0; steps < 64; steps++) {
            List<NodeProto> readers = consumers.getOrDefault(name, List.of());
            if (graphOutputs.contains(name)) {
                return readers.isEmpty() ? name : " tree ensemble output " + quote(name) + " also read by ONNX op "
                        + readers.get(0).getOpType() + " not covered";
            }
            if (readers.size() != 1) {
                return " tree ensemble output " + quote(name) + (readers.isEmpty() ? " is not a graph output" : " read by several nodes")
                        + " not covered";
            }
            NodeProto node = readers.get(0);
            String op = node.getOpType();
            if (node.getInputCount() != 1 || node.getOutputCount() != 1) {
                return " ONNX op " + op + " after the tree ensemble not covered";
            }
            if (op.equals("Cast") && !zipped) {
                long to = 0;
                for (var a : node.getAttributeList()) {
                    if (a.getName().equals("to")) {
                        to = a.getI();
                    }
                }
                if (to != type) {
                    return " ONNX op Cast of a tree ensemble output from " + OnnxPreprocessingPlanner.typeName(type) + " to "
                            + OnnxPreprocessingPlanner.typeName((int) to) + " not covered";
                }
            } else if (op.equals("ZipMap") && zipMapAllowed && !zipped && node.getDomain().equals(ML_DOMAIN)) {
                zipped = true;
            } else if (!op.equals("Identity")) {
                return " ONNX op " + op + " after the tree ensemble not covered";
            }
            used.add(node);
            name = node.getOutput(0);
        }
        return " tree ensemble output chain longer than 64 nodes not covered";
    }

    private static int labelType(NodeProto tree) {
        for (var a : tree.getAttributeList()) {
            if (a.getName().equals("classlabels_int64s")) {
                return TensorProto.DataType.INT64_VALUE;
            }
        }
        return TensorProto.DataType.STRING_VALUE;
    }

    /** A name from the model, quoted, on one line and bounded, for a reason phrase. */
    static String quote(String name) {
        return "'" + LogText.safe(name, 80) + "'";
    }
}

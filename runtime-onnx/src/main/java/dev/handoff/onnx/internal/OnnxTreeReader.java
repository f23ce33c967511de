package dev.handoff.onnx.internal;

import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import dev.handoff.onnx.internal.proto.TensorShapeProto;
import dev.handoff.onnx.internal.proto.TypeProto;
import dev.handoff.onnx.internal.proto.ValueInfoProto;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an ONNX-ML graph into a {@link TreeEnsemble} when the compiled tree engine covers it, and says why
 * not otherwise.
 *
 * <pre>{@code
 * OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(bytes).proto());
 * coverage.reason();   // null, or e.g. "ONNX op Scaler not covered"
 * }</pre>
 *
 * <p>Covered (phase A): a graph whose only computing node is one {@code ai.onnx.ml}
 * {@code TreeEnsembleRegressor} or {@code TreeEnsembleClassifier} (opsets 1 to 3) fed directly by the graph's
 * single float (or double) {@code [N, F]} input, with the node's outputs as the graph's, the classifier's
 * probabilities optionally through a {@code ZipMap}. The attributes are read as ONNX Runtime 1.28 reads them
 * ({@link OnnxTreeLayout}); anything ONNX Runtime would refuse or leave undefined is reported, not covered.
 */
final class OnnxTreeReader {
    static final String ML_DOMAIN = "ai.onnx.ml";
    private static final String REGRESSOR = "TreeEnsembleRegressor";
    private static final String CLASSIFIER = "TreeEnsembleClassifier";

    private OnnxTreeReader() {
    }

    static OnnxTreeCoverage read(ModelProto model) {
        GraphProto graph = model.getGraph();
        NodeProto tree = null;
        NodeProto zipMap = null;
        for (NodeProto node : graph.getNodeList()) {
            boolean ml = node.getDomain().equals(ML_DOMAIN);
            if (ml && (node.getOpType().equals(REGRESSOR) || node.getOpType().equals(CLASSIFIER))) {
                if (tree != null) {
                    return OnnxTreeCoverage.notCovered("more than one tree-ensemble node");
                }
                tree = node;
            } else if (ml && node.getOpType().equals("ZipMap") && zipMap == null) {
                zipMap = node;
            } else {
                String d = node.getDomain();
                String domain = d.isEmpty() || d.equals("ai.onnx") || d.equals(ML_DOMAIN) ? "" : d + ".";
                return OnnxTreeCoverage.notCovered("ONNX op " + domain + node.getOpType() + " not covered");
            }
        }
        if (tree == null) {
            return OnnxTreeCoverage.notCovered("no tree-ensemble node");
        }
        Set<String> initializers = new HashSet<>();
        for (TensorProto initializer : graph.getInitializerList()) {
            initializers.add(initializer.getName());
        }
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto input : graph.getInputList()) {
            if (!initializers.contains(input.getName())) {
                inputs.add(input);
            }
        }
        if (inputs.size() != 1) {
            return OnnxTreeCoverage.notCovered(inputs.size() + " graph inputs (one [N, F] tensor covered)");
        }
        ValueInfoProto input = inputs.get(0);
        TypeProto type = input.getType();
        if (!type.hasTensorType()) {
            return OnnxTreeCoverage.notCovered("input " + input.getName() + " is not a tensor");
        }
        int elemType = type.getTensorType().getElemType();
        ThresholdType thresholdType;
        if (elemType == TensorProto.DataType.FLOAT_VALUE) {
            thresholdType = ThresholdType.FLOAT;
        } else if (elemType == TensorProto.DataType.DOUBLE_VALUE) {
            thresholdType = ThresholdType.DOUBLE;
        } else {
            return OnnxTreeCoverage.notCovered("input " + input.getName() + " of element type "
                    + TensorProto.DataType.forNumber(elemType) + " not covered (float and double are)");
        }
        TensorShapeProto shape = type.getTensorType().getShape();
        if (shape.getDimCount() != 2 || !shape.getDim(1).hasDimValue() || shape.getDim(1).getDimValue() < 1
                || shape.getDim(1).getDimValue() > Integer.MAX_VALUE) {
            return OnnxTreeCoverage.notCovered("input " + input.getName() + " is not a [N, F] tensor with a fixed F");
        }
        int featureCount = (int) shape.getDim(1).getDimValue();
        if (tree.getInputCount() != 1 || !tree.getInput(0).equals(input.getName())) {
            return OnnxTreeCoverage.notCovered(tree.getOpType() + " is not fed by the graph input directly");
        }
        Kind kind = tree.getOpType().equals(REGRESSOR) ? Kind.REGRESSOR : Kind.CLASSIFIER;
        String outputs = checkOutputs(graph, tree, zipMap, kind);
        if (outputs != null) {
            return OnnxTreeCoverage.notCovered(outputs);
        }
        try {
            TreeEnsemble ensemble = OnnxTreeLayout.read(tree, kind, thresholdType, featureCount);
            return OnnxTreeCoverage.covered(ensemble, input.getName());
        } catch (OnnxTreeLayout.NotCoveredException e) {
            return OnnxTreeCoverage.notCovered(e.getMessage());
        } catch (IllegalArgumentException e) {
            return OnnxTreeCoverage.notCovered(tree.getOpType() + " not covered: " + e.getMessage());
        }
    }

    /** Null when the graph's outputs are the tree node's own (a classifier's probabilities possibly through ZipMap). */
    private static String checkOutputs(GraphProto graph, NodeProto tree, NodeProto zipMap, Kind kind) {
        List<String> graphOutputs = new ArrayList<>();
        for (ValueInfoProto output : graph.getOutputList()) {
            graphOutputs.add(output.getName());
        }
        if (kind == Kind.REGRESSOR) {
            if (zipMap != null) {
                return "ZipMap after a regressor not covered";
            }
            if (tree.getOutputCount() != 1 || !graphOutputs.equals(List.of(tree.getOutput(0)))) {
                return "graph outputs " + graphOutputs + " are not the regressor's output";
            }
            return null;
        }
        if (tree.getOutputCount() != 2) {
            return "classifier with " + tree.getOutputCount() + " outputs not covered";
        }
        String label = tree.getOutput(0);
        String probabilities = tree.getOutput(1);
        if (zipMap != null) {
            if (zipMap.getInputCount() != 1 || !zipMap.getInput(0).equals(probabilities) || zipMap.getOutputCount() != 1) {
                return "ZipMap not fed by the classifier's probabilities";
            }
            probabilities = zipMap.getOutput(0);
        }
        if (!graphOutputs.equals(List.of(label, probabilities))) {
            return "graph outputs " + graphOutputs + " are not the classifier's label and probabilities";
        }
        return null;
    }
}

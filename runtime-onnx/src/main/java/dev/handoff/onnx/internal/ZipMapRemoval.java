package dev.handoff.onnx.internal;

import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import dev.handoff.onnx.internal.proto.TensorShapeProto;
import dev.handoff.onnx.internal.proto.TypeProto;
import dev.handoff.onnx.internal.proto.ValueInfoProto;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives a default skl2onnx export the speed of its {@code zipmap: False} twin: the graph's ZipMap
 * node, which turns the {@code [N, K]} probability tensor into one boxed map per row, is removed and
 * that tensor becomes the graph output in its place. Handoff still reports the output under the
 * ZipMap's name, as a map of class probabilities: ZipMap only copies the tensor's row into a map
 * keyed by its {@code classlabels_*}, which are the model's classes in the same order, so the
 * probabilities and their class order are exactly those of the ZipMap output.
 *
 * <pre>{@code
 * ZipMapRemoval removal = ZipMapRemoval.plan(graph);
 * byte[] bytes = removal.isEmpty() ? original : removal.modelBytes();
 * String mapName = removal.mapOutputs().get("probabilities");   // "output_probability"
 * }</pre>
 *
 * <p>Only the plain case is rewritten: a ZipMap in the main graph whose map is a graph output read by
 * no other node, whose input tensor is computed inside the graph and is not itself an output, in a
 * graph without subgraphs (which could read the map by name). Anything else is left as it is and
 * decoded map by map.
 */
final class ZipMapRemoval {
    /** Per probability tensor that now is a graph output, the name of the ZipMap output it stands for. */
    private final Map<String, String> mapOutputs;
    private final byte[] modelBytes;

    private ZipMapRemoval(Map<String, String> mapOutputs, byte[] modelBytes) {
        this.mapOutputs = mapOutputs;
        this.modelBytes = modelBytes;
    }

    /** Leaves the graph as it is. */
    static ZipMapRemoval none() {
        return new ZipMapRemoval(Map.of(), null);
    }

    /** Plans the removal of the graph's ZipMap nodes; {@link #isEmpty()} when there is nothing to rewrite. */
    static ZipMapRemoval plan(OnnxGraph graph) {
        GraphProto g = graph.proto().getGraph();
        if (g.getNodeList().stream().noneMatch(OnnxGraph::isZipMap) || hasSubgraphs(g)) {
            return none();
        }
        Set<String> graphInputs = new HashSet<>();
        g.getInputList().forEach(v -> graphInputs.add(v.getName()));
        Map<String, Integer> outputIndex = new LinkedHashMap<>();
        for (int i = 0; i < g.getOutputCount(); i++) {
            outputIndex.put(g.getOutput(i).getName(), i);
        }
        Map<String, Integer> readers = new LinkedHashMap<>();
        for (NodeProto node : g.getNodeList()) {
            for (String input : node.getInputList()) {
                readers.merge(input, 1, Integer::sum);
            }
        }
        GraphProto.Builder edited = g.toBuilder();
        Map<String, String> mapOutputs = new LinkedHashMap<>();
        List<Integer> removedNodes = new ArrayList<>();
        for (int n = 0; n < g.getNodeCount(); n++) {
            NodeProto node = g.getNode(n);
            if (!OnnxGraph.isZipMap(node) || node.getInputCount() != 1 || node.getOutputCount() != 1) {
                continue;
            }
            String tensor = node.getInput(0);
            String map = node.getOutput(0);
            int classes = OnnxGraph.classLabels(node).size();
            Integer position = outputIndex.get(map);
            if (position == null || readers.containsKey(map) || classes == 0 || graphInputs.contains(tensor)
                    || outputIndex.containsKey(tensor) || mapOutputs.containsKey(tensor)) {
                continue;
            }
            edited.setOutput(position, probabilityOutput(tensor, g.getOutput(position), classes));
            mapOutputs.put(tensor, map);
            removedNodes.add(n);
        }
        if (mapOutputs.isEmpty()) {
            return none();
        }
        for (int i = removedNodes.size() - 1; i >= 0; i--) {
            edited.removeNode(removedNodes.get(i));
        }
        byte[] bytes = graph.proto().toBuilder().setGraph(edited).build().toByteArray();
        return new ZipMapRemoval(Map.copyOf(mapOutputs), bytes);
    }

    /** {@code float [N, K]} under the tensor's name, N named as the map output's sequence dimension would be. */
    private static ValueInfoProto probabilityOutput(String tensor, ValueInfoProto mapOutput, int classes) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(classes))
                .build();
        TypeProto type = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))
                .build();
        return ValueInfoProto.newBuilder().setName(tensor).setType(type).setDocString(mapOutput.getDocString()).build();
    }

    private static boolean hasSubgraphs(GraphProto g) {
        for (NodeProto node : g.getNodeList()) {
            for (AttributeProto attribute : node.getAttributeList()) {
                if (attribute.hasG() || attribute.getGraphsCount() > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the graph is left as it is. */
    boolean isEmpty() {
        return mapOutputs.isEmpty();
    }

    /** The rewritten model; only when not {@link #isEmpty()}. */
    byte[] modelBytes() {
        return modelBytes;
    }

    /** Per probability tensor now output by the graph, the name of the ZipMap output it replaces. */
    Map<String, String> mapOutputs() {
        return mapOutputs;
    }
}

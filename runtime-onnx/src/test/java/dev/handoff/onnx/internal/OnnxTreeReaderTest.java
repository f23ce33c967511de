package dev.handoff.onnx.internal;

import com.google.protobuf.ByteString;
import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.OperatorSetIdProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import dev.handoff.onnx.internal.proto.TensorShapeProto;
import dev.handoff.onnx.internal.proto.TypeProto;
import dev.handoff.onnx.internal.proto.ValueInfoProto;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What the ONNX tree reader covers and the reason it gives for what it does not, on small regressors written in
 * code: a root (node 0) with its false child 1 and true child 2, or variations of it.
 */
class OnnxTreeReaderTest {

    /** The attributes of a stump on feature 0 at 0.5: leaves 1 (weight 1) and 2 (weight 2), ids as ONNX writes them. */
    private static Map<String, AttributeProto> stump() {
        Map<String, AttributeProto> a = new LinkedHashMap<>();
        a.put("nodes_treeids", ints("nodes_treeids", 0, 0, 0));
        a.put("nodes_nodeids", ints("nodes_nodeids", 0, 1, 2));
        a.put("nodes_featureids", ints("nodes_featureids", 0, 0, 0));
        a.put("nodes_modes", strings("nodes_modes", "BRANCH_LEQ", "LEAF", "LEAF"));
        a.put("nodes_values", floats("nodes_values", 0.5f, 0, 0));
        a.put("nodes_truenodeids", ints("nodes_truenodeids", 2, 0, 0));
        a.put("nodes_falsenodeids", ints("nodes_falsenodeids", 1, 0, 0));
        a.put("target_treeids", ints("target_treeids", 0, 0));
        a.put("target_nodeids", ints("target_nodeids", 1, 2));
        a.put("target_ids", ints("target_ids", 0, 0));
        a.put("target_weights", floats("target_weights", 1, 2));
        a.put("n_targets", AttributeProto.newBuilder().setName("n_targets").setType(AttributeProto.AttributeType.INT).setI(1).build());
        return a;
    }

    private static OnnxTreeCoverage read(Map<String, AttributeProto> attributes, NodeProto... after) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType("TreeEnsembleRegressor").setDomain("ai.onnx.ml").addInput("X")
                .addOutput(after.length == 0 ? "Y" : "T");
        attributes.values().forEach(node::addAttribute);
        GraphProto.Builder graph = GraphProto.newBuilder().addNode(node).addInput(tensor("X", 2)).addOutput(tensor("Y", 1));
        for (NodeProto n : after) {
            graph.addNode(n);
        }
        ModelProto model = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3)).setGraph(graph).build();
        return OnnxTreeReader.read(model);
    }

    @Test
    void aStumpIsCoveredAndLaidOutWithItsFalseChildNext() {
        OnnxTreeCoverage coverage = read(stump());
        assertNull(coverage.reason());
        TreeEnsemble model = coverage.model();
        assertEquals("X", coverage.inputName());
        assertEquals(2, model.featureCount());
        assertEquals(2, model.trueChild(0));
        assertEquals(1.0, model.value(1), "the false leaf follows its branch");
        assertEquals(2.0, model.value(2));
    }

    @Test
    void idsInAnyOrderAreLaidOutInPreOrder() {
        Map<String, AttributeProto> a = stump();
        a.put("nodes_nodeids", ints("nodes_nodeids", 7, 3, 5));
        a.put("nodes_truenodeids", ints("nodes_truenodeids", 3, 0, 0)); // true: node id 3 (weight 1)
        a.put("nodes_falsenodeids", ints("nodes_falsenodeids", 5, 0, 0));
        a.put("target_nodeids", ints("target_nodeids", 3, 5));
        a.put("nodes_treeids", ints("nodes_treeids", 0, 0, 0));
        OnnxTreeCoverage coverage = read(a);
        assertEquals("TreeEnsembleRegressor node 0: true child 3 of tree 0 does not exist", coverage.reason(),
                "ONNX Runtime requires node ids below the node count");
        a.put("nodes_nodeids", ints("nodes_nodeids", 2, 0, 1));
        a.put("nodes_truenodeids", ints("nodes_truenodeids", 0, 0, 0));
        a.put("nodes_falsenodeids", ints("nodes_falsenodeids", 1, 0, 0));
        a.put("target_nodeids", ints("target_nodeids", 0, 1));
        TreeEnsemble model = read(a).model();
        assertEquals(2, model.trueChild(0));
        assertEquals(2.0, model.value(1), "false child (id 1) is next");
        assertEquals(1.0, model.value(2), "true child (id 0) after it");
    }

    @Test
    void otherOperatorsAggregatesModesAndShapesAreNamed() {
        NodeProto scaler = NodeProto.newBuilder().setOpType("Scaler").setDomain("ai.onnx.ml").addInput("T").addOutput("Y").build();
        assertEquals("ONNX op Scaler after the tree ensemble not covered", read(stump(), scaler).reason());
        NodeProto custom = NodeProto.newBuilder().setOpType("Boost").setDomain("com.example").addInput("T").addOutput("Y").build();
        assertEquals("ONNX op com.example.Boost not covered", read(stump(), custom).reason());

        Map<String, AttributeProto> a = stump();
        a.put("aggregate_function", AttributeProto.newBuilder().setName("aggregate_function").setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8("MAX")).build());
        assertEquals("TreeEnsembleRegressor aggregate_function MAX not covered", read(a).reason());

        a = stump();
        a.put("nodes_modes", strings("nodes_modes", "BRANCH_MEMBER", "LEAF", "LEAF"));
        assertEquals("TreeEnsembleRegressor node mode BRANCH_MEMBER not covered", read(a).reason());

        a = stump();
        a.put("nodes_values_as_tensor", AttributeProto.newBuilder().setName("nodes_values_as_tensor")
                .setType(AttributeProto.AttributeType.TENSOR).setT(TensorProto.newBuilder().setDataType(TensorProto.DataType.DOUBLE_VALUE)
                        .addDims(3).addDoubleData(0.5).addDoubleData(0).addDoubleData(0)).build());
        assertEquals("TreeEnsembleRegressor attribute nodes_values_as_tensor on a float input not covered", read(a).reason());
    }

    @Test
    void graphsOnnxRuntimeRefusesOrCannotFinishAreNotCovered() {
        Map<String, AttributeProto> a = stump();
        a.put("nodes_falsenodeids", ints("nodes_falsenodeids", 2, 0, 0));
        assertEquals("TreeEnsembleRegressor has 1 nodes no tree reaches", read(a).reason(), "both children the same leaf");

        a = stump();
        a.put("nodes_modes", strings("nodes_modes", "BRANCH_LEQ", "BRANCH_LEQ", "LEAF"));
        a.put("nodes_truenodeids", ints("nodes_truenodeids", 2, 0, 0)); // node 1 loops back to the root
        a.put("nodes_falsenodeids", ints("nodes_falsenodeids", 1, 2, 0));
        assertEquals("TreeEnsembleRegressor tree 0: a true child points back to an earlier node", read(a).reason());

        a = stump();
        a.put("nodes_featureids", ints("nodes_featureids", 2, 0, 0));
        assertEquals("TreeEnsembleRegressor node 0 reads feature 2 of 2", read(a).reason());

        a = stump();
        a.put("target_nodeids", ints("target_nodeids", 1, 9));
        assertEquals("TreeEnsembleRegressor weight 1 names node 9 of tree 0, which does not exist", read(a).reason());
    }

    private static ValueInfoProto tensor(String name, long width) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))))).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    private static AttributeProto floats(String name, float... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            b.addFloats(v);
        }
        return b.build();
    }

    private static AttributeProto strings(String name, String... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS)
                .addAllStrings(List.of(values).stream().map(ByteString::copyFromUtf8).toList()).build();
    }
}

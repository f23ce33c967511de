package dev.handoff.onnx.internal;

import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import dev.handoff.onnx.internal.proto.TypeProto;
import dev.handoff.onnx.internal.proto.ValueInfoProto;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph edit behind ZipMap models at tensor speed, on every ZipMap file of the corpus. */
class ZipMapRemovalTest {

    static boolean hasZipMap(CorpusModel model) {
        return model.isOnnx() && OnnxGraph.read(model.modelBytes()).proto().getGraph().getNodeList().stream()
                .anyMatch(OnnxGraph::isZipMap);
    }

    @Test
    void theCorpusHasTheFiveDefaultSkl2onnxClassifiers() {
        List<CorpusModel> zipMaps = java.util.Arrays.stream(CorpusModel.values()).filter(ZipMapRemovalTest::hasZipMap).toList();

        assertEquals(List.of(CorpusModel.BREAST_CANCER_ONNX, CorpusModel.IRIS_ONNX, CorpusModel.CHURN_PIPELINE_ONNX,
                CorpusModel.CHURN_LOGREG_ONNX, CorpusModel.HGB_MISSING_ONNX), zipMaps);
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"BREAST_CANCER_ONNX", "IRIS_ONNX", "CHURN_PIPELINE_ONNX",
            "CHURN_LOGREG_ONNX", "HGB_MISSING_ONNX"})
    void theZipMapGoesAndItsProbabilityTensorTakesItsPlaceAmongTheOutputs(CorpusModel model) {
        OnnxGraph graph = OnnxGraph.read(model.modelBytes());
        GraphProto before = graph.proto().getGraph();
        NodeProto zipMap = before.getNodeList().stream().filter(OnnxGraph::isZipMap).findFirst().orElseThrow();
        List<String> outputsBefore = before.getOutputList().stream().map(ValueInfoProto::getName).toList();

        ZipMapRemoval removal = ZipMapRemoval.plan(graph);

        assertFalse(removal.isEmpty());
        assertEquals(Map.of(zipMap.getInput(0), zipMap.getOutput(0)), removal.mapOutputs());
        GraphProto after = OnnxGraph.read(removal.modelBytes()).proto().getGraph();
        assertEquals(before.getNodeCount() - 1, after.getNodeCount());
        assertTrue(after.getNodeList().stream().noneMatch(OnnxGraph::isZipMap));
        List<String> outputsAfter = after.getOutputList().stream().map(ValueInfoProto::getName).toList();
        assertEquals(outputsBefore.stream().map(o -> o.equals(zipMap.getOutput(0)) ? zipMap.getInput(0) : o).toList(), outputsAfter);
        TypeProto.Tensor type = after.getOutput(outputsAfter.indexOf(zipMap.getInput(0))).getType().getTensorType();
        assertEquals(TensorProto.DataType.FLOAT_VALUE, type.getElemType());
        assertEquals(OnnxGraph.classLabels(zipMap).size(), type.getShape().getDim(1).getDimValue());
        assertEquals(graph.classLabels(), OnnxGraph.read(removal.modelBytes()).classLabels(),
                "the classifier nodes still declare the ZipMap's classes, in its order");
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"BREAST_CANCER_NOZIPMAP_ONNX", "DIABETES_ONNX", "DIGITS_ONNX",
            "XGBOOST_MISSING_ONNX"})
    void aGraphWithoutZipMapIsLeftAsItIs(CorpusModel model) {
        assertTrue(ZipMapRemoval.plan(OnnxGraph.read(model.modelBytes())).isEmpty());
    }

    @Test
    void aZipMapWhoseMapAnotherNodeReadsIsKept() {
        OnnxGraph graph = OnnxGraph.read(CorpusModel.IRIS_ONNX.modelBytes());
        GraphProto g = graph.proto().getGraph();
        String map = g.getNodeList().stream().filter(OnnxGraph::isZipMap).findFirst().orElseThrow().getOutput(0);
        GraphProto reading = g.toBuilder()
                .addNode(NodeProto.newBuilder().setOpType("Identity").addInput(map).addOutput("map_copy"))
                .build();

        ZipMapRemoval removal = ZipMapRemoval.plan(OnnxGraph.read(graph.proto().toBuilder().setGraph(reading).build().toByteArray()));

        assertTrue(removal.isEmpty());
    }

    @Test
    void truncatedProtobufIsRefusedWithAMessage() {
        byte[] model = CorpusModel.IRIS_ONNX.modelBytes();
        byte[] truncated = java.util.Arrays.copyOf(model, model.length / 2);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxGraph.read(truncated));

        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}

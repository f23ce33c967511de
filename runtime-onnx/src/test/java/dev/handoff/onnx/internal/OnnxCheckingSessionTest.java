package dev.handoff.onnx.internal;

import dev.handoff.ModelLoadException;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.onnx.OnnxOptions;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.TensorShapeProto;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model the compiled tree engine serves is still checked and described by an ONNX Runtime session, created with the
 * user's optimization level but no thread pool and no device.
 */
class OnnxCheckingSessionTest {
    private static final CorpusModel MODEL = CorpusModel.XGBOOST_MISSING_ONNX;

    @Test
    void theCheckingSessionKeepsTheOptimizationLevelButTakesOneThreadEachAndTheCpu() {
        OnnxOptions user = OnnxOptions.builder().intraOpThreads(8).interOpThreads(4)
                .optimizationLevel(OnnxOptions.OptimizationLevel.EXTENDED)
                .executionProvider(OnnxOptions.ExecutionProvider.CUDA).cudaDeviceId(2).build();
        assertEquals(new OnnxScorerProvider.SessionSettings(1, 1, OnnxOptions.OptimizationLevel.EXTENDED,
                OnnxOptions.ExecutionProvider.CPU, 0), OnnxScorerProvider.SessionSettings.checking(user));
        assertEquals(new OnnxScorerProvider.SessionSettings(8, 4, OnnxOptions.OptimizationLevel.EXTENDED,
                OnnxOptions.ExecutionProvider.CUDA, 2), OnnxScorerProvider.SessionSettings.serving(user));
    }

    @Test
    void withTheDefaultOptionsTheCheckingSessionIsTheServingOne() {
        // the default OnnxOptions start no pool either: a covered model that the engine then declines keeps its session
        assertEquals(OnnxScorerProvider.SessionSettings.serving(OnnxOptions.defaults()),
                OnnxScorerProvider.SessionSettings.checking(OnnxOptions.defaults()));
    }

    @Test
    void aCoveredModelWithAnIrVersionOnnxRuntimeRefusesIsRefused() {
        ModelProto model = proto().toBuilder().setIrVersion(99).build();
        assertRefusedThoughCovered(model, "IR version");
    }

    @Test
    void aCoveredModelWhoseTreeNodeHasAnAttributeOnnxRuntimeDoesNotKnowIsRefused() {
        ModelProto original = proto();
        GraphProto.Builder graph = original.getGraph().toBuilder();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            if (node.getOpType().startsWith("TreeEnsemble")) {
                graph.setNode(i, node.toBuilder().addAttribute(AttributeProto.newBuilder().setName("handoff_unknown")
                        .setType(AttributeProto.AttributeType.INT).setI(1)));
            }
        }
        assertRefusedThoughCovered(original.toBuilder().setGraph(graph).build(), "ONNX Runtime");
    }

    @Test
    void withTheUsersThreadsAndEveryOptimizationLevelTheEngineServesAndDescribesTheModelAsOnnxRuntimeDoes() {
        // many threads and a lower level for the user's session: the engine serves, and answers as ONNX Runtime does
        Map<String, Object> row = MODEL.inputRecords().get(0);
        for (OnnxOptions.OptimizationLevel level : OnnxOptions.OptimizationLevel.values()) {
            OnnxOptions onnx = OnnxOptions.builder().featureNames(MODEL.inputColumns()).optimizationLevel(level)
                    .intraOpThreads(3).interOpThreads(2).build();
            try (Scorer trees = Scorer.load(MODEL.modelBytes(), ScorerOptions.builder().runtime(onnx).build());
                 Scorer runtime = Scorer.load(MODEL.modelBytes(), ScorerOptions.builder().compiledTrees(false).runtime(onnx).build())) {
                assertTrue(trees.info().metadata().get(TreeEngines.METADATA_KEY).startsWith("compiled trees"), level.name());
                assertEquals(runtime.info().metadata().entrySet().stream().filter(e -> !e.getKey().equals(TreeEngines.METADATA_KEY)).toList(),
                        trees.info().metadata().entrySet().stream().filter(e -> !e.getKey().equals(TreeEngines.METADATA_KEY)).toList());
                assertEquals(runtime.inputs(), trees.inputs(), level.name());
                assertEquals(runtime.outputs(), trees.outputs(), level.name());
                assertEquals(runtime.score(row).value(), trees.score(row).value(), 1e-4, level.name());
            }
        }
    }

    @Test
    void aCoveredModelTheEngineDeclinesIsServedByOnnxRuntimeWithTheUsersSettings() {
        // the regression output declared two values per row: ONNX Runtime plans it so, the engine gives one and declines
        ModelProto original = proto();
        GraphProto.Builder graph = original.getGraph().toBuilder();
        var output = graph.getOutput(0).toBuilder();
        output.getTypeBuilder().getTensorTypeBuilder().setShape(TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(2)));
        graph.setOutput(0, output);
        byte[] bytes = original.toBuilder().setGraph(graph).build().toByteArray();
        assertTrue(OnnxTreeReader.read(OnnxGraph.read(bytes).proto()).covered());
        OnnxOptions onnx = OnnxOptions.builder().featureNames(MODEL.inputColumns()).intraOpThreads(2).build();
        var source = new dev.handoff.spi.ScorerProvider.ModelSource("declined.onnx", bytes, "0".repeat(64));
        try (var engine = new OnnxScorerProvider().load(source, ScorerOptions.builder().runtime(onnx).build())) {
            assertInstanceOf(OnnxModel.class, engine);
            assertTrue(engine.info().metadata().get(TreeEngines.METADATA_KEY).startsWith("runtime (regressor outputs planned as"),
                    engine.info().metadata().get(TreeEngines.METADATA_KEY));
        }
        try (Scorer scorer = Scorer.load(bytes, ScorerOptions.builder().runtime(onnx).build())) {
            Object value = scorer.score(MODEL.inputRecords().get(0)).output("variable");
            assertTrue(value instanceof Double d && Double.isFinite(d), String.valueOf(value));
        }
    }

    private static ModelProto proto() {
        return OnnxGraph.read(MODEL.modelBytes()).proto();
    }

    private static void assertRefusedThoughCovered(ModelProto model, String reason) {
        byte[] bytes = model.toByteArray();
        assertTrue(OnnxTreeReader.read(OnnxGraph.read(bytes).proto()).covered(), "the tree engine would serve it");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes,
                ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(MODEL.inputColumns()).build()).build()));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}

package dev.handoff.onnx;

import dev.handoff.ModelLoadException;
import dev.handoff.Prediction;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.StringStringEntryProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models built to harm the service that loads them: each is refused at load, with the reason. */
class OnnxHostileModelTest {

    /** {@code y = x . [1, 1] + 0} whose weights tensor says its data lives in the file {@code location}. */
    private static byte[] linearWithExternalWeights(String location) throws Exception {
        ModelProto model = ModelProto.parseFrom(TinyOnnxModel.linearRegression(TinyOnnxModel.DYNAMIC, 0f, 1f, 1f).bytes());
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            if (graph.getInitializer(i).getName().equals("w")) {
                graph.setInitializer(i, graph.getInitializer(i).toBuilder()
                        .clearRawData()
                        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("0"))
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue("8")));
            }
        }
        return model.toBuilder().setGraph(graph).build().toByteArray();
    }

    @Test
    void anExternalDataFileInTheWorkingDirectoryIsNeverRead() throws Exception {
        String name = "handoff-secret-" + ProcessHandle.current().pid() + ".txt";
        Path secret = Path.of(name).toAbsolutePath();
        Files.writeString(secret, "SECRET!!"); // 8 bytes: two float32 weights if it were read
        try {
            byte[] model = linearWithExternalWeights(name);

            ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(model));

            assertTrue(e.getMessage().contains("tensor 'w'"), e.getMessage());
            assertTrue(e.getMessage().contains("external file ('" + name + "')"), e.getMessage());
        } finally {
            Files.delete(secret);
        }
    }

    @Test
    void externalDataNextToTheModelFileIsRefusedToo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("weights.bin"), "\0\0\u0080?\0\0\u0080?");
        Path file = dir.resolve("model.onnx");
        Files.write(file, linearWithExternalWeights("weights.bin"));

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(file));

        assertTrue(e.getMessage().contains("save_as_external_data=False"), e.getMessage());
    }

    /** The corpus gradient-boosting regressor with one node reference changed by {@code edit}. */
    private static byte[] editedTreeEnsemble(String attribute, int position, long value) {
        ModelProto model = parse(CorpusModel.DIABETES_ONNX.modelBytes());
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int n = 0; n < graph.getNodeCount(); n++) {
            NodeProto node = graph.getNode(n);
            if (!node.getOpType().equals("TreeEnsembleRegressor")) {
                continue;
            }
            NodeProto.Builder edited = node.toBuilder();
            for (int a = 0; a < edited.getAttributeCount(); a++) {
                AttributeProto attr = edited.getAttribute(a);
                if (attr.getName().equals(attribute)) {
                    edited.setAttribute(a, attr.toBuilder().setInts(position, value));
                }
            }
            graph.setNode(n, edited);
            return model.toBuilder().setGraph(graph).build().toByteArray();
        }
        throw new AssertionError("no TreeEnsembleRegressor in " + CorpusModel.DIABETES_ONNX);
    }

    private static ModelProto parse(byte[] bytes) {
        try {
            return ModelProto.parseFrom(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The position of the first branch node that is not its tree's root, and its tree's root node id. */
    private static int[] firstInnerBranch() {
        NodeProto trees = parse(CorpusModel.DIABETES_ONNX.modelBytes()).getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("TreeEnsembleRegressor")).findFirst().orElseThrow();
        Map<String, AttributeProto> attrs = new HashMap<>();
        trees.getAttributeList().forEach(a -> attrs.put(a.getName(), a));
        List<Long> nodeIds = attrs.get("nodes_nodeids").getIntsList();
        List<Long> treeIds = attrs.get("nodes_treeids").getIntsList();
        for (int i = 0; i < nodeIds.size(); i++) {
            boolean branch = !attrs.get("nodes_modes").getStrings(i).toStringUtf8().equals("LEAF");
            if (branch && nodeIds.get(i) != 0 && treeIds.get(i).equals(treeIds.get(0))) {
                return new int[] {i, nodeIds.get(i).intValue(), treeIds.get(0).intValue()};
            }
        }
        throw new AssertionError("the first tree has a single branch node");
    }

    @Test
    void theUneditedTreeEnsembleLoadsAndScores() {
        byte[] unedited = parse(CorpusModel.DIABETES_ONNX.modelBytes()).toByteArray();
        try (Scorer scorer = Scorer.load(unedited)) {
            Prediction p = scorer.score(CorpusModel.DIABETES_ONNX.inputRecords().get(0));
            assertFalse(Double.isNaN(p.value()));
        }
    }

    @Test
    void aTreeNodeThatPointsBackToTheRootIsRefusedAtLoadNamingTheNode() {
        int[] inner = firstInnerBranch();
        byte[] cyclic = editedTreeEnsemble("nodes_truenodeids", inner[0], 0);

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(cyclic));

        assertTrue(e.getMessage().contains("node " + inner[1] + " of tree " + inner[2] + " leads back to node 0"), e.getMessage());
    }

    @Test
    void aTreeNodeThatPointsOutOfItsTreeIsRefusedAtLoad() {
        int[] inner = firstInnerBranch();
        byte[] outOfRange = editedTreeEnsemble("nodes_falsenodeids", inner[0], 1_000_000);

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(outOfRange));

        assertTrue(e.getMessage().contains("node " + inner[1] + " of tree " + inner[2] + " points to node 1000000 through "
                + "nodes_falsenodeids"), e.getMessage());
    }

    @Test
    void aModelOverTheNodeBudgetIsRefusedAtLoadWithTheCountAndTheOption() {
        byte[] model = CorpusModel.DIABETES_ONNX.modelBytes(); // one TreeEnsembleRegressor of a few thousand tree nodes
        ScorerOptions small = ScorerOptions.builder()
                .runtime(OnnxOptions.builder().featureNames(CorpusModel.DIABETES_ONNX.inputColumns()).maxNodes(1_000).build()).build();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(model, small));
        assertTrue(e.getMessage().contains("more than the budget of 1000 (OnnxOptions.maxNodes)"), e.getMessage());

        ScorerOptions defaults = ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(CorpusModel.DIABETES_ONNX.inputColumns()).build()).build();
        try (Scorer scorer = Scorer.load(model, defaults)) {
            assertTrue(scorer.score(CorpusModel.DIABETES_ONNX.inputRecords().get(0)).hasValue(), "within the default budget");
        }
    }
}

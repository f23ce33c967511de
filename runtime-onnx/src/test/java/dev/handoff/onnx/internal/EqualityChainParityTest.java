package dev.handoff.onnx.internal;

import com.google.protobuf.ByteString;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.OperatorSetIdProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Set membership in the opset-3 ops: converters write a categorical split (LightGBM's through onnxmltools) as a chain of
 * {@code BRANCH_EQ} nodes on one feature whose true children are one shared node, and ONNX Runtime merges such chains
 * into one membership test when the values are small integers. Seeded random chains (values in [0, 30], halves,
 * negatives, larger integers; missing flags) run by ONNX Runtime and both tree backends on rows at each value, one ulp
 * and a half either side, NaN, +-0 and infinities: bit for bit.
 */
class EqualityChainParityTest {

    @Test
    void equalityChainsToASharedTrueNodeScoreAsOnnxRuntimeDoes() throws Exception {
        List<String> failures = new ArrayList<>();
        for (int m = 0; m < 200 && failures.size() < 10; m++) {
            Random random = new Random(33_000L + m);
            int features = 1 + random.nextInt(3);
            List<Float> values = new ArrayList<>();
            NodeProto.Builder node = NodeProto.newBuilder().setOpType("TreeEnsembleRegressor").setDomain("ai.onnx.ml").addInput("X")
                    .addOutput("Y");
            List<Long> treeIds = new ArrayList<>();
            List<Long> nodeIds = new ArrayList<>();
            List<Long> featureIds = new ArrayList<>();
            List<String> modes = new ArrayList<>();
            List<Float> thresholds = new ArrayList<>();
            List<Long> trueIds = new ArrayList<>();
            List<Long> falseIds = new ArrayList<>();
            List<Long> missing = new ArrayList<>();
            List<Long> wTree = new ArrayList<>();
            List<Long> wNode = new ArrayList<>();
            List<Float> wValue = new ArrayList<>();
            int trees = 1 + random.nextInt(4);
            for (long t = 0; t < trees; t++) {
                int k = 1 + random.nextInt(8);
                long feature = random.nextInt(features);
                long flag = random.nextInt(3) == 0 ? 1 : 0;
                long shared = k; // chain nodes 0..k-1, shared true leaf k, false leaf k+1
                for (int i = 0; i < k; i++) {
                    float v = switch (random.nextInt(6)) {
                        case 0 -> random.nextInt(30) + 0.5f;
                        case 1 -> -random.nextInt(4);
                        case 2 -> 31 + random.nextInt(4);
                        case 3 -> 32;
                        default -> random.nextInt(31);
                    };
                    values.add(v);
                    treeIds.add(t);
                    nodeIds.add((long) i);
                    featureIds.add(random.nextInt(6) == 0 ? random.nextInt(features) : feature);
                    modes.add("BRANCH_EQ");
                    thresholds.add(v);
                    trueIds.add(shared);
                    falseIds.add(i == k - 1 ? k + 1L : i + 1L);
                    missing.add(random.nextInt(8) == 0 ? 1 - flag : flag);
                }
                for (long leaf : new long[] {shared, shared + 1}) {
                    treeIds.add(t);
                    nodeIds.add(leaf);
                    featureIds.add(0L);
                    modes.add("LEAF");
                    thresholds.add(0f);
                    trueIds.add(0L);
                    falseIds.add(0L);
                    missing.add(0L);
                    wTree.add(t);
                    wNode.add(leaf);
                    wValue.add(leaf == shared ? (float) (1 << t) : 0.25f);
                }
            }
            node.addAttribute(RandomTreeModelsAccess.ints("nodes_treeids", treeIds)).addAttribute(RandomTreeModelsAccess.ints("nodes_nodeids", nodeIds))
                    .addAttribute(RandomTreeModelsAccess.ints("nodes_featureids", featureIds))
                    .addAttribute(RandomTreeModelsAccess.strings("nodes_modes", modes))
                    .addAttribute(RandomTreeModelsAccess.floats("nodes_values", thresholds))
                    .addAttribute(RandomTreeModelsAccess.ints("nodes_truenodeids", trueIds))
                    .addAttribute(RandomTreeModelsAccess.ints("nodes_falsenodeids", falseIds))
                    .addAttribute(RandomTreeModelsAccess.ints("nodes_missing_value_tracks_true", missing))
                    .addAttribute(RandomTreeModelsAccess.ints("target_treeids", wTree))
                    .addAttribute(RandomTreeModelsAccess.ints("target_nodeids", wNode))
                    .addAttribute(RandomTreeModelsAccess.ints("target_ids", new ArrayList<>(java.util.Collections.nCopies(wTree.size(), 0L))))
                    .addAttribute(RandomTreeModelsAccess.floats("target_weights", wValue))
                    .addAttribute(AttributeProto.newBuilder().setName("n_targets").setType(AttributeProto.AttributeType.INT).setI(1));
            GraphProto.Builder graph = GraphProto.newBuilder().setName("chains")
                    .addInput(TreeEnsembleV5Graphs.tensor("X", TensorProto.DataType.FLOAT_VALUE, features))
                    .addOutput(TreeEnsembleV5Graphs.tensor("Y", TensorProto.DataType.FLOAT_VALUE, 1)).addNode(node);
            byte[] bytes = ModelProto.newBuilder().setIrVersion(8)
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3))
                    .setGraph(graph).build().toByteArray();
            List<Float> edge = new ArrayList<>(List.of(Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3e9f, -3e9f));
            for (float v : values) {
                edge.addAll(List.of(v, Math.nextUp(v), Math.nextDown(v), v + 0.5f, v - 0.5f));
            }
            int count = 96;
            float[] rows = new float[count * features];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = edge.get(random.nextInt(edge.size()));
            }
            OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(bytes).proto());
            if (!coverage.covered()) {
                failures.add("model " + m + ": not covered: " + coverage.reason());
                continue;
            }
            try (OrtTreeOracle ort = new OrtTreeOracle(bytes, "X", false)) {
                failures.addAll(OrtTreeOracle.differences("model " + m + " " + values, coverage.model(), ort.run(rows, count, features), rows,
                        count));
            }
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    /** The attribute writers of {@link RandomTreeModels}, for lists. */
    private static final class RandomTreeModelsAccess {
        static AttributeProto ints(String name, List<Long> values) {
            return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS).addAllInts(values).build();
        }

        static AttributeProto floats(String name, List<Float> values) {
            return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS).addAllFloats(values).build();
        }

        static AttributeProto strings(String name, List<String> values) {
            AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
            for (String v : values) {
                b.addStrings(ByteString.copyFromUtf8(v));
            }
            return b.build();
        }
    }
}

package dev.handoff.onnx;

import dev.handoff.ModelLoadException;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.ScoringException;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.ScorerContract;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attribute-level mutants of the corpus tree ensembles, where byte flips rarely land: one seeded edit
 * of a node reference, a feature index, a split value or a branch mode of a {@code TreeEnsemble*} node
 * (to itself, its tree's root, another tree's node, out of range, negative, NaN...). Each is refused at
 * load, or scores the corpus rows within the contract, and none hangs. {@code -Pfuzz} raises the count.
 */
class OnnxTreeEnsembleFuzzTest {
    private static final List<String> REFERENCES = List.of("nodes_truenodeids", "nodes_falsenodeids");
    private static final List<String> EDITED = List.of("nodes_truenodeids", "nodes_falsenodeids", "nodes_featureids",
            "nodes_values", "nodes_modes", "nodes_missing_value_tracks_true");

    private enum Outcome { REFUSED_AT_LOAD, SCORED, SCORING_FAILURE }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"DIABETES_ONNX", "IRIS_NOZIPMAP_ONNX", "XGBOOST_MISSING_ONNX",
            "HGB_MISSING_NOZIPMAP_ONNX", "CHURN_PIPELINE_NOZIPMAP_ONNX"})
    void everyAttributeMutantIsRefusedAtLoadOrScoresWithinTheContract(CorpusModel model) {
        int mutations = Integer.getInteger("handoff.fuzz.mutations", 200) / 4;
        ModelProto original = parse(model.modelBytes());
        ScorerOptions options = OnnxCorpusParityTest.optionsFor(model).toBuilder().callTimeout(Duration.ofSeconds(10)).build();
        List<Map<String, Object>> records = model.inputRecords().subList(0, 4);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < mutations; i++) {
            long seed = model.ordinal() * 1_000_000L + i;
            String[] what = new String[1];
            byte[] mutant = mutate(original, new Random(seed), what);
            Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(mutant, options, records, violations,
                    model + " seed " + seed + " (" + what[0] + ")"), () -> model + " seed " + seed + " (" + what[0] + ") hung");
            outcomes.merge(outcome, 1, Integer::sum);
        }
        System.out.println("ONNX tree-ensemble fuzzing " + model + ": " + outcomes);
        assertEquals(List.of(), violations, () -> String.join("\n", violations));
        assertEquals(mutations, outcomes.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(outcomes.getOrDefault(Outcome.REFUSED_AT_LOAD, 0) > 0, "some reference edits must be refused: " + outcomes);
    }

    private static Outcome run(byte[] mutant, ScorerOptions options, List<Map<String, Object>> records, List<String> violations,
                               String name) {
        Scorer scorer;
        try {
            scorer = Scorer.load(mutant, options);
        } catch (ModelLoadException refused) {
            return Outcome.REFUSED_AT_LOAD;
        } catch (Throwable t) {
            violations.add(name + ": load threw " + t);
            return Outcome.SCORING_FAILURE;
        }
        boolean failed = false;
        try (scorer) {
            List<Throwable> escaped = new ArrayList<>();
            for (Map<String, Object> record : records) {
                escaped.add(ScorerContract.scoreOne(scorer, record));
            }
            escaped.add(ScorerContract.scoreAll(scorer, records));
            for (Throwable t : escaped) {
                if (t instanceof ScoringException) {
                    failed = true;
                } else if (t != null) {
                    violations.add(name + ": scoring threw " + t);
                }
            }
        }
        return failed ? Outcome.SCORING_FAILURE : Outcome.SCORED;
    }

    /** One seeded edit of one attribute value of the graph's first tree ensemble. */
    private static byte[] mutate(ModelProto model, Random random, String[] what) {
        GraphProto graph = model.getGraph();
        int nodeIndex = -1;
        for (int n = 0; n < graph.getNodeCount(); n++) {
            if (graph.getNode(n).getOpType().startsWith("TreeEnsemble")) {
                nodeIndex = n;
                break;
            }
        }
        if (nodeIndex < 0) {
            throw new AssertionError("no tree ensemble in the model");
        }
        NodeProto node = graph.getNode(nodeIndex);
        NodeProto.Builder edited = node.toBuilder();
        String name = EDITED.get(random.nextInt(EDITED.size()));
        int a = -1;
        for (int i = 0; i < node.getAttributeCount(); i++) {
            if (node.getAttribute(i).getName().equals(name)) {
                a = i;
            }
        }
        if (a < 0) {
            name = REFERENCES.get(random.nextInt(REFERENCES.size()));
            for (int i = 0; i < node.getAttributeCount(); i++) {
                if (node.getAttribute(i).getName().equals(name)) {
                    a = i;
                }
            }
        }
        AttributeProto attribute = node.getAttribute(a);
        AttributeProto.Builder changed = attribute.toBuilder();
        int size = Math.max(attribute.getIntsCount(), Math.max(attribute.getFloatsCount(), attribute.getStringsCount()));
        int at = random.nextInt(size);
        if (attribute.getIntsCount() > 0) {
            long[] candidates = {-1, 0, at, size, Integer.MAX_VALUE, attribute.getInts(random.nextInt(size)),
                    Long.MAX_VALUE, attribute.getInts(at) + 1};
            long value = candidates[random.nextInt(candidates.length)];
            changed.setInts(at, value);
            what[0] = name + "[" + at + "] = " + value;
        } else if (attribute.getFloatsCount() > 0) {
            float[] candidates = {Float.NaN, Float.POSITIVE_INFINITY, -Float.MAX_VALUE, 0f, attribute.getFloats(at) * 2};
            float value = candidates[random.nextInt(candidates.length)];
            changed.setFloats(at, value);
            what[0] = name + "[" + at + "] = " + value;
        } else {
            String[] candidates = {"LEAF", "BRANCH_LT", "BRANCH_EQ", "NOT_A_MODE", ""};
            String value = candidates[random.nextInt(candidates.length)];
            changed.setStrings(at, com.google.protobuf.ByteString.copyFromUtf8(value));
            what[0] = name + "[" + at + "] = '" + value + "'";
        }
        edited.setAttribute(a, changed);
        return model.toBuilder().setGraph(graph.toBuilder().setNode(nodeIndex, edited)).build().toByteArray();
    }

    private static ModelProto parse(byte[] bytes) {
        try {
            return ModelProto.parseFrom(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

package dev.handoff.onnx.internal;

import ai.onnxruntime.OrtException;
import com.google.protobuf.ByteString;
import dev.handoff.ScoringException;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded mutants of the churn pipeline's preprocessing (an attribute list shortened or lengthened, a value made NaN,
 * infinite or negative, the Reshape target, a Concat axis, a Cast target, a category list, a node input renamed):
 * reading never throws, and a mutant the reader covers scores the corpus rows as ONNX Runtime does, or fails where
 * ONNX Runtime fails the run, or ONNX Runtime refuses it at load (the runtime path then never serves it).
 */
class PreprocessingFuzzTest {
    private enum Outcome { NOT_COVERED, SAME_ANSWERS, BOTH_FAIL_THE_RUN, ONNX_RUNTIME_REFUSES }

    @Test
    void preprocessingMutantsAreNotCoveredOrScoreAsOnnxRuntimeDoes() throws Exception {
        int mutants = Integer.getInteger("handoff.fuzz.mutations", 200) / 2;
        ModelProto original = OnnxGraph.read(CorpusModel.CHURN_PIPELINE_NOZIPMAP_ONNX.modelBytes()).proto();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> record : CorpusModel.CHURN_PIPELINE_NOZIPMAP_ONNX.inputRecords().subList(0, 40)) {
            Map<String, Object> row = new LinkedHashMap<>();
            record.forEach((k, v) -> row.put(k, Character.isDigit(((String) v).charAt(0)) ? (Object) Double.parseDouble((String) v) : v));
            for (String n : new String[] {"tenure_months", "monthly_charges", "total_charges", "support_calls", "age"}) {
                row.putIfAbsent(n, Double.NaN);
            }
            rows.add(row);
        }
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < mutants; i++) {
            Random random = new Random(1400 + i);
            String[] what = new String[1];
            ModelProto mutant = mutate(original, random, what);
            String name = "mutant " + i + " (" + what[0] + ")";
            OnnxTreeCoverage coverage;
            try {
                coverage = OnnxTreeReader.read(mutant);
            } catch (RuntimeException e) {
                violations.add(name + ": the reader threw " + e);
                continue;
            }
            if (!coverage.covered()) {
                outcomes.merge(Outcome.NOT_COVERED, 1, Integer::sum);
                continue;
            }
            OrtPipelineOracle ort;
            try {
                ort = new OrtPipelineOracle(mutant.toByteArray());
            } catch (OrtException e) {
                outcomes.merge(Outcome.ONNX_RUNTIME_REFUSES, 1, Integer::sum);
                continue;
            }
            try (ort) {
                OrtPipelineOracle.Columns columns = ort.columns(rows);
                Map<String, Object> expected;
                try {
                    expected = ort.run(columns);
                } catch (OrtException e) {
                    boolean engineFails = false;
                    try {
                        OrtPipelineOracle.engine(coverage, ort.encoder, columns);
                    } catch (ScoringException s) {
                        engineFails = true;
                    }
                    if (!engineFails) {
                        violations.add(name + ": ONNX Runtime failed the run (" + e.getMessage() + "), the engine did not");
                    }
                    outcomes.merge(Outcome.BOTH_FAIL_THE_RUN, 1, Integer::sum);
                    continue;
                }
                OrtTreeOracle.Answer got = OrtPipelineOracle.engine(coverage, ort.encoder, columns);
                long[] labels = (long[]) expected.get("label");
                float[][] probabilities = (float[][]) expected.get("probabilities");
                for (int r = 0; r < rows.size(); r++) {
                    boolean same = Long.toString(labels[r]).equals(got.labels()[r])
                            && Float.floatToIntBits(probabilities[r][1]) == Float.floatToIntBits(got.scores()[r * 2 + 1]);
                    if (!same) {
                        violations.add(name + " row " + r + ": ONNX Runtime " + labels[r] + " " + probabilities[r][1] + ", engine "
                                + got.labels()[r] + " " + got.scores()[r * 2 + 1]);
                        break;
                    }
                }
                outcomes.merge(Outcome.SAME_ANSWERS, 1, Integer::sum);
            }
        }
        System.out.println("preprocessing mutants of the churn pipeline: " + outcomes);
        assertEquals(List.of(), violations, () -> String.join("\n", violations));
        assertEquals(mutants, outcomes.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(outcomes.getOrDefault(Outcome.SAME_ANSWERS, 0) > 0 && outcomes.getOrDefault(Outcome.NOT_COVERED, 0) > 0,
                "mutants both covered and not: " + outcomes);
    }

    private static ModelProto mutate(ModelProto original, Random random, String[] what) {
        ModelProto.Builder model = original.toBuilder();
        GraphProto.Builder graph = model.getGraphBuilder();
        List<Integer> candidates = new ArrayList<>();
        for (int n = 0; n < graph.getNodeCount(); n++) {
            if (!graph.getNode(n).getOpType().startsWith("TreeEnsemble")) {
                candidates.add(n);
            }
        }
        if (random.nextInt(6) == 0) {
            TensorProto.Builder shape = graph.getInitializerBuilder(0);
            long[][] targets = {{11, -1}, {0, 11}, {-1, 12}, {-1, -1}, {-1, 1, 11}, {-1, 11, 1}, {0, -1}, {-1}};
            long[] target = targets[random.nextInt(targets.length)];
            shape.clearInt64Data().clearDims().addDims(target.length);
            for (long t : target) {
                shape.addInt64Data(t);
            }
            what[0] = "Reshape target " + java.util.Arrays.toString(target);
            return model.build();
        }
        NodeProto.Builder node = graph.getNodeBuilder(candidates.get(random.nextInt(candidates.size())));
        if (node.getAttributeCount() == 0 || random.nextInt(8) == 0) {
            int input = random.nextInt(node.getInputCount());
            node.setInput(input, random.nextBoolean() ? "nowhere" : graph.getInput(random.nextInt(graph.getInputCount())).getName());
            what[0] = node.getOpType() + " input " + input + " renamed to " + node.getInput(input);
            return model.build();
        }
        AttributeProto.Builder a = node.getAttributeBuilder(random.nextInt(node.getAttributeCount()));
        what[0] = node.getOpType() + " " + a.getName();
        if (a.getFloatsCount() > 0) {
            switch (random.nextInt(4)) {
                case 0 -> a.addFloats(1.5f);
                case 1 -> {
                    List<Float> kept = new ArrayList<>(a.getFloatsList().subList(0, a.getFloatsCount() - 1));
                    a.clearFloats().addAllFloats(kept);
                }
                case 2 -> a.setFloats(random.nextInt(a.getFloatsCount()), Float.NaN);
                default -> a.setFloats(random.nextInt(a.getFloatsCount()), random.nextBoolean() ? Float.NEGATIVE_INFINITY : -0f);
            }
        } else if (a.getStringsCount() > 0) {
            switch (random.nextInt(3)) {
                case 0 -> a.addStrings(a.getStrings(0));
                case 1 -> a.setStrings(0, ByteString.copyFromUtf8("plus"));
                default -> {
                    List<ByteString> kept = new ArrayList<>(a.getStringsList().subList(1, a.getStringsCount()));
                    a.clearStrings().addAllStrings(kept);
                }
            }
        } else if (a.getType() == AttributeProto.AttributeType.INT) {
            long[] values = {0, 1, 2, -1, -2, 3, 7, 11, 1L << 40};
            a.setI(values[random.nextInt(values.length)]);
        } else if (a.getType() == AttributeProto.AttributeType.FLOAT) {
            a.setF(random.nextBoolean() ? 0f : Float.NaN);
        }
        what[0] += " -> " + (a.getFloatsCount() > 0 ? a.getFloatsList().toString() : a.getStringsCount() > 0
                ? a.getStringsList().stream().map(ByteString::toStringUtf8).toList().toString() : a.getType() == AttributeProto.AttributeType.INT
                ? Long.toString(a.getI()) : Float.toString(a.getF()));
        return model.build();
    }
}

package dev.handoff.onnx.internal;

import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random opset-5 {@code TreeEnsemble} models ({@link RandomTreeEnsembleV5Models}), each run by ONNX Runtime and
 * by both tree backends on the same rows (pool and set values, one ulp and a half either side, NaN, infinities, -0,
 * subnormals, values past int32). Raw scores (the model with post_transform NONE) agree bit for bit; with the model's
 * transform, within the two ulps of C {@code expf}/{@code logf} against Java's, as in
 * {@link RandomTreeEnsembleParityTest}. The default build runs 200 models; {@code -Dhandoff.fuzz.mutations=N} runs N.
 */
class TreeEnsembleV5ParityTest {
    private static final int ROWS = 64;

    @Test
    void randomOpset5EnsemblesScoreAsOnnxRuntimeDoes() throws Exception {
        int models = Integer.getInteger("handoff.fuzz.mutations", 200);
        List<String> failures = new ArrayList<>();
        int transformed = 0;
        int members = 0;
        int[] inexact = new int[1];
        for (int i = 0; i < models && failures.size() < 12; i++) {
            long seed = 55_000L + i;
            RandomTreeEnsembleV5Models generator = new RandomTreeEnsembleV5Models(seed);
            byte[] bytes = generator.model();
            String name = "seed " + seed + " (" + generator.description + ")";
            float[] rows = new float[ROWS * generator.features];
            for (int r = 0; r < ROWS; r++) {
                System.arraycopy(generator.row(), 0, rows, r * generator.features, generator.features);
            }
            members += bytes.length > 0 && OnnxGraph.read(bytes).proto().getGraph().getNode(0).getAttributeList().stream()
                    .anyMatch(a -> a.getName().equals("membership_values")) ? 1 : 0;
            if (post(bytes) == 0) {
                check(name, bytes, generator, rows, failures, 0, new int[1]);
            } else {
                transformed++;
                check(name + " [transform NONE]", withTransform(bytes, 0), generator, rows, failures, 0, new int[1]);
                check(name, bytes, generator, rows, failures, 2, inexact);
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " differences:\n" + String.join("\n", failures));
        int compared = transformed * ROWS;
        System.out.println("random opset-5 tree ensembles: " + models + " models, " + members + " with BRANCH_MEMBER, " + transformed
                + " with a post-transform; " + inexact[0] + " transformed floats one or two ulps from ONNX Runtime's over " + compared
                + " rows");
        assertTrue(members > models / 3, "BRANCH_MEMBER is drawn: " + members);
        assertTrue(inexact[0] <= compared / 100, "exp/log rounding differences must stay rare: " + inexact[0]);
    }

    private static void check(String name, byte[] bytes, RandomTreeEnsembleV5Models generator, float[] rows, List<String> failures,
                              int ulps, int[] inexact) throws Exception {
        OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(bytes).proto());
        if (!coverage.covered()) {
            failures.add(name + ": not covered: " + coverage.reason());
            return;
        }
        TreeEnsemble model = coverage.model();
        try (OrtTreeOracle ort = new OrtTreeOracle(bytes, "X", false)) {
            failures.addAll(OrtTreeOracle.differences(name, model, ort.run(rows, ROWS, generator.features), rows, ROWS, ulps, inexact));
            float[] one = new float[generator.features];
            System.arraycopy(rows, 0, one, 0, one.length);
            failures.addAll(OrtTreeOracle.differences(name + " single row", model, ort.run(one, 1, generator.features), one, 1, ulps,
                    new int[1]));
        } catch (ai.onnxruntime.OrtException e) {
            failures.add(name + ": ONNX Runtime refused it: " + e.getMessage());
        }
    }

    private static long post(byte[] bytes) {
        for (AttributeProto a : OnnxGraph.read(bytes).proto().getGraph().getNode(0).getAttributeList()) {
            if (a.getName().equals("post_transform")) {
                return a.getI();
            }
        }
        return 0;
    }

    static byte[] withTransform(byte[] bytes, int transform) {
        ModelProto.Builder model = OnnxGraph.read(bytes).proto().toBuilder();
        NodeProto.Builder node = model.getGraphBuilder().getNodeBuilder(0);
        for (int i = 0; i < node.getAttributeCount(); i++) {
            if (node.getAttribute(i).getName().equals("post_transform")) {
                node.removeAttribute(i);
                break;
            }
        }
        node.addAttribute(AttributeProto.newBuilder().setName("post_transform").setType(AttributeProto.AttributeType.INT).setI(transform));
        return model.build().toByteArray();
    }
}

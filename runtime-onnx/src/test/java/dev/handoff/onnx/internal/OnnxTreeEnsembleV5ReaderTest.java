package dev.handoff.onnx.internal;

import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.BytecodeTrees;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.internal.tree.TreeInterpreter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ONNX Runtime's rules for the opset-5 {@code TreeEnsemble}'s {@code BRANCH_MEMBER}, pinned on one-node trees (true leaf
 * 1, false leaf 0) against ONNX Runtime itself on edge rows, and what the reader leaves on the runtime, with its reason.
 */
class OnnxTreeEnsembleV5ReaderTest {
    private static final float[] EDGES = {Float.NaN, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 0.5f, -0.5f, 0.99999994f, -0.99999994f,
        1f, -1f, 2f, 2.5f, 2.9999998f, 3f, 3.0000002f, 3.5f, -2.5f, -3f, 30f, 30.5f, 31f, 40.5f, 16777216f, 16777218f, 16777220f,
        2147483520f, 2147483648f, -2147483648f, 3e9f, -3e9f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY};

    /** A one-node tree on feature 0: true leaf weight 1, false leaf weight 0. */
    static TreeEnsembleV5Graphs.Spec member(double[] set, long missing) {
        TreeEnsembleV5Graphs.Spec s = new TreeEnsembleV5Graphs.Spec();
        s.featureIds = new long[] {0};
        s.splits = new double[] {0};
        s.modes = new byte[] {TreeEnsembleV5Graphs.MEMBER};
        s.trueIds = new long[] {0};
        s.falseIds = new long[] {1};
        s.trueLeafs = new long[] {1};
        s.falseLeafs = new long[] {1};
        s.missing = new long[] {missing};
        double[] m = new double[set.length + 1];
        System.arraycopy(set, 0, m, 0, set.length);
        m[set.length] = Double.NaN;
        s.membership = m;
        s.leafTargets = new long[] {0, 0};
        s.leafWeights = new double[] {1, 0};
        s.roots = new long[] {0};
        return s;
    }

    private static float[] rows(double[] set) {
        List<Float> rows = new ArrayList<>();
        for (float e : EDGES) {
            rows.add(e);
        }
        for (double v : set) {
            float f = (float) v;
            rows.add(Math.nextUp(f));
            rows.add(Math.nextDown(f));
            rows.add(f + 0.5f);
            rows.add(f - 0.5f);
            rows.add(f + 1f);
        }
        float[] out = new float[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i);
        }
        return out;
    }

    /** Member or not, by ONNX Runtime, after checking that both backends agree with it on every edge row. */
    private static boolean[] memberships(double[] set, long missing) throws Exception {
        byte[] bytes = TreeEnsembleV5Graphs.model(member(set, missing));
        OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(bytes).proto());
        assertTrue(coverage.covered(), coverage.reason());
        float[] rows = rows(set);
        try (OrtTreeOracle ort = new OrtTreeOracle(bytes, "X", false)) {
            OrtTreeOracle.Answer answer = ort.run(rows, rows.length, 1);
            List<String> differences = OrtTreeOracle.differences(java.util.Arrays.toString(set) + " missing " + missing, coverage.model(),
                    answer, rows, rows.length);
            assertTrue(differences.isEmpty(), String.join("\n", differences));
            assertTrue(BytecodeTrees.declineReason(coverage.model()) == null, "the bytecode backend takes it");
            boolean[] out = new boolean[EDGES.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = answer.scores()[i] == 1f;
            }
            return out;
        }
    }

    private static boolean at(boolean[] m, float x) {
        for (int i = 0; i < EDGES.length; i++) {
            if (Float.floatToIntBits(EDGES[i]) == Float.floatToIntBits(x)) {
                return m[i];
            }
        }
        throw new AssertionError("no edge row " + x);
    }

    @Test
    void aSmallSetInZeroToThirtyComparesExactlyAndNaNFollowsTheMissingFlag() throws Exception {
        boolean[] m = memberships(new double[] {2, 3}, 0);
        assertTrue(at(m, 2f) && at(m, 3f));
        assertTrue(!at(m, 2.5f) && !at(m, 2.9999998f) && !at(m, 3.0000002f) && !at(m, 3.5f) && !at(m, Float.NaN));
        assertTrue(at(memberships(new double[] {2, 3}, 1), Float.NaN));
        boolean[] half = memberships(new double[] {2.5, 0}, 0); // a value that is not an integer: still exact
        assertTrue(at(half, 2.5f) && at(half, -0f) && !at(half, 2f) && !at(half, 0.5f));
    }

    @Test
    void aBigSetTruncatesTheInputToInt32() throws Exception {
        boolean[] negative = memberships(new double[] {-1, 3}, 0); // a negative value makes it big
        assertTrue(at(negative, 3f) && at(negative, 3.5f) && at(negative, 3.0000002f) && !at(negative, 2.9999998f));
        assertTrue(at(negative, -1f) && !at(negative, -0.5f) && !at(negative, -0.99999994f));
        assertTrue(!at(negative, Float.NaN) && !at(negative, Float.NEGATIVE_INFINITY) && !at(negative, -3e9f));
        boolean[] many = memberships(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
            25, 26, 27, 28, 29, 30}, 1); // 31 values make it big
        assertTrue(at(many, 0.5f) && at(many, -0.5f) && at(many, -0.99999994f) && at(many, 30.5f) && !at(many, 31f) && !at(many, -1f));
        assertTrue(at(many, Float.NaN), "NaN goes the missing flag's way");
        boolean[] large = memberships(new double[] {16777218, 40}, 0); // from 2^24 on, floats are integers
        assertTrue(at(large, 16777218f) && !at(large, 16777216f) && !at(large, 16777220f) && at(large, 40.5f));
        boolean[] top = memberships(new double[] {2147483520.0, -5}, 0);
        assertTrue(at(top, 2147483520f) && !at(top, 2147483648f) && !at(top, 3e9f) && !at(top, Float.POSITIVE_INFINITY));
    }

    private static String reason(TreeEnsembleV5Graphs.Spec spec) {
        return OnnxTreeReader.read(OnnxGraph.read(TreeEnsembleV5Graphs.model(spec)).proto()).reason();
    }

    @Test
    void whatTheEngineDoesNotCoverStaysOnTheRuntimeWithItsReason() throws Exception {
        TreeEnsembleV5Graphs.Spec minimum = member(new double[] {2, 3}, 0);
        minimum.aggregate = TreeEnsembleV5Graphs.MIN;
        assertEquals("TreeEnsemble aggregate_function MIN not covered", reason(minimum));
        TreeEnsembleV5Graphs.Spec maximum = member(new double[] {2, 3}, 0);
        maximum.aggregate = TreeEnsembleV5Graphs.MAX;
        assertEquals("TreeEnsemble aggregate_function MAX not covered", reason(maximum));
        assertEquals("TreeEnsemble BRANCH_MEMBER node 0 with value -2.147483648E9 outside the int32 range above -2147483648 not covered",
                reason(member(new double[] {Integer.MIN_VALUE, 3}, 0)));
        TreeEnsembleV5Graphs.Spec cycle = member(new double[] {2, 3}, 0);
        cycle.trueLeafs = new long[] {0};
        assertEquals("TreeEnsemble with a cycle through node 0 not covered", reason(cycle));
        TreeEnsembleV5Graphs.Spec doubles = member(new double[] {2, 3}, 0);
        doubles.doubleInput = true;
        String reason = reason(doubles);
        assertEquals("TreeEnsemble on a double input not covered (its scores are doubles)", reason);
        byte[] bytes = TreeEnsembleV5Graphs.model(doubles);
        try (Scorer scorer = Scorer.load(bytes, ScorerOptions.builder().build())) {
            assertEquals(TreeEngines.runtime(reason), scorer.info().metadata().get(TreeEngines.METADATA_KEY));
            assertEquals(1.0, ((Number) scorer.score(java.util.Map.of("X", 3.0)).value()).doubleValue());
        }
    }

    @Test
    void aOneLeafTreeReadsTheLeafAtItsRootsIndexAsOnnxRuntimeDoes() throws Exception {
        TreeEnsembleV5Graphs.Spec s = new TreeEnsembleV5Graphs.Spec();
        s.featureIds = new long[] {0, 0};
        s.splits = new double[] {0, 0};
        s.modes = new byte[] {TreeEnsembleV5Graphs.LEQ, TreeEnsembleV5Graphs.LEQ};
        s.trueIds = new long[] {0, 0};
        s.falseIds = new long[] {0, 0};
        s.trueLeafs = new long[] {1, 1};
        s.falseLeafs = new long[] {1, 1};
        s.leafTargets = new long[] {0, 0};
        s.leafWeights = new double[] {5, 7};
        s.roots = new long[] {1}; // root node 1 names leaf 0 twice; ONNX Runtime adds leaf 1's weight
        byte[] bytes = TreeEnsembleV5Graphs.model(s);
        TreeEnsemble model = OnnxTreeReader.read(OnnxGraph.read(bytes).proto()).model();
        float[] out = new float[1];
        new TreeInterpreter(model).score(new float[] {1f}, 0, out, 0, new TreeInterpreter(model).newWorkspace());
        try (OrtTreeOracle ort = new OrtTreeOracle(bytes, "X", false)) {
            assertEquals(7f, ort.run(new float[] {1f}, 1, 1).scores()[0]);
        }
        assertEquals(7f, out[0]);
    }
}

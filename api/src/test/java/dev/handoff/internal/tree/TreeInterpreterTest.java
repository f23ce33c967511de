package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.Aggregation;
import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.NodeMode;
import dev.handoff.internal.tree.TreeEnsemble.PostTransform;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The interpreter's rules on small models built in code (the parity tests in runtime-onnx hold them against ONNX
 * Runtime itself): comparisons in float, NaN and the missing-value direction, sums in float, base values after
 * averaging, and the classifier's two-class rules.
 */
class TreeInterpreterTest {
    private static final byte LEAF = (byte) NodeMode.LEAF.ordinal();

    /** One stump: feature 0 OP threshold goes to the true leaf (weight 10), else the false leaf (weight 20). */
    private static TreeEnsemble stump(NodeMode mode, float threshold, boolean missingTracksTrue) {
        return TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.FLOAT, 1, 1)
                .trees(new int[] {0}, new int[3], new double[] {threshold, 20, 10}, new byte[] {(byte) mode.ordinal(), LEAF, LEAF},
                        new boolean[] {missingTracksTrue, false, false}, new int[] {2, 0, 0})
                .leafWeights(new int[] {0, 0, 1}, new int[] {0, 1, 1}, new int[] {0, 0}, new double[] {20, 10})
                .build();
    }

    private static float score(TreeEnsemble model, float x) {
        TreeInterpreter engine = new TreeInterpreter(model);
        float[] out = new float[1];
        engine.score(new float[] {x}, 0, out, 0, engine.newWorkspace());
        float[] fromDouble = new float[1];
        engine.score(new double[] {x}, 0, fromDouble, 0, engine.newWorkspace());
        assertEquals(out[0], fromDouble[0], "float and double rows agree");
        return out[0];
    }

    @Test
    void eachModeTakesTheTrueBranchWhenItsComparisonHolds() {
        assertEquals(10f, score(stump(NodeMode.BRANCH_LEQ, 1f, false), 1f));
        assertEquals(20f, score(stump(NodeMode.BRANCH_LT, 1f, false), 1f));
        assertEquals(10f, score(stump(NodeMode.BRANCH_GTE, 1f, false), 1f));
        assertEquals(20f, score(stump(NodeMode.BRANCH_GT, 1f, false), 1f));
        assertEquals(10f, score(stump(NodeMode.BRANCH_EQ, 1f, false), 1f));
        assertEquals(20f, score(stump(NodeMode.BRANCH_NEQ, 1f, false), 1f));
        assertEquals(10f, score(stump(NodeMode.BRANCH_EQ, 0f, false), -0f), "-0 equals +0");
    }

    @Test
    void nanFailsEveryComparisonButNeqUnlessTheNodeSendsMissingToTheTrueChild() {
        for (NodeMode mode : List.of(NodeMode.BRANCH_LEQ, NodeMode.BRANCH_LT, NodeMode.BRANCH_GTE, NodeMode.BRANCH_GT, NodeMode.BRANCH_EQ)) {
            assertEquals(20f, score(stump(mode, 1f, false), Float.NaN), mode + " with NaN");
            assertEquals(10f, score(stump(mode, 1f, true), Float.NaN), mode + " with NaN tracking true");
        }
        assertEquals(10f, score(stump(NodeMode.BRANCH_NEQ, 1f, false), Float.NaN));
    }

    @Test
    void aDoubleRowIsNarrowedToFloatBeforeAFloatModelComparesIt() {
        TreeEnsemble model = stump(NodeMode.BRANCH_LEQ, 0.1f, false);
        TreeInterpreter engine = new TreeInterpreter(model);
        float[] out = new float[1];
        engine.score(new double[] {0.1}, 0, out, 0, engine.newWorkspace()); // 0.1 > 0.1f in double, equal in float
        assertEquals(10f, out[0]);
    }

    @Test
    void leafWeightsAreSummedInFloatTreeByTree() {
        // two single-leaf trees: 1e8 + 1 + 1 rounds back to 1e8 in float at each step
        TreeEnsemble model = TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.FLOAT, 1, 1)
                .trees(new int[] {0, 1, 2}, new int[3], new double[] {1e8f, 1, 1}, new byte[] {LEAF, LEAF, LEAF}, new boolean[3], new int[3])
                .leafWeights(new int[] {0, 1, 2}, new int[] {1, 1, 1}, new int[3], new double[] {1e8f, 1, 1})
                .build();
        assertEquals(1e8f, score(model, 0f));
    }

    @Test
    void averageDividesByTheTreeCountBeforeTheBaseValueIsAdded() {
        TreeEnsemble model = TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.FLOAT, 1, 1)
                .trees(new int[] {0, 1}, new int[2], new double[] {3, 4}, new byte[] {LEAF, LEAF}, new boolean[2], new int[2])
                .leafWeights(new int[] {0, 1}, new int[] {1, 1}, new int[2], new double[] {3, 4})
                .aggregation(Aggregation.AVERAGE).baseValues(10)
                .build();
        assertEquals(13.5f, score(model, 0f));
    }

    @Test
    void aSingleTargetRegressorIgnoresLogisticAsOnnxRuntimeDoes() {
        TreeEnsemble model = TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.FLOAT, 1, 1)
                .trees(new int[] {0}, new int[1], new double[] {3}, new byte[] {LEAF}, new boolean[1], new int[1])
                .leafWeights(new int[] {0}, new int[] {1}, new int[1], new double[] {3})
                .postTransform(PostTransform.LOGISTIC)
                .build();
        assertEquals(3f, score(model, 0f));
    }

    @Test
    void aTargetNoLeafReachedScoresZeroWhateverItsBaseValue() {
        TreeEnsemble model = TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.FLOAT, 1, 2)
                .trees(new int[] {0}, new int[1], new double[] {3}, new byte[] {LEAF}, new boolean[1], new int[1])
                .leafWeights(new int[] {0}, new int[] {1}, new int[] {0}, new double[] {3})
                .baseValues(1, 5)
                .build();
        TreeInterpreter engine = new TreeInterpreter(model);
        float[] out = new float[2];
        engine.score(new float[] {0}, 0, out, 0, engine.newWorkspace());
        assertArrayEquals(new float[] {4, 0}, out);
    }

    /** A binary classifier whose single leaf gives {@code weight} to class 1 only (ONNX Runtime's binary case). */
    private static float[] binary(float weight, PostTransform transform, long[] label) {
        TreeEnsemble model = TreeEnsemble.builder(Kind.CLASSIFIER, ThresholdType.FLOAT, 1, 2)
                .trees(new int[] {0}, new int[1], new double[] {weight}, new byte[] {LEAF}, new boolean[1], new int[1])
                .leafWeights(new int[] {0}, new int[] {1}, new int[] {0}, new double[] {weight})
                .classes(List.of("no", "yes"), false, true, weight >= 0)
                .postTransform(transform)
                .build();
        TreeInterpreter engine = new TreeInterpreter(model);
        float[] out = new float[2];
        label[0] = engine.score(new float[] {0}, 0, out, 0, engine.newWorkspace());
        return out;
    }

    @Test
    void theBinaryCaseWritesOneMinusTheScoreBesideIt() {
        long[] label = new long[1];
        assertArrayEquals(new float[] {1 - 0.75f, 0.75f}, binary(0.75f, PostTransform.NONE, label));
        assertEquals(1, label[0], "all-positive weights: above 0.5 is the second class");
        assertArrayEquals(new float[] {1 - 0.25f, 0.25f}, binary(0.25f, PostTransform.NONE, label));
        assertEquals(0, label[0]);
    }

    @Test
    void theBinaryCaseWithMixedSignsMirrorsTheScoreAndLogisticTurnsBothIntoProbabilities() {
        long[] label = new long[1];
        assertArrayEquals(new float[] {0.5f, -0.5f}, binary(-0.5f, PostTransform.NONE, label));
        assertEquals(0, label[0], "mixed signs: above 0 is the second class");
        assertArrayEquals(new float[] {OrtMath.logistic(0.5f), OrtMath.logistic(-0.5f)}, binary(-0.5f, PostTransform.LOGISTIC, label));
        assertArrayEquals(new float[] {OrtMath.logistic(-0.75f), OrtMath.logistic(0.75f)}, binary(0.75f, PostTransform.LOGISTIC, label),
                "ONNX Runtime 1.28 applies the logistic in the all-positive case too");
    }

    @Test
    void blocksGiveTheSameAnswersAsSingleRows() {
        TreeEnsemble model = stump(NodeMode.BRANCH_LT, 0.5f, true);
        TreeInterpreter engine = new TreeInterpreter(model);
        int rows = TreeInterpreter.BLOCK_ROWS * 2 + 3;
        float[] x = new float[rows];
        for (int r = 0; r < rows; r++) {
            x[r] = r % 7 == 0 ? Float.NaN : (r % 3) / 2f;
        }
        float[] block = new float[rows];
        engine.scoreBlock(x, rows, block, null, engine.newWorkspace());
        for (int r = 0; r < rows; r++) {
            assertEquals(score(model, x[r]), block[r], "row " + r);
        }
    }

    @Test
    void ortMathFollowsOnnxRuntimesFormulas() {
        assertEquals(0.5f, OrtMath.logistic(0f));
        assertEquals(1f - OrtMath.logistic(2f), OrtMath.logistic(-2f));
        assertEquals(0f, OrtMath.probit(0.5f), 1e-6f);
        assertEquals(Float.NaN, OrtMath.probit(2f), "outside (0, 1) the approximation has no value");
        float[] v = {1f, 2f, 3f};
        OrtMath.softmax(v, 0, 3);
        assertEquals(1f, v[0] + v[1] + v[2], 1e-6f);
    }
}

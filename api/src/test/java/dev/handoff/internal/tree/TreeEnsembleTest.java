package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.NodeMode;
import dev.handoff.internal.tree.TreeEnsemble.PostTransform;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Construction of a {@link TreeEnsemble}: what it accepts, and the message for each thing it refuses. */
class TreeEnsembleTest {
    private static final byte LEAF = (byte) NodeMode.LEAF.ordinal();
    private static final byte LEQ = (byte) NodeMode.BRANCH_LEQ.ordinal();

    /** One stump on feature 0: x <= 1 gives 10 (true child, node 2), else 20 (false child, node 1). */
    static TreeEnsemble.Builder stump(int trueChild, int feature, double threshold) {
        return TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.FLOAT, 2, 1)
                .trees(new int[] {0}, new int[] {feature, 0, 0}, new double[] {threshold, 20, 10}, new byte[] {LEQ, LEAF, LEAF},
                        new boolean[3], new int[] {trueChild, 0, 0})
                .leafWeights(new int[] {0, 0, 1}, new int[] {0, 1, 1}, new int[] {0, 0}, new double[] {20, 10});
    }

    @Test
    void aValidStumpKeepsItsArraysAndCopiesThem() {
        int[] feature = {1, 0, 0};
        TreeEnsemble model = TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.FLOAT, 2, 1)
                .trees(new int[] {0}, feature, new double[] {1, 20, 10}, new byte[] {LEQ, LEAF, LEAF}, new boolean[3], new int[] {2, 0, 0})
                .leafWeights(new int[] {0, 0, 1}, new int[] {0, 1, 1}, new int[] {0, 0}, new double[] {20, 10})
                .baseValues(0.5)
                .build();
        feature[0] = 0;
        assertEquals(1, model.feature(0), "the builder's arrays are copied at build()");
        assertEquals(NodeMode.BRANCH_LEQ, model.mode(0));
        assertEquals(2, model.trueChild(0));
        assertEquals(1, model.treeCount());
        assertEquals(3, model.treeStart(1));
        assertArrayEquals(new double[] {0.5}, model.baseValues());
    }

    @Test
    void aTrueChildPointingBackwardsIsRefusedSoNoWalkCanLoop() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stump(0, 0, 1).build());
        assertEquals("tree 0 node 0 has true child 0, expected a node after it in its tree [1, 3)", e.getMessage());
    }

    @Test
    void aTrueChildOutsideItsTreeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stump(3, 0, 1).build());
        assertEquals("tree 0 node 0 has true child 3, expected a node after it in its tree [1, 3)", e.getMessage());
    }

    @Test
    void aFeatureOutsideTheRowIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stump(2, 2, 1).build());
        assertEquals("tree 0 node 0 reads feature 2, expected 0 to 1", e.getMessage());
    }

    @Test
    void aDoubleThresholdInAFloatModelIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stump(2, 0, 0.1).build());
        assertEquals("tree 0 node 0 holds 0.1, not a float value, in a FLOAT model", e.getMessage());
    }

    @Test
    void aBranchAtTheEndOfItsTreeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TreeEnsemble.builder(Kind.REGRESSOR,
                ThresholdType.DOUBLE, 1, 1).trees(new int[] {0}, new int[] {0}, new double[] {1}, new byte[] {LEQ}, new boolean[1],
                new int[] {0}).leafWeights(new int[1], new int[1], new int[0], new double[0]).build());
        assertEquals("tree 0 node 0 is a branch at the end of its tree: its false child 1 is outside [0, 1)", e.getMessage());
    }

    @Test
    void aWeightForAnUnknownTargetIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TreeEnsemble.builder(Kind.REGRESSOR,
                ThresholdType.FLOAT, 1, 2).trees(new int[] {0}, new int[] {0}, new double[] {0}, new byte[] {LEAF}, new boolean[1],
                new int[1]).leafWeights(new int[] {0}, new int[] {1}, new int[] {2}, new double[] {1}).build());
        assertEquals("tree 0 node 0 gives weight 0 to target 2, expected 0 to 1", e.getMessage());
    }

    @Test
    void treesMustStartInOrderInsideTheNodes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TreeEnsemble.builder(Kind.REGRESSOR,
                ThresholdType.FLOAT, 1, 1).trees(new int[] {0, 3}, new int[] {0, 0}, new double[] {0, 0}, new byte[] {LEAF, LEAF},
                new boolean[2], new int[2]).leafWeights(new int[2], new int[2], new int[0], new double[0]).build());
        assertEquals("tree 1 starts at node 3, expected after node 0 and before 2", e.getMessage());
    }

    @Test
    void aTwoClassProbitClassifierIsRefusedBecauseOnnxRuntimeLeavesItsSecondProbabilityUnwritten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TreeEnsemble.builder(Kind.CLASSIFIER,
                ThresholdType.FLOAT, 1, 2).trees(new int[] {0}, new int[] {0}, new double[] {0}, new byte[] {LEAF}, new boolean[1],
                new int[1]).leafWeights(new int[] {0}, new int[] {1}, new int[] {1}, new double[] {1})
                .classes(List.of("0", "1"), true, true, true).postTransform(PostTransform.PROBIT).build());
        assertEquals("PROBIT on a two-class classifier has no defined second probability", e.getMessage());
    }

    @Test
    void mismatchedArrayLengthsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TreeEnsemble.builder(Kind.REGRESSOR,
                ThresholdType.FLOAT, 1, 1).trees(new int[] {0}, new int[] {0}, new double[] {0, 1}, new byte[] {LEAF}, new boolean[1],
                new int[1]).leafWeights(new int[1], new int[1], new int[0], new double[0]).build());
        assertEquals("value has 2 entries, expected one per node (1)", e.getMessage());
    }

    @Test
    void integerLabelsMustBeIntegers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TreeEnsemble.builder(Kind.CLASSIFIER, ThresholdType.FLOAT, 1, 2).classes(List.of("0", "yes"), true, false, true));
        assertTrue(e.getMessage().contains("'yes'"), e.getMessage());
    }
}

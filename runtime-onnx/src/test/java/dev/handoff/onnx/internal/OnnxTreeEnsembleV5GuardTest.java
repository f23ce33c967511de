package dev.handoff.onnx.internal;

import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opset-5 {@code TreeEnsemble} models ONNX Runtime would read out of bounds or never finish reading are refused at load,
 * on both engines, before ONNX Runtime sees them, naming the node; a valid model still loads.
 */
class OnnxTreeEnsembleV5GuardTest {

    private static String refusal(TreeEnsembleV5Graphs.Spec spec, boolean compiledTrees) {
        byte[] bytes = TreeEnsembleV5Graphs.model(spec);
        Exception e = assertThrows(Exception.class, () -> Scorer.load(bytes, ScorerOptions.builder().compiledTrees(compiledTrees).build()));
        return String.valueOf(e.getMessage()) + " / " + String.valueOf(e.getCause() == null ? "" : e.getCause().getMessage());
    }

    @Test
    void aCycleIsRefusedAtLoad() {
        TreeEnsembleV5Graphs.Spec cycle = OnnxTreeEnsembleV5ReaderTest.member(new double[] {2, 3}, 0);
        cycle.trueLeafs = new long[] {0}; // node 0's true child is node 0
        for (boolean compiled : new boolean[] {true, false}) {
            String message = refusal(cycle, compiled);
            assertTrue(message.contains("node 0 leads back to node 0 (a cycle"), message);
        }
    }

    @Test
    void indicesOutsideTheirArraysAreRefusedAtLoad() {
        TreeEnsembleV5Graphs.Spec leaf = OnnxTreeEnsembleV5ReaderTest.member(new double[] {2, 3}, 0);
        leaf.falseIds = new long[] {5};
        String message = refusal(leaf, true);
        assertTrue(message.contains("node 0 points to leaf 5, outside its 2 leaves"), message);
        TreeEnsembleV5Graphs.Spec root = OnnxTreeEnsembleV5ReaderTest.member(new double[] {2, 3}, 0);
        root.roots = new long[] {1};
        message = refusal(root, false);
        assertTrue(message.contains("tree root 1 outside its 1 nodes"), message);
    }

    @Test
    void subtreesSharedSoOftenThatTheExpandedTreesWouldBeHugeAreRefused() {
        int depth = 40; // node i's two children are both node i + 1: 2^40 paths
        TreeEnsembleV5Graphs.Spec s = new TreeEnsembleV5Graphs.Spec();
        s.featureIds = new long[depth];
        s.splits = new double[depth];
        s.modes = new byte[depth];
        s.trueIds = new long[depth];
        s.falseIds = new long[depth];
        s.trueLeafs = new long[depth];
        s.falseLeafs = new long[depth];
        for (int i = 0; i < depth; i++) {
            boolean last = i == depth - 1;
            s.trueIds[i] = last ? 0 : i + 1;
            s.falseIds[i] = last ? 1 : i + 1;
            s.trueLeafs[i] = last ? 1 : 0;
            s.falseLeafs[i] = last ? 1 : 0;
        }
        s.leafTargets = new long[] {0, 0};
        s.leafWeights = new double[] {1, 2};
        s.roots = new long[] {0};
        String message = refusal(s, true);
        assertTrue(message.contains("more than " + OnnxLoadGuards.MAX_EXPANDED_V5 + " nodes once expanded"), message);
    }

    @Test
    void aValidModelStillLoadsOnBothEngines() {
        byte[] bytes = TreeEnsembleV5Graphs.model(OnnxTreeEnsembleV5ReaderTest.member(new double[] {2, 3}, 0));
        for (boolean compiled : new boolean[] {true, false}) {
            try (Scorer scorer = Scorer.load(bytes, ScorerOptions.builder().compiledTrees(compiled).build())) {
                assertEquals(1.0, ((Number) scorer.score(java.util.Map.of("X", 3.0)).value()).doubleValue());
            }
        }
    }
}

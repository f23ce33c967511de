package dev.handoff.internal.tree;

import dev.handoff.internal.ScratchPool;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TreeWorkspaceTest {

    private static TreeEnsemble modelWithTargets(int atLeast) {
        for (long seed = 1; ; seed++) {
            TreeEnsemble model = new RandomEnsembles(seed).model();
            if (model.targetCount() >= atLeast) {
                return model;
            }
        }
    }

    @Test
    void aNewWorkspaceHoldsOneRowOfScoresNotABlock() {
        TreeEnsemble model = modelWithTargets(3);
        for (TreeBackend backend : new TreeBackend[] {new TreeInterpreter(model), BytecodeTrees.compile(model)}) {
            TreeWorkspace ws = backend.newWorkspace();
            assertEquals(1, ws.rows, backend.name());
            assertEquals(backend.outputWidth() + ScratchPool.PAD_BYTES / Double.BYTES, ws.scores.length, backend.name());
            assertEquals(backend.outputWidth() + ScratchPool.PAD_BYTES, ws.has.length, backend.name());
            float[] out = new float[backend.outputWidth()];
            backend.score(new double[model.featureCount()], 0, out, 0, ws);
            assertEquals(1, ws.rows, backend.name() + ": a single row keeps one row's scores");
        }
    }

    @Test
    void theInterpretersWorkspaceGrowsToTheBlockItScoresAndNoFurther() {
        TreeEnsemble model = modelWithTargets(3);
        TreeInterpreter engine = new TreeInterpreter(model);
        TreeWorkspace ws = engine.newWorkspace();
        int rows = 5;
        engine.scoreBlock(new double[rows * model.featureCount()], rows, new float[rows * engine.outputWidth()], new long[rows], ws);
        assertEquals(rows, ws.rows);
        assertEquals(rows * engine.outputWidth() + ScratchPool.PAD_BYTES / Double.BYTES, ws.scores.length);
        rows = TreeInterpreter.BLOCK_ROWS * 3;
        engine.scoreBlock(new double[rows * model.featureCount()], rows, new float[rows * engine.outputWidth()], new long[rows], ws);
        assertEquals(TreeInterpreter.BLOCK_ROWS, ws.rows);
    }

    /** One workspace reused across single rows and blocks of every size gives each call a fresh workspace's answers. */
    @Test
    void aReusedWorkspaceGivesAFreshWorkspacesAnswersWhateverTheCallSizesBefore() {
        int[] sizes = {1, 3, 1, 200, 2, TreeInterpreter.BLOCK_ROWS + 1, 1, 40};
        for (long seed = 1; seed <= 60; seed++) {
            RandomEnsembles generator = new RandomEnsembles(seed);
            TreeEnsemble model = generator.model();
            for (TreeBackend backend : new TreeBackend[] {new TreeInterpreter(model), BytecodeTrees.compile(model)}) {
                TreeWorkspace reused = backend.newWorkspace();
                int width = backend.outputWidth();
                for (int rows : sizes) {
                    double[] x = new double[rows * model.featureCount()];
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(generator.row(), 0, x, r * model.featureCount(), model.featureCount());
                    }
                    float[] got = new float[rows * width];
                    long[] gotLabels = new long[rows];
                    float[] want = new float[rows * width];
                    long[] wantLabels = new long[rows];
                    if (rows == 1) {
                        gotLabels[0] = backend.score(x, 0, got, 0, reused);
                        wantLabels[0] = backend.score(x, 0, want, 0, backend.newWorkspace());
                    } else {
                        backend.scoreBlock(x, rows, got, gotLabels, reused);
                        backend.scoreBlock(x, rows, want, wantLabels, backend.newWorkspace());
                    }
                    String what = generator.description + ", " + backend.name() + ", " + rows + " rows";
                    assertArrayEquals(want, got, what);
                    assertArrayEquals(wantLabels, gotLabels, what);
                }
            }
        }
    }
}

package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TreeBackend#sums}: a regressor's running sums before finishing, the same bits from the interpreter and the
 * bytecode backend as from a plain walk written here (leaf weights added in tree order from zero, in double or each
 * step rounded to float), NaN weights included (PMML's fused heads weigh a no-prediction leaf NaN); and
 * {@link TreeEnsemble#withLeafWeights}, which PMML's fusion rebuilds its ensembles with.
 */
class TreeSumsTest {
    private static final int ROWS = 48;

    @Test
    void bothBackendsGiveAPlainWalksRunningSumsNaNWeightsIncluded() {
        List<String> failures = new ArrayList<>();
        int regressors = 0;
        int withNaN = 0;
        int single = 0;
        int floats = 0;
        for (long seed = 41_000L; seed < 41_600L && failures.size() < 12; seed++) {
            RandomEnsembles generator = new RandomEnsembles(seed);
            TreeEnsemble model = generator.model();
            if (model.kind() != Kind.REGRESSOR) {
                continue;
            }
            regressors++;
            Random random = new Random(seed * 0x9E3779B97F4A7C15L); // spread: the first draws of nearby seeds agree
            if (random.nextBoolean()) {
                model = withSomeNaNWeights(model, random);
                withNaN++;
            }
            single += model.targetCount() == 1 ? 1 : 0;
            floats += model.thresholdType() == ThresholdType.FLOAT ? 1 : 0;
            TreeBackend[] backends = {new TreeInterpreter(model), BytecodeTrees.compile(model)};
            int targets = model.targetCount();
            for (int r = 0; r < ROWS; r++) {
                double[] row = generator.row();
                double[] padded = new double[row.length + 3];
                System.arraycopy(row, 0, padded, 3, row.length);
                double[] expected = plainSums(model, row);
                for (TreeBackend backend : backends) {
                    double[] got = new double[targets + 2];
                    backend.sums(padded, 3, got, 2, backend.newWorkspace());
                    for (int k = 0; k < targets; k++) {
                        if (Double.doubleToLongBits(got[2 + k]) != Double.doubleToLongBits(expected[k])) {
                            failures.add("seed " + seed + " (" + generator.description + ") " + backend.name() + " row " + r
                                    + " target " + k + ": " + got[2 + k] + ", expected " + expected[k]);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), failures, () -> String.join("\n", failures));
        assertTrue(regressors > 150 && withNaN > 50 && single > 50 && floats > 50 && regressors - floats > 20,
                regressors + " regressors, " + withNaN + " with NaN weights, " + single + " single-target, " + floats + " FLOAT");
    }

    @Test
    void aWorkspaceReusedAcrossRowsStartsEachRowFromZero() {
        TreeEnsemble model = new RandomEnsembles(7).model();
        for (long seed = 8; model.kind() != Kind.REGRESSOR || model.targetCount() < 2; seed++) {
            model = new RandomEnsembles(seed).model();
        }
        RandomEnsembles rows = new RandomEnsembles(1);
        double[] row = new double[model.featureCount()];
        for (TreeBackend backend : new TreeBackend[] {new TreeInterpreter(model), BytecodeTrees.compile(model)}) {
            TreeWorkspace ws = backend.newWorkspace();
            for (int r = 0; r < 20; r++) {
                for (int f = 0; f < row.length; f++) {
                    row[f] = rows.pool[Math.floorMod(r * 7 + f, rows.pool.length)];
                }
                double[] again = new double[model.targetCount()];
                double[] fresh = new double[model.targetCount()];
                backend.sums(row, 0, again, 0, ws);
                backend.sums(row, 0, fresh, 0, backend.newWorkspace());
                for (int k = 0; k < fresh.length; k++) {
                    assertEquals(Double.doubleToLongBits(fresh[k]), Double.doubleToLongBits(again[k]), backend.name() + " row " + r);
                }
            }
        }
    }

    @Test
    void aClassifiersSumsAreNotRead() {
        TreeEnsemble model = new RandomEnsembles(3).model();
        for (long seed = 4; model.kind() != Kind.CLASSIFIER; seed++) {
            model = new RandomEnsembles(seed).model();
        }
        double[] row = new double[model.featureCount()];
        for (TreeBackend backend : new TreeBackend[] {new TreeInterpreter(model), BytecodeTrees.compile(model)}) {
            TreeWorkspace ws = backend.newWorkspace();
            assertThrows(UnsupportedOperationException.class, () -> backend.sums(row, 0, new double[8], 0, ws));
        }
    }

    @Test
    void newLeafWeightsGoToTheirTargetsAndASingleTargetsLeafValues() {
        // two stumps: x <= 1 goes to the true child (nodes 2 and 5), else to the false one (1 and 4); one weight a leaf
        TreeEnsemble two = TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.DOUBLE, 1, 2)
                .trees(new int[] {0, 3}, new int[] {0, 0, 0, 0, 0, 0}, new double[] {1, 0, 0, 1, 0, 0},
                        new byte[] {1, 0, 0, 1, 0, 0}, new boolean[6], new int[] {2, 0, 0, 5, 0, 0})
                .leafWeights(new int[] {0, 0, 1, 2, 2, 3}, new int[] {0, 1, 1, 0, 1, 1}, new int[] {0, 0, 1, 1},
                        new double[] {1, 2, 3, 4})
                .build();
        TreeEnsemble one = two.withLeafWeights(1, new int[] {0, 0, 0, 0}, new double[] {0.5, Double.NaN, 0.25, 8});
        assertEquals(1, one.targetCount());
        assertEquals(0.5, one.value(1));
        assertTrue(Double.isNaN(one.value(2)));
        assertEquals(0.25, one.weightValue(2));
        for (TreeBackend backend : new TreeBackend[] {new TreeInterpreter(one), BytecodeTrees.compile(one)}) {
            double[] sum = new double[1];
            backend.sums(new double[] {5}, 0, sum, 0, backend.newWorkspace()); // the false children: 0.5 + 0.25
            assertEquals(0.75, sum[0], backend.name());
            backend.sums(new double[] {0}, 0, sum, 0, backend.newWorkspace()); // the true children: NaN + 8
            assertTrue(Double.isNaN(sum[0]), backend.name());
        }
        assertThrows(IllegalArgumentException.class, () -> two.withLeafWeights(1, new int[3], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> two.withLeafWeights(1, new int[] {0, 0, 0, 1}, new double[4]));
    }

    /** The model with about one leaf weight in five made NaN. */
    private static TreeEnsemble withSomeNaNWeights(TreeEnsemble model, Random random) {
        int total = model.weightTotal();
        int[] target = new int[total];
        double[] value = new double[total];
        for (int w = 0; w < total; w++) {
            target[w] = model.weightTarget(w);
            value[w] = random.nextInt(5) == 0 ? Double.NaN : model.weightValue(w);
        }
        return model.withLeafWeights(model.targetCount(), target, value);
    }

    /** Each tree's leaf by the node modes, its weights added in tree order from zero (rounded to float for a FLOAT model). */
    private static double[] plainSums(TreeEnsemble model, double[] row) {
        boolean floats = model.thresholdType() == ThresholdType.FLOAT;
        double[] sums = new double[model.targetCount()];
        for (int t = 0; t < model.treeCount(); t++) {
            int node = model.treeStart(t);
            while (!model.isLeaf(node)) {
                double x = floats ? (float) row[model.feature(node)] : row[model.feature(node)];
                double th = model.value(node);
                boolean yes = switch (model.mode(node)) {
                    case BRANCH_LEQ -> x <= th;
                    case BRANCH_LT -> x < th;
                    case BRANCH_GTE -> x >= th;
                    case BRANCH_GT -> x > th;
                    case BRANCH_EQ -> x == th;
                    case BRANCH_NEQ -> x != th;
                    default -> throw new IllegalStateException(model.mode(node) + " at a branch");
                };
                node = yes || (model.missingTracksTrue(node) && x != x) ? model.trueChild(node) : node + 1;
            }
            if (model.targetCount() == 1) {
                sums[0] = floats ? (float) sums[0] + (float) model.value(node) : sums[0] + model.value(node);
                continue;
            }
            for (int w = model.weightStart(node); w < model.weightStart(node) + model.weightCount(node); w++) {
                int k = model.weightTarget(w);
                sums[k] = floats ? (float) (sums[k] + model.weightValue(w)) : sums[k] + model.weightValue(w);
            }
        }
        return sums;
    }
}

package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.NodeMode;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bytecode backend against the interpreter, bit for bit: seeded random ensembles of every shape the
 * representation holds ({@link RandomEnsembles}) on random and edge rows, through every entry point (float and
 * double rows, blocks); trees big enough to be split into many methods and classes; what it declines; and that its
 * classes are unloaded once it is dropped. runtime-onnx's parity tests hold both backends against ONNX Runtime.
 */
class BytecodeTreesTest {
    private static final byte LEAF = (byte) NodeMode.LEAF.ordinal();
    private static final int ROWS = 64;

    @Test
    void randomEnsemblesGiveTheInterpretersBitsOnEveryRow() {
        int models = Integer.getInteger("handoff.fuzz.mutations", 200) * 2;
        List<String> failures = new ArrayList<>();
        int doubles = 0;
        int multi = 0;
        for (int i = 0; i < models && failures.size() < 12; i++) {
            long seed = 27_000L + i;
            RandomEnsembles generator = new RandomEnsembles(seed);
            TreeEnsemble model = generator.model();
            doubles += generator.floats ? 0 : 1;
            multi += model.targetCount() > 1 ? 1 : 0;
            double[] rows = new double[ROWS * generator.features];
            for (int r = 0; r < ROWS; r++) {
                System.arraycopy(generator.row(), 0, rows, r * generator.features, generator.features);
            }
            assertNull(BytecodeTrees.declineReason(model), () -> "seed " + seed + " declined");
            failures.addAll(differences("seed " + seed + " (" + generator.description + ")", model, rows, ROWS));
        }
        assertEquals(List.of(), failures, () -> String.join("\n", failures));
        assertTrue(doubles > models / 10 && multi > models / 4, "DOUBLE models " + doubles + ", several targets " + multi);
    }

    @Test
    void thresholdsAndTheirNeighboursScoreAsTheInterpreterDoesInEveryMode() {
        for (NodeMode mode : new NodeMode[] {NodeMode.BRANCH_LEQ, NodeMode.BRANCH_LT, NodeMode.BRANCH_GTE, NodeMode.BRANCH_GT,
            NodeMode.BRANCH_EQ, NodeMode.BRANCH_NEQ}) {
            for (boolean missingTrue : new boolean[] {false, true}) {
                for (ThresholdType type : ThresholdType.values()) {
                    for (double threshold : new double[] {1.5, -0d, 0d, Float.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, 0.1f, 0.1}) {
                        if (type == ThresholdType.FLOAT && (double) (float) threshold != threshold && !Double.isNaN(threshold)) {
                            continue;
                        }
                        TreeEnsemble model = stump(type, mode, threshold, missingTrue);
                        double[] xs = {threshold, Math.nextUp(threshold), Math.nextDown(threshold), Math.nextUp((float) threshold),
                            Math.nextDown((float) threshold), Double.NaN, 0d, -0d, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                            Double.MIN_VALUE, 0.1, 0.1f};
                        List<String> d = differences(mode + " " + type + " " + threshold + " missing " + missingTrue, model, xs, xs.length);
                        assertEquals(List.of(), d, () -> String.join("\n", d));
                    }
                }
            }
        }
    }

    @Test
    void aDeepChainIsSplitIntoMethodsUnderHotSpotsCompileLimit() {
        for (ThresholdType type : ThresholdType.values()) {
            for (boolean falseSide : new boolean[] {true, false}) {
                TreeEnsemble model = chain(type, 12_000, falseSide);
                BytecodeTrees backend = BytecodeTrees.compile(model);
                assertTrue(backend.methodCount() > 10, "split into methods: " + backend.methodCount());
                assertTrue(backend.largestMethod() < TreeBytecodeGenerator.HUGE_METHOD, "largest method " + backend.largestMethod());
                double[] rows = new double[2_000];
                for (int r = 0; r < rows.length; r++) {
                    rows[r] = r % 7 == 0 ? Double.NaN : r * 6.0 + (r % 3) - 1; // around the thresholds 0, 1, 2, ...
                }
                List<String> d = differences("chain " + type + (falseSide ? " false side" : " true side"), model, rows, rows.length);
                assertEquals(List.of(), d, () -> String.join("\n", d));
            }
        }
    }

    @Test
    void bigTreesAreSplitIntoSeveralClasses() {
        Random random = new Random(5);
        for (int[] shape : new int[][] {{8, 13, 1}, {8, 11, 2}}) { // trees, depth, targets
            TreeEnsemble model = complete(random, ThresholdType.FLOAT, 3, shape[0], shape[1], shape[2]);
            BytecodeTrees backend = BytecodeTrees.compile(model);
            assertTrue(backend.generatedClasses().size() > 1, model + ": classes " + backend.generatedClasses().size());
            assertTrue(backend.largestMethod() < TreeBytecodeGenerator.HUGE_METHOD, "largest method " + backend.largestMethod());
            double[] rows = new double[3 * 500];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i % 11 == 0 ? Double.NaN : random.nextGaussian();
            }
            List<String> d = differences(model.toString(), model, rows, 500);
            assertEquals(List.of(), d, () -> String.join("\n", d));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 4})
    void aSubtreeSharedByManyBranchesIsOneMethodAndScoresAsTheInterpreterDoes(int depth) {
        // a chain of 300 branches whose true children are all one complete subtree (depth 9: too big to copy; depth 4:
        // small enough to copy, but not 300 times), and whose last branch has both children the same node (the PMML
        // reader's unconditional jump: NEQ against NaN)
        Random random = new Random(11);
        TreeEnsemble subtree = complete(random, ThresholdType.DOUBLE, 2, 1, depth, 1);
        int chain = 300;
        int sub = subtree.nodeCount();
        int n = chain + sub;
        int[] feature = new int[n];
        double[] value = new double[n];
        byte[] mode = new byte[n];
        boolean[] missing = new boolean[n];
        int[] trueChild = new int[n];
        int[] weightStart = new int[n];
        int[] weightCount = new int[n];
        for (int i = 0; i < chain; i++) {
            feature[i] = i % 2;
            value[i] = i == chain - 1 ? Double.NaN : i * 0.01 - 1.5;
            mode[i] = (byte) (i == chain - 1 ? NodeMode.BRANCH_NEQ : NodeMode.BRANCH_GT).ordinal();
            missing[i] = i % 3 == 0;
            trueChild[i] = chain;
        }
        double[] weights = new double[sub];
        for (int j = 0; j < sub; j++) {
            int i = chain + j;
            feature[i] = subtree.feature(j);
            value[i] = subtree.value(j);
            mode[i] = (byte) subtree.mode(j).ordinal();
            missing[i] = subtree.missingTracksTrue(j);
            trueChild[i] = subtree.isLeaf(j) ? 0 : chain + subtree.trueChild(j);
            weightStart[i] = j;
            weightCount[i] = subtree.isLeaf(j) ? 1 : 0;
            weights[j] = subtree.value(j);
        }
        TreeEnsemble model = TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.DOUBLE, 2, 1)
                .trees(new int[] {0}, feature, value, mode, missing, trueChild)
                .leafWeights(weightStart, weightCount, new int[sub], weights).build();
        assertNull(BytecodeTrees.declineReason(model));
        BytecodeTrees backend = BytecodeTrees.compile(model);
        assertTrue(backend.methodCount() < 40, "the shared subtree is written once: " + backend.methodCount() + " methods");
        double[] rows = new double[2 * 1_000];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i % 13 == 0 ? Double.NaN : random.nextGaussian();
        }
        List<String> d = differences("shared subtree", model, rows, 1_000);
        assertEquals(List.of(), d, () -> String.join("\n", d));
    }

    @Test
    void theEngineCompilesCoveredModelsAndLeavesTooWideLeavesToTheInterpreter() {
        TreeEnsemble small = stump(ThresholdType.FLOAT, NodeMode.BRANCH_LEQ, 1, false);
        assertInstanceOf(BytecodeTrees.class, TreeEngines.backendFor(small));
        assertEquals("compiled trees (bytecode; 1 trees, 3 nodes)", TreeEngines.compiled(TreeEngines.backendFor(small)));

        int targets = 150; // a leaf of 150 weights does not fit half a method
        int[] weightTarget = new int[targets];
        double[] weightValue = new double[targets];
        for (int k = 0; k < targets; k++) {
            weightTarget[k] = k;
            weightValue[k] = k;
        }
        TreeEnsemble wide = TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.FLOAT, 1, targets)
                .trees(new int[] {0}, new int[1], new double[1], new byte[] {LEAF}, new boolean[1], new int[1])
                .leafWeights(new int[] {0}, new int[] {targets}, weightTarget, weightValue).build();
        assertNotNull(BytecodeTrees.declineReason(wide));
        assertTrue(BytecodeTrees.declineReason(wide).contains("150 weights"), BytecodeTrees.declineReason(wide));
        assertInstanceOf(TreeInterpreter.class, TreeEngines.backendFor(wide));
        assertThrows(IllegalArgumentException.class, () -> BytecodeTrees.compile(wide));
    }

    @Test
    void generatedClassesAreUnloadedOnceTheirBackendIsDropped() {
        TreeEnsemble model = complete(new Random(3), ThresholdType.FLOAT, 2, 20, 5, 1);
        List<WeakReference<Class<?>>> classes = new ArrayList<>();
        float[] out = new float[1];
        for (int i = 0; i < 300; i++) {
            BytecodeTrees backend = BytecodeTrees.compile(model);
            backend.score(new float[] {0.5f, -1f}, 0, out, 0, backend.newWorkspace());
            for (Class<?> c : backend.generatedClasses()) {
                classes.add(new WeakReference<>(c));
            }
        }
        assertEquals(300, classes.size());
        // a bounded number of collections, not a time: a class still held after them is held by something
        for (int gc = 0; gc < 50 && classes.stream().anyMatch(r -> r.get() != null); gc++) {
            System.gc();
        }
        long alive = classes.stream().filter(r -> r.get() != null).count();
        assertEquals(0, alive, "generated classes still loaded after their backends were dropped");
    }

    /** Its thresholds and weights live in the generated code: the node arrays can go once it is compiled. */
    @Test
    void theCompiledBackendKeepsNoReferenceToTheModelsNodes() {
        TreeEnsemble model = complete(new Random(5), ThresholdType.FLOAT, 2, 20, 5, 1);
        float[] row = {0.5f, -1f};
        float[] want = new float[1];
        new TreeInterpreter(model).score(row, 0, want, 0, new TreeInterpreter(model).newWorkspace());
        WeakReference<TreeEnsemble> held = new WeakReference<>(model);
        BytecodeTrees backend = BytecodeTrees.compile(model);
        model = null;
        // a bounded number of collections, not a time: a model still there after them is held by the backend
        for (int gc = 0; gc < 50 && held.get() != null; gc++) {
            System.gc();
        }
        assertNull(held.get(), "the compiled backend still holds its TreeEnsemble");
        float[] got = new float[1];
        backend.score(row, 0, got, 0, backend.newWorkspace());
        assertEquals(want[0], got[0]);
        assertEquals(20, backend.shape().treeCount());
    }

    /** Every difference between the bytecode backend and the interpreter on {@code rows} (row-major doubles). */
    static List<String> differences(String name, TreeEnsemble model, double[] rows, int count) {
        TreeInterpreter reference = new TreeInterpreter(model);
        BytecodeTrees compiled = BytecodeTrees.compile(model);
        int width = reference.outputWidth();
        int features = model.featureCount();
        float[] floatRows = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            floatRows[i] = (float) rows[i];
        }
        List<String> out = new ArrayList<>();
        float[][] want = new float[4][count * width];
        float[][] got = new float[4][count * width];
        long[][] wantLabels = new long[4][count];
        long[][] gotLabels = new long[4][count];
        run(reference, rows, floatRows, count, want, wantLabels);
        run(compiled, rows, floatRows, count, got, gotLabels);
        String[] paths = {"float row", "double row", "float block", "double block"};
        for (int p = 0; p < 4 && out.size() < 10; p++) {
            for (int r = 0; r < count && out.size() < 10; r++) {
                int at = r * width;
                float[] w = Arrays.copyOfRange(want[p], at, at + width);
                float[] g = Arrays.copyOfRange(got[p], at, at + width);
                if (!bitsEqual(w, g) || wantLabels[p][r] != gotLabels[p][r]) {
                    out.add(name + " " + paths[p] + " row " + r + " " + Arrays.toString(Arrays.copyOfRange(rows, r * features,
                            r * features + features)) + ": interpreter " + Arrays.toString(w) + " label " + wantLabels[p][r]
                            + ", bytecode " + Arrays.toString(g) + " label " + gotLabels[p][r]);
                }
            }
        }
        return out;
    }

    private static void run(TreeBackend backend, double[] rows, float[] floatRows, int count, float[][] out, long[][] labels) {
        TreeWorkspace ws = backend.newWorkspace();
        int width = backend.outputWidth();
        int features = backend.shape().featureCount();
        for (int r = 0; r < count; r++) {
            labels[0][r] = backend.score(floatRows, r * features, out[0], r * width, ws);
            labels[1][r] = backend.score(rows, r * features, out[1], r * width, ws);
        }
        backend.scoreBlock(floatRows, count, out[2], labels[2], ws);
        backend.scoreBlock(rows, count, out[3], labels[3], ws);
    }

    private static boolean bitsEqual(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** One stump on feature 0: the true leaf weighs 10, the false leaf 20. */
    private static TreeEnsemble stump(ThresholdType type, NodeMode mode, double threshold, boolean missingTrue) {
        return TreeEnsemble.builder(Kind.REGRESSOR, type, 1, 1)
                .trees(new int[] {0}, new int[3], new double[] {threshold, 20, 10}, new byte[] {(byte) mode.ordinal(), LEAF, LEAF},
                        new boolean[] {missingTrue, false, false}, new int[] {2, 0, 0})
                .leafWeights(new int[] {0, 0, 1}, new int[] {0, 1, 1}, new int[] {0, 0}, new double[] {20, 10})
                .build();
    }

    /**
     * One tree of {@code branches} branches in a chain on feature 0, thresholds 0, 6, 12, ...: down the false side
     * (x > threshold goes on) or down the true side (each false child a leaf); every other node sends NaN to its true
     * child.
     */
    private static TreeEnsemble chain(ThresholdType type, int branches, boolean falseSide) {
        int n = 2 * branches + 1;
        int[] feature = new int[n];
        double[] value = new double[n];
        byte[] mode = new byte[n];
        boolean[] missing = new boolean[n];
        int[] trueChild = new int[n];
        int[] weightStart = new int[n];
        int[] weightCount = new int[n];
        List<Double> weights = new ArrayList<>();
        for (int b = 0; b < branches; b++) {
            int node = falseSide ? b : 2 * b;
            mode[node] = (byte) (b % 3 == 0 ? NodeMode.BRANCH_LT : NodeMode.BRANCH_LEQ).ordinal();
            value[node] = b * 6.0;
            missing[node] = b % 2 == 0;
            trueChild[node] = falseSide ? n - 1 - b : node + 2;
        }
        for (int i = 0; i < n; i++) {
            if (falseSide ? i >= branches : i % 2 == 1 || i == n - 1) {
                double w = type == ThresholdType.FLOAT ? (double) (float) (i * 0.37) : i * 0.37;
                value[i] = w;
                weightStart[i] = weights.size();
                weightCount[i] = 1;
                weights.add(w);
            }
        }
        return TreeEnsemble.builder(Kind.REGRESSOR, type, 1, 1)
                .trees(new int[] {0}, feature, value, mode, missing, trueChild)
                .leafWeights(weightStart, weightCount, new int[weights.size()], weights.stream().mapToDouble(Double::doubleValue).toArray())
                .build();
    }

    /** {@code trees} complete trees of the given depth over random features and thresholds, {@code targets} targets. */
    private static TreeEnsemble complete(Random random, ThresholdType type, int features, int trees, int depth, int targets) {
        int perTree = (1 << (depth + 1)) - 1;
        int n = perTree * trees;
        int[] treeStart = new int[trees];
        int[] feature = new int[n];
        double[] value = new double[n];
        byte[] mode = new byte[n];
        boolean[] missing = new boolean[n];
        int[] trueChild = new int[n];
        int[] weightStart = new int[n];
        int[] weightCount = new int[n];
        List<Integer> weightTarget = new ArrayList<>();
        List<Double> weightValue = new ArrayList<>();
        int[] next = {0};
        for (int t = 0; t < trees; t++) {
            treeStart[t] = next[0];
            fill(random, type, features, depth, targets, next, feature, value, mode, missing, trueChild, weightStart, weightCount,
                    weightTarget, weightValue);
        }
        TreeEnsemble.Builder b = TreeEnsemble.builder(Kind.REGRESSOR, type, features, targets)
                .trees(treeStart, feature, value, mode, missing, trueChild)
                .leafWeights(weightStart, weightCount, weightTarget.stream().mapToInt(Integer::intValue).toArray(),
                        weightValue.stream().mapToDouble(Double::doubleValue).toArray());
        return b.build();
    }

    private static void fill(Random random, ThresholdType type, int features, int depth, int targets, int[] next, int[] feature,
                             double[] value, byte[] mode, boolean[] missing, int[] trueChild, int[] weightStart, int[] weightCount,
                             List<Integer> weightTarget, List<Double> weightValue) {
        int node = next[0]++;
        if (depth == 0) {
            weightStart[node] = weightValue.size();
            for (int k = 0; k < targets; k++) {
                double w = random.nextGaussian();
                w = type == ThresholdType.FLOAT ? (double) (float) w : w;
                weightTarget.add(k);
                weightValue.add(w);
                value[node] = w;
            }
            weightCount[node] = targets;
            return;
        }
        feature[node] = random.nextInt(features);
        double threshold = random.nextGaussian();
        value[node] = type == ThresholdType.FLOAT ? (double) (float) threshold : threshold;
        mode[node] = (byte) NodeMode.BRANCH_LEQ.ordinal();
        missing[node] = random.nextBoolean();
        fill(random, type, features, depth - 1, targets, next, feature, value, mode, missing, trueChild, weightStart, weightCount,
                weightTarget, weightValue);
        trueChild[node] = next[0];
        fill(random, type, features, depth - 1, targets, next, feature, value, mode, missing, trueChild, weightStart, weightCount,
                weightTarget, weightValue);
    }
}

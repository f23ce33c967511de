package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;

/**
 * Evaluates a {@link TreeEnsemble} by walking its flat arrays, with ONNX Runtime's semantics to the bit: the
 * reference backend, and the fallback of any faster one.
 *
 * <pre>{@code
 * TreeInterpreter engine = new TreeInterpreter(model);
 * TreeWorkspace ws = engine.newWorkspace();                 // one per thread
 * float[] out = new float[engine.outputWidth()];
 * long label = engine.score(row, 0, out, 0, ws);             // scores (or probabilities) in out
 * engine.scoreBlock(rows, rowCount, outs, labels, ws);       // trees walked over blocks of rows
 * }</pre>
 *
 * <h2>Semantics (ONNX Runtime 1.28, {@code tree_ensemble_common.h}, {@code tree_ensemble_aggregator.h})</h2>
 * <ul>
 *   <li>A FLOAT model reads each feature as a float (a {@code double[]} row is narrowed, as a float tensor
 *       would be) and compares it with the float threshold; a DOUBLE model compares in double.</li>
 *   <li>A branch is taken when {@code x OP threshold} holds, or when {@code x} is NaN and the node's
 *       {@code missing_value_tracks_true} is set; NaN fails every comparison but {@code NEQ}.</li>
 *   <li>Leaf weights are summed in the threshold type, tree by tree in model order, from {@code +0}; AVERAGE
 *       divides by the tree count; base values are added after; the result is rounded to float.</li>
 *   <li>A single-target regressor applies only PROBIT (ONNX Runtime ignores the other transforms there).</li>
 *   <li>Several targets: a target no leaf reached scores 0, whatever its base value; the transform then runs on
 *       the float scores.</li>
 *   <li>Classifiers: the highest score wins (first on ties); two classes follow ONNX Runtime's binary rules.
 *       With one weight column (ONNX Runtime's binary case) the label is the second class above 0.5 (weights all
 *       positive) or above 0 (mixed signs), and the probabilities are {@code (1 - s, s)} or {@code (-s, s)}, or
 *       {@code (logistic(-s), logistic(s))} under LOGISTIC whatever the signs (so ONNX Runtime 1.28 behaves,
 *       measured by the random parity tests; older sources show {@code 1 - s} there).</li>
 * </ul>
 * These match ONNX Runtime run with one intra-op thread (Handoff's default). With several threads ONNX Runtime
 * adds partial sums per thread for models over 80 trees, and its answer then depends on the thread count.
 *
 * <p>Instances hold only the model's arrays: thread-safe. A {@link TreeWorkspace} holds per-call scratch: one per
 * thread. Nothing is allocated per row.
 */
public final class TreeInterpreter implements TreeBackend {
    /** Rows per block in {@link #scoreBlock}: each tree is walked over this many rows before the next tree. */
    public static final int BLOCK_ROWS = 128;

    private static final byte LEAF = 0;
    private static final byte LEQ = 1;
    private static final byte LT = 2;
    private static final byte GTE = 3;
    private static final byte GT = 4;
    private static final byte EQ = 5;

    private final TreeEnsemble model;
    private final boolean floats;
    private final int featureCount;
    private final int targets;
    private final int[] roots;
    private final int[] feature;
    private final double[] value;
    private final byte[] mode;
    private final boolean[] missing;
    private final int[] trueChild;
    private final int[] weightStart;
    private final int[] weightCount;
    private final int[] weightTarget;
    private final double[] weightValue;
    /** 0 when every branch has mode LEQ, 1 when every branch has mode LT, -1 otherwise. */
    private final int sameMode;
    private final ScoreFinisher finisher;

    public TreeInterpreter(TreeEnsemble model) {
        this.model = model;
        this.floats = model.thresholdType() == ThresholdType.FLOAT;
        this.featureCount = model.featureCount();
        this.targets = model.targetCount();
        this.roots = model.treeStartArray();
        this.feature = model.featureArray();
        this.value = model.valueArray();
        this.mode = model.modeArray();
        this.missing = model.missingArray();
        this.trueChild = model.trueChildArray();
        this.weightStart = model.weightStartArray();
        this.weightCount = model.weightCountArray();
        this.weightTarget = model.weightTargetArray();
        this.weightValue = model.weightValueArray();
        this.finisher = new ScoreFinisher(model.shape());
        int same = -2;
        for (byte m : mode) {
            if (m == LEAF) {
                continue;
            }
            int k = m == LEQ ? 0 : m == LT ? 1 : -1;
            same = same == -2 ? k : same == k ? same : -1;
        }
        this.sameMode = same == -2 ? 0 : same;
    }

    @Override
    public String name() {
        return "interpreter";
    }

    /** The model this interpreter walks. */
    public TreeEnsemble model() {
        return model;
    }

    @Override
    public TreeShape shape() {
        return finisher.shape();
    }

    /** Scores per row: one per regression target, or one probability per class. */
    @Override
    public int outputWidth() {
        return targets;
    }

    /** Scratch for one thread's calls; reuse it, never share it. */
    @Override
    public TreeWorkspace newWorkspace() {
        return new TreeWorkspace(targets);
    }

    /**
     * Scores one row.
     *
     * @param row the features at {@code row[rowOffset .. rowOffset + featureCount)}; NaN is missing
     * @param out receives {@link #outputWidth()} floats at {@code outOffset}: the scores, or class probabilities
     * @return the label code of a classifier ({@link TreeEnsemble#label(long)}); 0 for a regressor
     */
    @Override
    public long score(float[] row, int rowOffset, float[] out, int outOffset, TreeWorkspace ws) {
        checkRow(row.length, rowOffset, 1);
        if (targets == 1) {
            return finishSingle(floats ? sumFloat(row, rowOffset) : sumDouble(row, rowOffset), out, outOffset);
        }
        clear(ws, 0);
        for (int t = 0; t < roots.length; t++) {
            addLeaf(leaf(roots[t], row, rowOffset), ws, 0);
        }
        return finish(ws, 0, out, outOffset);
    }

    /** {@link #score(float[], int, float[], int, TreeWorkspace)} for a row of doubles (narrowed to float for a FLOAT model). */
    @Override
    public long score(double[] row, int rowOffset, float[] out, int outOffset, TreeWorkspace ws) {
        checkRow(row.length, rowOffset, 1);
        if (targets == 1) {
            double s;
            if (floats) {
                float acc = 0f;
                for (int t = 0; t < roots.length; t++) {
                    acc += (float) value[leaf(roots[t], row, rowOffset)];
                }
                s = acc;
            } else {
                double acc = 0d;
                for (int t = 0; t < roots.length; t++) {
                    acc += value[leaf(roots[t], row, rowOffset)];
                }
                s = acc;
            }
            return finishSingle(s, out, outOffset);
        }
        clear(ws, 0);
        for (int t = 0; t < roots.length; t++) {
            addLeaf(leaf(roots[t], row, rowOffset), ws, 0);
        }
        return finish(ws, 0, out, outOffset);
    }

    @Override
    public void sums(double[] row, int rowOffset, double[] sums, int sumsOffset, TreeWorkspace ws) {
        checkRow(row.length, rowOffset, 1);
        BytecodeTrees.checkRegressor(model.kind());
        if (targets == 1) {
            if (floats) {
                float acc = 0f;
                for (int t = 0; t < roots.length; t++) {
                    acc += (float) value[leaf(roots[t], row, rowOffset)];
                }
                sums[sumsOffset] = acc;
            } else {
                double acc = 0d;
                for (int t = 0; t < roots.length; t++) {
                    acc += value[leaf(roots[t], row, rowOffset)];
                }
                sums[sumsOffset] = acc;
            }
            return;
        }
        clear(ws, 0);
        for (int t = 0; t < roots.length; t++) {
            addLeaf(leaf(roots[t], row, rowOffset), ws, 0);
        }
        System.arraycopy(ws.scores, 0, sums, sumsOffset, targets);
    }

    /**
     * Scores {@code rowCount} rows laid out one after another ({@code featureCount} values each), walking each tree
     * over a block of {@link #BLOCK_ROWS} rows before the next tree. Same answers as {@link #score} row by row.
     *
     * @param out receives {@code rowCount * outputWidth()} floats
     * @param labels receives the label codes of a classifier; may be null for a regressor
     */
    @Override
    public void scoreBlock(float[] rows, int rowCount, float[] out, long[] labels, TreeWorkspace ws) {
        checkRow(rows.length, 0, rowCount);
        if (targets == 1 && floats) {
            scoreBlockSingleFloat(rows, rowCount, out, labels, ws);
            return;
        }
        ws.fitRows(rowCount);
        for (int b = 0; b < rowCount; b += BLOCK_ROWS) {
            int end = Math.min(rowCount, b + BLOCK_ROWS);
            for (int r = b; r < end; r++) {
                clear(ws, r - b);
            }
            for (int t = 0; t < roots.length; t++) {
                int root = roots[t];
                for (int r = b; r < end; r++) {
                    addLeaf(leaf(root, rows, r * featureCount), ws, r - b);
                }
            }
            finishBlock(b, end, out, labels, ws);
        }
    }

    /** {@link #scoreBlock(float[], int, float[], long[], TreeWorkspace)} for rows of doubles. */
    @Override
    public void scoreBlock(double[] rows, int rowCount, float[] out, long[] labels, TreeWorkspace ws) {
        checkRow(rows.length, 0, rowCount);
        ws.fitRows(rowCount);
        for (int b = 0; b < rowCount; b += BLOCK_ROWS) {
            int end = Math.min(rowCount, b + BLOCK_ROWS);
            for (int r = b; r < end; r++) {
                clear(ws, r - b);
            }
            for (int t = 0; t < roots.length; t++) {
                int root = roots[t];
                for (int r = b; r < end; r++) {
                    addLeaf(leaf(root, rows, r * featureCount), ws, r - b);
                }
            }
            finishBlock(b, end, out, labels, ws);
        }
    }

    /** The common case (one target, float thresholds): float sums per row of the block, as {@link #sumFloat} does. */
    private void scoreBlockSingleFloat(float[] rows, int rowCount, float[] out, long[] labels, TreeWorkspace ws) {
        float[] acc = ws.floats(rowCount);
        for (int b = 0; b < rowCount; b += BLOCK_ROWS) {
            int n = Math.min(rowCount, b + BLOCK_ROWS) - b;
            java.util.Arrays.fill(acc, 0, n, 0f);
            for (int t = 0; t < roots.length; t++) {
                int root = roots[t];
                for (int r = 0; r < n; r++) {
                    acc[r] += (float) value[leaf(root, rows, (b + r) * featureCount)];
                }
            }
            for (int r = 0; r < n; r++) {
                finishSingle(acc[r], out, b + r);
                if (labels != null) {
                    labels[b + r] = 0L;
                }
            }
        }
    }

    private void finishBlock(int b, int end, float[] out, long[] labels, TreeWorkspace ws) {
        for (int r = b; r < end; r++) {
            long label;
            if (targets == 1) {
                label = finishSingle(ws.scores[r - b], out, r);
            } else {
                label = finish(ws, r - b, out, r * targets);
            }
            if (labels != null) {
                labels[r] = label;
            }
        }
    }

    private void checkRow(int length, int offset, int rows) {
        if (offset < 0 || (long) offset + (long) rows * featureCount > length) {
            throw new IllegalArgumentException("rows of " + featureCount + " features from offset " + offset + " (" + rows
                    + " rows) do not fit in an array of " + length);
        }
    }

    private float sumFloat(float[] row, int off) {
        float acc = 0f;
        for (int t = 0; t < roots.length; t++) {
            acc += (float) value[leaf(roots[t], row, off)];
        }
        return acc;
    }

    private double sumDouble(float[] row, int off) {
        double acc = 0d;
        for (int t = 0; t < roots.length; t++) {
            acc += value[leaf(roots[t], row, off)];
        }
        return acc;
    }

    /** The leaf a row reaches from {@code node}. */
    private int leaf(int node, float[] x, int off) {
        if (sameMode == 0) {
            while (mode[node] != LEAF) {
                float v = x[off + feature[node]];
                node = v <= value[node] || (missing[node] && v != v) ? trueChild[node] : node + 1;
            }
            return node;
        }
        if (sameMode == 1) {
            while (mode[node] != LEAF) {
                float v = x[off + feature[node]];
                node = v < value[node] || (missing[node] && v != v) ? trueChild[node] : node + 1;
            }
            return node;
        }
        while (true) {
            byte m = mode[node];
            if (m == LEAF) {
                return node;
            }
            float v = x[off + feature[node]];
            node = compare(m, v, value[node]) || (missing[node] && v != v) ? trueChild[node] : node + 1;
        }
    }

    private int leaf(int node, double[] x, int off) {
        while (true) {
            byte m = mode[node];
            if (m == LEAF) {
                return node;
            }
            double v = floats ? (float) x[off + feature[node]] : x[off + feature[node]];
            node = compare(m, v, value[node]) || (missing[node] && v != v) ? trueChild[node] : node + 1;
        }
    }

    private static boolean compare(byte m, double v, double threshold) {
        switch (m) {
            case LEQ:
                return v <= threshold;
            case LT:
                return v < threshold;
            case GTE:
                return v >= threshold;
            case GT:
                return v > threshold;
            case EQ:
                return v == threshold;
            default:
                return v != threshold;
        }
    }

    private void clear(TreeWorkspace ws, int slot) {
        int from = slot * ws.targets;
        for (int k = from; k < from + ws.targets; k++) {
            ws.scores[k] = 0d;
            ws.has[k] = false;
        }
    }

    /** Adds a leaf's weights: its single weight for one target, else each (target, weight) pair in order. */
    private void addLeaf(int leaf, TreeWorkspace ws, int slot) {
        int from = slot * targets;
        if (targets == 1) {
            ws.scores[from] = round(ws.scores[from] + value[leaf]);
            return;
        }
        int w = weightStart[leaf];
        int end = w + weightCount[leaf];
        for (; w < end; w++) {
            int k = from + weightTarget[w];
            ws.scores[k] = round(ws.scores[k] + weightValue[w]);
            ws.has[k] = true;
        }
    }

    private double round(double x) {
        return floats ? (double) (float) x : x;
    }

    private long finishSingle(double sum, float[] out, int outOffset) {
        return finisher.finishSingle(sum, out, outOffset);
    }

    private long finish(TreeWorkspace ws, int slot, float[] out, int outOffset) {
        return finisher.finish(ws.scores, ws.has, slot * targets, out, outOffset);
    }
}

package dev.handoff.internal.tree;

import dev.handoff.internal.ScratchPool;

/**
 * Per-thread scratch of a {@link TreeBackend}: the running scores of the rows in hand, their has-score flags and a
 * float buffer. One per thread; reuse it across calls, never share it.
 *
 * <pre>{@code
 * TreeWorkspace ws = backend.newWorkspace();     // e.g. in a ThreadLocal
 * backend.score(row, 0, out, 0, ws);
 * }</pre>
 *
 * <p>It starts with room for one row and grows, up to {@link TreeInterpreter#BLOCK_ROWS}, when a block of rows is
 * scored: a service scoring single rows keeps one row's scores per thread, not a block's (a model with a slot per
 * tree would hold 100 KiB per thread for nothing). Its arrays are padded ({@link ScratchPool#PAD_BYTES}) so that two
 * threads' small workspaces never share a cache line.
 */
public final class TreeWorkspace {
    final int targets;
    /** Rows the scores and flags have room for. */
    int rows;
    double[] scores;
    boolean[] has;
    float[] floats;

    TreeWorkspace(int targets) {
        this.targets = targets;
        this.rows = 1;
        this.scores = ScratchPool.doubles(targets);
        this.has = ScratchPool.booleans(targets);
        this.floats = new float[0];
    }

    /** Room for the scores of {@code count} rows (capped at a block). */
    void fitRows(int count) {
        int n = Math.min(Math.max(count, 1), TreeInterpreter.BLOCK_ROWS);
        if (n > rows) {
            rows = n;
            scores = ScratchPool.doubles(targets * n);
            has = ScratchPool.booleans(targets * n);
        }
    }

    /** A float buffer of at least {@code count} values (capped at a block). */
    float[] floats(int count) {
        int n = Math.min(Math.max(count, 1), TreeInterpreter.BLOCK_ROWS);
        if (floats.length < n) {
            floats = ScratchPool.floats(n);
        }
        return floats;
    }

    /** {@link BytecodeTrees}: a row converted to its model's threshold type (its code reads one array type); grown on first use. */
    float[] rowFloats = new float[0];
    double[] rowDoubles = new double[0];
}

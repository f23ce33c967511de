package dev.handoff.internal.tree;

/**
 * Per-thread scratch of a {@link TreeBackend}: a block's running scores, their has-score flags and a float
 * buffer. One per thread; reuse it across calls, never share it.
 *
 * <pre>{@code
 * TreeWorkspace ws = backend.newWorkspace();     // e.g. in a ThreadLocal
 * backend.score(row, 0, out, 0, ws);
 * }</pre>
 */
public final class TreeWorkspace {
    final double[] scores;
    final boolean[] has;
    final float[] floats;
    final int targets;

    TreeWorkspace(int targets) {
        this.targets = targets;
        this.scores = new double[targets * TreeInterpreter.BLOCK_ROWS];
        this.has = new boolean[targets * TreeInterpreter.BLOCK_ROWS];
        this.floats = new float[Math.max(targets, TreeInterpreter.BLOCK_ROWS)];
    }

    /** {@link BytecodeTrees}: a row converted to its model's threshold type (its code reads one array type); grown on first use. */
    float[] rowFloats = new float[0];
    double[] rowDoubles = new double[0];
}

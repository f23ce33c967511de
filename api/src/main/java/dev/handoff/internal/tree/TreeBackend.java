package dev.handoff.internal.tree;

/**
 * One way of evaluating a {@link TreeEnsemble}: the flat-array {@link TreeInterpreter} (the reference), or a
 * faster backend that must give the same bits on every row. Thread-safe; per-thread scratch lives in a
 * {@link TreeWorkspace}.
 *
 * <pre>{@code
 * TreeBackend backend = new TreeInterpreter(model);
 * TreeWorkspace ws = backend.newWorkspace();             // one per thread
 * float[] out = new float[backend.outputWidth()];
 * long label = backend.score(row, 0, out, 0, ws);        // scores or probabilities in out
 * }</pre>
 */
public interface TreeBackend {

    /** A short name for logs and {@code inspect}: {@code "interpreter"}, {@code "bytecode"}. */
    String name();

    /** The model this backend evaluates, without its nodes (a compiled backend keeps no node arrays). */
    TreeShape shape();

    /** Scores per row: one per regression target, or one probability per class. */
    int outputWidth();

    /** Scratch for one thread's calls. */
    TreeWorkspace newWorkspace();

    /**
     * Scores one row.
     *
     * @param row the features at {@code row[rowOffset .. rowOffset + featureCount)}; NaN is missing
     * @param out receives {@link #outputWidth()} floats at {@code outOffset}: the scores, or class probabilities
     * @return the label code of a classifier ({@link TreeEnsemble#label(long)}); 0 for a regressor
     */
    long score(float[] row, int rowOffset, float[] out, int outOffset, TreeWorkspace ws);

    /** {@link #score(float[], int, float[], int, TreeWorkspace)} for a row of doubles (narrowed to float for a FLOAT model). */
    long score(double[] row, int rowOffset, float[] out, int outOffset, TreeWorkspace ws);

    /**
     * Scores {@code rowCount} rows laid out one after another ({@code featureCount} values each); same answers as
     * {@link #score} row by row.
     *
     * @param out receives {@code rowCount * outputWidth()} floats
     * @param labels receives the label codes of a classifier; may be null for a regressor
     */
    void scoreBlock(float[] rows, int rowCount, float[] out, long[] labels, TreeWorkspace ws);

    /** {@link #scoreBlock(float[], int, float[], long[], TreeWorkspace)} for rows of doubles. */
    void scoreBlock(double[] rows, int rowCount, float[] out, long[] labels, TreeWorkspace ws);

    /**
     * A regressor's running sums of one row as they stand before they are finished (no average, base value or
     * post-transform, no rounding to the float outputs): per target, its leaves' weights added in tree order from
     * zero, in the threshold type ({@code double}, or each step rounded to {@code float}); 0 for a target no leaf
     * reached. A NaN weight makes its target's sum NaN. What a caller that finishes the sums itself reads (PMML's
     * heads, which need the double sums that {@link #score}'s float outputs would round).
     *
     * @param row the features at {@code row[rowOffset .. rowOffset + featureCount)} (narrowed to float for a FLOAT model)
     * @param sums receives {@link #outputWidth()} sums at {@code sumsOffset}
     * @throws UnsupportedOperationException for a classifier
     */
    void sums(double[] row, int rowOffset, double[] sums, int sumsOffset, TreeWorkspace ws);
}

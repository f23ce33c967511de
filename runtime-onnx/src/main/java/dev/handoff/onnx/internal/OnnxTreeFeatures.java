package dev.handoff.onnx.internal;

import dev.handoff.spi.InputColumns;

/**
 * Computes the rows a tree-ensemble node reads from the bound input columns, exactly as ONNX Runtime computes the
 * tensor that feeds the node: the graph input itself ({@link DirectTreeFeatures}), or the preprocessing operators a
 * converter wrote before the trees. Thread-safe; per-thread scratch comes from {@link #newScratch()}.
 *
 * <pre>{@code
 * OnnxTreeFeatures features = coverage.features().bind(encoder);
 * Object scratch = features.newScratch();                     // one per thread
 * features.fill(columns, row, featureRow, 0, scratch);        // featureCount() floats
 * }</pre>
 */
interface OnnxTreeFeatures {

    /** The number of values per row, the tree ensemble's feature count. */
    int featureCount();

    /** Scratch for one thread's calls (may be null when none is needed). */
    Object newScratch();

    /** Writes row {@code row}'s features at {@code dest[offset .. offset + featureCount())}, as a float tensor holds them. */
    void fill(InputColumns columns, int row, float[] dest, int offset, Object scratch);

    /** Writes row {@code row}'s features as a double tensor holds them (for a tree ensemble over a double input). */
    void fill(InputColumns columns, int row, double[] dest, int offset, Object scratch);

    /** What the tree engine needs from a covered graph before the input columns are planned: binds to them at load. */
    @FunctionalInterface
    interface Plan {
        /**
         * @param encoder how the model's inputs are bound (field indexes of each graph input)
         * @throws IllegalArgumentException when the planned inputs do not match what the graph reader saw
         */
        OnnxTreeFeatures bind(OnnxInputEncoder encoder);
    }
}

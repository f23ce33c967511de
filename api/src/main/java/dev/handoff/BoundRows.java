package dev.handoff;

import dev.handoff.spi.InputColumns;

/**
 * The rows of one call after binding: the columns of the rows that bound cleanly (what the runtime
 * scores) and, for each original row that did not, its {@link InvalidInputException}.
 *
 * @param columns the good rows, in their original order
 * @param rowCount the number of rows the caller gave
 * @param failures per original row the binding failure, or {@code null} when every row bound
 * @param sourceRows per row of {@code columns} its original row, or {@code null} when they are the same
 */
record BoundRows(InputColumns columns, int rowCount, InvalidInputException[] failures, int[] sourceRows) {

    /** The original row of row {@code scored} of {@link #columns()}. */
    int sourceRow(int scored) {
        return sourceRows == null ? scored : sourceRows[scored];
    }
}

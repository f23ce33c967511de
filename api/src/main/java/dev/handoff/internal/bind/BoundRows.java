package dev.handoff.internal.bind;

import dev.handoff.InvalidInputException;
import dev.handoff.spi.InputColumns;

/**
 * The rows of one call after binding: the columns of the rows that bound cleanly (what the runtime
 * scores), for each of the caller's rows that did not its {@link InvalidInputException}, and what
 * binding found in the rows. Read by the later stages, never written.
 *
 * @param columns the good rows, in their original order
 * @param rowCount the number of rows the caller gave
 * @param failures per caller's row the binding failure, or {@code null} when every row bound
 * @param sourceRows per row of {@code columns} the caller's row, or {@code null} when they are the same
 * @param findings per caller's row its missing values (and, for stats, out-of-range numbers and unseen categories)
 */
public record BoundRows(InputColumns columns, int rowCount, InvalidInputException[] failures, int[] sourceRows,
                        InputFindings findings) {

    /** The caller's row of row {@code scored} of {@link #columns()}. */
    public int sourceRow(int scored) {
        return sourceRows == null ? scored : sourceRows[scored];
    }

    /** The binding failure of the caller's row {@code row}, or {@code null}. */
    public InvalidInputException failure(int row) {
        return failures == null ? null : failures[row];
    }
}

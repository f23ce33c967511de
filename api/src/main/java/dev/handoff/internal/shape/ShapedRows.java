package dev.handoff.internal.shape;

import dev.handoff.InvalidInputException;
import dev.handoff.ScorerStats.RowFailureKind;

import java.util.function.IntFunction;

/**
 * Every row's outcome of one call, as {@link dev.handoff.Predictions} reads it: per caller's row a
 * prediction (labels, probabilities, values, named outputs) or a failure with its kind. The binding
 * failures are the binder's array, read and never written; the model's failures are this stage's own.
 *
 * @param size the caller's rows
 * @param labels per row its label, or {@code null} when the model gives none
 * @param probabilities row-major, or {@code null}
 * @param values per row its value, or {@code null}
 * @param outputs per output (in {@link OutputSchema#outputs()} order) the reader of its column; {@code null} when no row was scored
 * @param scoredRow per row its index in the runtime's output columns, -1 for a failed row; {@code null} when they are the same
 * @param bindFailures per row its binding failure, or {@code null}
 * @param modelFailures per row the failure the model gave it (rejected, or no prediction), or {@code null}
 * @param modelFailureKinds the kind of each of {@code modelFailures}, or {@code null}
 */
public record ShapedRows(OutputSchema schema, int size, String[] labels, double[] probabilities, double[] values,
                         IntFunction<Object>[] outputs, int[] scoredRow, InvalidInputException[] bindFailures,
                         InvalidInputException[] modelFailures, RowFailureKind[] modelFailureKinds) {

    /** Row {@code row}'s failure, or {@code null} when it was scored. */
    public InvalidInputException failure(int row) {
        if (bindFailures != null && bindFailures[row] != null) {
            return bindFailures[row];
        }
        return modelFailures == null ? null : modelFailures[row];
    }

    /** Why row {@code row} failed, or {@code null} when it was scored. */
    public RowFailureKind failureKind(int row) {
        if (bindFailures != null && bindFailures[row] != null) {
            return RowFailureKind.INVALID_INPUT;
        }
        return modelFailures == null || modelFailures[row] == null ? null : modelFailureKinds[row];
    }

    public boolean hasFailures() {
        return bindFailures != null || modelFailures != null;
    }

    /** Row {@code row}'s index in the runtime's output columns, or -1 when it failed. */
    public int scoredRow(int row) {
        return scoredRow == null ? row : scoredRow[row];
    }
}

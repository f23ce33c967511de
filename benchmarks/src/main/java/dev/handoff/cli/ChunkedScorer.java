package dev.handoff.cli;

import dev.handoff.InvalidInputException;
import dev.handoff.Prediction;
import dev.handoff.Scorer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores many records in chunks of {@value #CHUNK_ROWS} (one model call each); a bad record fails
 * alone, with its message, and every record keeps its place. A failure names the record's row in the
 * whole list, not in its chunk.
 */
final class ChunkedScorer {
    static final int CHUNK_ROWS = 256;

    private ChunkedScorer() {
    }

    /** One result per record, in record order. */
    static List<RowResult> scoreAll(Scorer scorer, List<? extends Map<String, ?>> records) {
        List<RowResult> results = new ArrayList<>(records.size());
        for (int from = 0; from < records.size(); from += CHUNK_ROWS) {
            List<? extends Map<String, ?>> chunk = records.subList(from, Math.min(records.size(), from + CHUNK_ROWS));
            for (Prediction p : scorer.scoreAll(chunk)) {
                results.add(p.failed() ? RowResult.failed(inList(p.failure().orElseThrow(), from).getMessage()) : RowResult.scored(p));
            }
        }
        return results;
    }

    /** The failure of a chunk's row, placed at its row in the whole list (the chunk starts at {@code chunkStart}). */
    private static InvalidInputException inList(InvalidInputException failure, int chunkStart) {
        return failure.atRow(chunkStart + failure.row());
    }
}

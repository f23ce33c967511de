package dev.handoff.benchmarks;

import dev.handoff.Prediction;
import dev.handoff.Scorer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores many records in chunks of {@value #CHUNK_ROWS} (one model call each); a bad record fails
 * alone, with its message, and every record keeps its place.
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
                results.add(p.failed() ? RowResult.failed(p.failure().orElseThrow().getMessage()) : RowResult.scored(p));
            }
        }
        return results;
    }
}

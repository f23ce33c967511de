package dev.handoff.benchmarks;

import dev.handoff.InvalidInputException;
import dev.handoff.Predictions;
import dev.handoff.Scorer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores many records in chunks of {@value #CHUNK_ROWS} (one model call each), and scores a chunk
 * that holds a bad record again one record at a time, so that only the bad records fail and every
 * record keeps its place.
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
            try {
                Predictions predictions = scorer.scoreAll(chunk);
                predictions.forEach(p -> results.add(RowResult.scored(p)));
            } catch (InvalidInputException badRecordInChunk) {
                for (Map<String, ?> record : chunk) {
                    results.add(scoreOne(scorer, record));
                }
            }
        }
        return results;
    }

    private static RowResult scoreOne(Scorer scorer, Map<String, ?> record) {
        try {
            return RowResult.scored(scorer.score(record));
        } catch (InvalidInputException e) {
            return RowResult.failed(e.getMessage());
        }
    }
}

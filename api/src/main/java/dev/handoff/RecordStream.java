package dev.handoff;

import dev.handoff.internal.shape.ShapedRows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Scores a stream of records in chunks of {@link #CHUNK_ROWS}, one model call per chunk, so that memory
 * stays constant whatever the stream's length: the one place records are chunked, for
 * {@link Scorer#score(Stream)} and {@link Verification} (and through them the command line). A failed
 * record's exception carries its index in the stream, not in its chunk.
 */
final class RecordStream extends Spliterators.AbstractSpliterator<Prediction> {
    /** Records per model call: large enough that the call's fixed cost is spread, small enough to stay in cache. */
    static final int CHUNK_ROWS = 1024;

    private final Function<? super List<Map<String, ?>>, Predictions> scoreAll;
    private final Iterator<? extends Map<String, ?>> records;
    private final int chunkRows;
    private Predictions chunk;
    private int next;
    private long offset;

    /** @param scoreAll one model call for a chunk of records, outcome {@code i} for record {@code i} */
    RecordStream(Function<? super List<Map<String, ?>>, Predictions> scoreAll, Iterator<? extends Map<String, ?>> records,
                 int chunkRows) {
        super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
        this.scoreAll = scoreAll;
        this.records = records;
        this.chunkRows = chunkRows;
    }

    /** The outcomes of {@code records}, scored lazily in chunks of {@link #CHUNK_ROWS} through {@code scoreAll}. */
    static Stream<Prediction> outcomes(Function<? super List<Map<String, ?>>, Predictions> scoreAll,
                                       Iterator<? extends Map<String, ?>> records) {
        return StreamSupport.stream(new RecordStream(scoreAll, records, CHUNK_ROWS), false);
    }

    /**
     * The next at most {@code chunkRows} records of {@code records}: the one place records are cut into model
     * calls ({@link ModelComparison} cuts its two models' calls here too).
     */
    static List<Map<String, ?>> nextChunk(Iterator<? extends Map<String, ?>> records, int chunkRows) {
        List<Map<String, ?>> rows = new ArrayList<>(chunkRows);
        while (rows.size() < chunkRows && records.hasNext()) {
            rows.add(records.next());
        }
        return rows;
    }

    @Override
    public boolean tryAdvance(Consumer<? super Prediction> action) {
        if (chunk == null || next == chunk.size()) {
            if (!records.hasNext()) {
                return false;
            }
            List<Map<String, ?>> rows = nextChunk(records, chunkRows);
            if (chunk != null) {
                offset += chunk.size();
            }
            chunk = fromRow(scoreAll.apply(rows), offset);
            next = 0;
        }
        action.accept(chunk.get(next++));
        return true;
    }

    /** The predictions of one chunk, with each failure's row made the record's index in the stream. */
    private static Predictions fromRow(Predictions chunk, long offset) {
        if (offset == 0 || !chunk.hasFailures()) {
            return chunk;
        }
        ShapedRows rows = chunk.shapedRows();
        InvalidInputException[] bind = shifted(rows.bindFailures(), offset);
        InvalidInputException[] model = shifted(rows.modelFailures(), offset);
        return new Predictions(new ShapedRows(rows.schema(), rows.size(), rows.labels(), rows.probabilities(), rows.values(),
                rows.outputs(), rows.scoredRow(), bind, model, rows.modelFailureKinds()));
    }

    private static InvalidInputException[] shifted(InvalidInputException[] failures, long offset) {
        if (failures == null) {
            return null;
        }
        InvalidInputException[] out = new InvalidInputException[failures.length];
        for (int r = 0; r < failures.length; r++) {
            InvalidInputException f = failures[r];
            if (f != null) {
                long row = offset + r;
                out[r] = new InvalidInputException(f.field(), f.value(), row > Integer.MAX_VALUE ? -1 : (int) row, f.problem(),
                        f.setting().orElse(null));
            }
        }
        return out;
    }
}

package dev.handoff;

import dev.handoff.ScorerStats.RowFailureKind;
import dev.handoff.InputField.ValueRange;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.ScoredRows;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link DefaultScorer} records about each call, for {@link Scorer#stats()} and the
 * {@link ScoringListener}: counts, latency, why rows failed, and per input the missing, invalid,
 * unseen and out-of-range values. Exists only when stats are on or a listener is set, so that a
 * scorer with neither does no work for them. Allocates nothing per call unless a row failed.
 */
final class CallObserver {
    private final ModelInfo info;
    private final StatsRecorder recorder;
    private final SafeListener listener;
    private final List<InputField> inputs;
    private final InputField[] fields;
    /** Per field: its values per row, or 0 for a string field (precomputed: this runs on every call). */
    private final int[] widths;
    private final StatsRecorder.InputCounters[] counters;
    private final Set<String>[] categories;
    private final ValueRange[] ranges;
    private final Map<String, ValueRange> rangesByName;
    private final Map<String, Integer> fieldIndex;

    /**
     * @param recorder the counters, or {@code null} when stats are off
     * @param listener the listener, or {@code null} for none
     */
    @SuppressWarnings("unchecked")
    CallObserver(ModelInfo info, List<InputField> inputs, Map<String, ValueRange> declaredRanges, StatsRecorder recorder,
                 SafeListener listener) {
        this.info = info;
        this.recorder = recorder;
        this.listener = listener;
        this.inputs = List.copyOf(inputs);
        this.fields = this.inputs.toArray(new InputField[0]);
        this.widths = new int[fields.length];
        this.counters = new StatsRecorder.InputCounters[fields.length];
        this.categories = new Set[fields.length];
        this.ranges = new ValueRange[fields.length];
        this.rangesByName = Map.copyOf(declaredRanges);
        Map<String, Integer> index = new HashMap<>();
        for (int f = 0; f < fields.length; f++) {
            InputField field = fields[f];
            index.put(field.name(), f);
            widths[f] = field.type() == ValueType.STRING ? 0 : field.elementsPerRow();
            if (recorder != null) {
                counters[f] = recorder.input(field.name());
            }
            if (field.type() == ValueType.STRING && !field.categories().isEmpty()) {
                categories[f] = Set.copyOf(new HashSet<>(field.categories()));
            }
            ranges[f] = field.type() == ValueType.STRING ? null : declaredRanges.get(field.name());
        }
        this.fieldIndex = Map.copyOf(index);
    }

    /** A call that returned predictions; {@code scored} is {@code null} when no row reached the model. */
    void finished(BoundRows bound, ScoredRows scored, Predictions predictions, long nanos) {
        int n = predictions.size();
        int failedRows = 0;
        if (predictions.hasFailures()) {
            RowFailureKind[] kinds = kinds(bound, scored, n);
            for (int r = 0; r < n; r++) {
                InvalidInputException failure = predictions.failure(r);
                if (failure == null) {
                    continue;
                }
                failedRows++;
                if (recorder != null) {
                    recorder.failedRow(kinds[r]);
                    if (kinds[r] != RowFailureKind.NO_PREDICTION) {
                        countFieldFailure(failure); // a row without a prediction reached the model: its values are counted below
                    }
                }
                if (listener != null) {
                    listener.rowRejected(info, failure, kinds[r]);
                }
            }
        }
        if (recorder != null) {
            countValues(bound.columns());
            recorder.rows.add(n);
            recorder.latency.record(nanos);
        }
        if (listener != null) {
            listener.callFinished(info, n, failedRows, nanos);
        }
    }

    /** A call that threw (not a row's failure). */
    void failed(RuntimeException failure, long nanos) {
        if (recorder != null) {
            recorder.failedCalls.increment();
        }
        if (listener != null) {
            listener.callFailed(info, failure, nanos);
        }
    }

    /** The stats of this scorer, its inputs in model order. */
    ScorerStats snapshot() {
        return recorder == null ? ScorerStats.none() : recorder.snapshot(inputs, rangesByName);
    }

    /**
     * Why each failed row failed: a row that never reached the model failed binding; of those that did,
     * the runtime rejected some and gave no prediction for the others. (The bound rows' failure array
     * also holds the model's failures once the output is shaped, so it cannot tell them apart.)
     */
    private static RowFailureKind[] kinds(BoundRows bound, ScoredRows scored, int n) {
        RowFailureKind[] kinds = new RowFailureKind[n];
        java.util.Arrays.fill(kinds, RowFailureKind.INVALID_INPUT);
        int m = bound.columns().rowCount();
        for (int i = 0; i < m; i++) {
            kinds[bound.sourceRow(i)] = scored != null && scored.rejected(i) != null ? RowFailureKind.REJECTED_BY_MODEL
                    : RowFailureKind.NO_PREDICTION;
        }
        return kinds;
    }

    /** The input a rejected row names: a missing value, or an invalid one (and an unseen category, under ERROR). */
    private void countFieldFailure(InvalidInputException failure) {
        Integer f = failure.field() == null ? null : fieldIndex.get(failure.field());
        if (f == null) {
            return;
        }
        Object value = failure.value();
        if (value == null) {
            counters[f].missing.increment();
            return;
        }
        counters[f].invalid.increment();
        if (categories[f] != null && value instanceof String s && !s.isEmpty() && !categories[f].contains(s)) {
            counters[f].unseen(s);
        }
    }

    /** Missing, unseen and out-of-range values of the rows that reached the model. */
    private void countValues(InputColumns columns) {
        int m = columns.rowCount();
        if (m == 0) {
            return;
        }
        for (int f = 0; f < fields.length; f++) {
            StatsRecorder.InputCounters c = counters[f];
            int width = widths[f];
            if (width == 0) {
                String[] values = columns.strings(f);
                Set<String> known = categories[f];
                for (int r = 0; r < m; r++) {
                    String v = values[r];
                    if (v == null) {
                        c.missing.increment();
                    } else if (known != null && !known.contains(v)) {
                        c.unseen(v);
                    }
                }
                continue;
            }
            // INTEGER columns are exact long[] (a missing value is flagged apart); the others read as doubles
            long[] longs = fields[f].type() == ValueType.INTEGER ? columns.longs(f) : null;
            ValueRange range = ranges[f];
            for (int r = 0, i = 0; r < m; r++) {
                boolean missing = false;
                boolean outside = false;
                for (int end = i + width; i < end; i++) {
                    if (columns.isMissing(f, i)) {
                        missing = true;
                    } else if (range != null && !range.contains(longs != null ? (double) longs[i] : columns.doubleAt(f, i))) {
                        outside = true;
                    }
                }
                if (missing) {
                    c.missing.increment();
                }
                if (outside) {
                    c.outOfRange.increment();
                }
            }
        }
    }
}

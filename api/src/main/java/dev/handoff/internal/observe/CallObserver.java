package dev.handoff.internal.observe;

import dev.handoff.InputField;
import dev.handoff.InputField.ValueRange;
import dev.handoff.InvalidInputException;
import dev.handoff.ModelInfo;
import dev.handoff.Scorer;
import dev.handoff.ScorerStats;
import dev.handoff.ScorerStats.RowFailureKind;
import dev.handoff.ScoringListener;
import dev.handoff.ValueType;
import dev.handoff.internal.bind.BoundRows;
import dev.handoff.internal.bind.InputFindings;
import dev.handoff.internal.shape.ShapedRows;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last stage of a call: records it for {@link Scorer#stats()} and tells the
 * {@link ScoringListener}: counts, latency, each failed row with the kind its stage recorded, and per
 * input the missing, invalid, unseen and out-of-range values that binding found. It reads what the
 * earlier stages handed forward and never the inputs themselves. Exists only when stats are on or a
 * listener is set, so that a scorer with neither does no work for them.
 */
public final class CallObserver {
    private final ModelInfo info;
    private final StatsRecorder recorder;
    private final SafeListener listener;
    private final List<InputField> inputs;
    private final StatsRecorder.InputCounters[] counters;
    private final Set<String>[] categories;
    private final Map<String, ValueRange> rangesByName;
    private final Map<String, Integer> fieldIndex;

    /**
     * @param recorder the counters, or {@code null} when stats are off
     * @param listener the listener, or {@code null} for none
     */
    @SuppressWarnings("unchecked")
    public CallObserver(ModelInfo info, List<InputField> inputs, Map<String, ValueRange> declaredRanges, StatsRecorder recorder,
                 SafeListener listener) {
        this.info = info;
        this.recorder = recorder;
        this.listener = listener;
        this.inputs = List.copyOf(inputs);
        this.counters = new StatsRecorder.InputCounters[this.inputs.size()];
        this.categories = new Set[this.inputs.size()];
        this.rangesByName = Map.copyOf(declaredRanges);
        Map<String, Integer> index = new HashMap<>();
        for (int f = 0; f < this.inputs.size(); f++) {
            InputField field = this.inputs.get(f);
            index.put(field.name(), f);
            if (recorder != null) {
                counters[f] = recorder.input(field.name());
            }
            if (field.type() == ValueType.STRING && !field.categories().isEmpty()) {
                categories[f] = Set.copyOf(new HashSet<>(field.categories()));
            }
        }
        this.fieldIndex = Map.copyOf(index);
    }

    /** A call that returned every row's outcome. */
    public void finished(BoundRows bound, ShapedRows shaped, long nanos) {
        int n = shaped.size();
        int failedRows = 0;
        if (shaped.hasFailures()) {
            for (int r = 0; r < n; r++) {
                InvalidInputException failure = shaped.failure(r);
                if (failure == null) {
                    continue;
                }
                failedRows++;
                RowFailureKind kind = shaped.failureKind(r);
                if (recorder != null) {
                    recorder.failedRow(kind);
                    if (kind != RowFailureKind.NO_PREDICTION) {
                        countFieldFailure(failure); // a row without a prediction reached the model: its values are counted below
                    }
                }
                if (listener != null) {
                    listener.rowRejected(info, failure, kind);
                }
            }
        }
        if (recorder != null) {
            countFindings(bound);
            recorder.rows.add(n);
            recorder.latency.record(nanos);
        }
        if (listener != null) {
            listener.callFinished(info, n, failedRows, nanos);
        }
    }

    /** A call that threw (not a row's failure). */
    public void failed(RuntimeException failure, long nanos) {
        if (recorder != null) {
            recorder.failedCalls.increment();
        }
        if (listener != null) {
            listener.callFailed(info, failure, nanos);
        }
    }

    /** The stats of this scorer, its inputs in model order. */
    public ScorerStats snapshot() {
        return recorder == null ? ScorerStats.none() : recorder.snapshot(inputs, rangesByName);
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

    /** Missing, out-of-range and unseen values of the rows that reached the model, as binding found them. */
    private void countFindings(BoundRows bound) {
        InputFindings findings = bound.findings();
        int n = bound.rowCount();
        for (int f = 0; f < counters.length; f++) {
            boolean missing = findings.anyMissing(f);
            boolean outside = findings.anyOutOfRange(f);
            if (!missing && !outside) {
                continue;
            }
            StatsRecorder.InputCounters c = counters[f];
            for (int r = 0; r < n; r++) {
                if (missing && findings.isMissing(f, r)) {
                    c.missing.increment();
                }
                if (outside && findings.isOutOfRange(f, r)) {
                    c.outOfRange.increment();
                }
            }
        }
        for (int i = 0; i < findings.unseenCount(); i++) {
            counters[findings.unseenField(i)].unseen(findings.unseenValue(i));
        }
    }
}

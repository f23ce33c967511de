package dev.handoff.internal.observe;

import dev.handoff.InputField;
import dev.handoff.InputField.ValueRange;
import dev.handoff.ReloadingScorer;
import dev.handoff.Scorer;
import dev.handoff.ScorerStats;
import dev.handoff.ScorerStats.InputStats;
import dev.handoff.ScorerStats.RowFailureKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind {@link Scorer#stats()}: striped adders that threads update without locks and
 * that a snapshot sums. One per scorer, or one shared by every model a {@link ReloadingScorer} serves,
 * with inputs counted by name.
 */
public final class StatsRecorder {
    /** Distinct unseen categories counted by value per input; later new values count in the total only. */
    static final int UNSEEN_VALUES_TRACKED = 64;
    /** How many unseen categories {@link InputStats#topUnseenCategories()} lists. */
    static final int TOP_UNSEEN = 5;

    private final Instant since = Instant.now();
    final LongAdder failedCalls = new LongAdder();
    final LongAdder rows = new LongAdder();
    private final LongAdder[] failedRows = new LongAdder[RowFailureKind.values().length];
    final LatencyHistogram latency = new LatencyHistogram();
    private final Map<String, InputCounters> inputs = new LinkedHashMap<>();

    /** The counters of one input. */
    static final class InputCounters {
        final LongAdder missing = new LongAdder();
        final LongAdder invalid = new LongAdder();
        final LongAdder unseen = new LongAdder();
        final LongAdder outOfRange = new LongAdder();
        private final Map<String, LongAdder> unseenValues = new ConcurrentHashMap<>();

        void unseen(String value) {
            unseen.increment();
            LongAdder count = unseenValues.get(value);
            if (count == null) {
                if (unseenValues.size() >= UNSEEN_VALUES_TRACKED) {
                    return; // bounded: a stream of ids in a categorical column must not grow the map without end
                }
                count = unseenValues.computeIfAbsent(value, v -> new LongAdder());
            }
            count.increment();
        }

        Map<String, Long> topUnseen() {
            List<Map.Entry<String, Long>> entries = new ArrayList<>();
            unseenValues.forEach((value, count) -> entries.add(Map.entry(value, count.sum())));
            entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            Map<String, Long> top = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(TOP_UNSEEN, entries.size()); i++) {
                top.put(entries.get(i).getKey(), entries.get(i).getValue());
            }
            return top;
        }
    }

    public StatsRecorder() {
        for (int k = 0; k < failedRows.length; k++) {
            failedRows[k] = new LongAdder();
        }
    }

    /** The counters of input {@code name}, created on first use (when a scorer is built, never per call). */
    synchronized InputCounters input(String name) {
        return inputs.computeIfAbsent(name, n -> new InputCounters());
    }

    void failedRow(RowFailureKind kind) {
        failedRows[kind.ordinal()].increment();
    }

    /** A snapshot, listing the inputs of {@code fields} in their order with the ranges a model declares. */
    ScorerStats snapshot(List<InputField> fields, Map<String, ValueRange> ranges) {
        Map<RowFailureKind, Long> kinds = new EnumMap<>(RowFailureKind.class);
        for (RowFailureKind kind : RowFailureKind.values()) {
            kinds.put(kind, failedRows[kind.ordinal()].sum());
        }
        Map<String, InputStats> perInput = new LinkedHashMap<>();
        for (InputField field : fields) {
            InputCounters c = input(field.name());
            perInput.put(field.name(), new InputStats(field.name(), c.missing.sum(), c.invalid.sum(), c.unseen.sum(), c.topUnseen(),
                    c.outOfRange.sum(), Optional.ofNullable(ranges.get(field.name()))));
        }
        ScorerStats.Latency calls = latency.snapshot(); // one latency sample per call that returned: its count is the calls
        return new ScorerStats(since, true, calls.count(), failedCalls.sum(), rows.sum(), kinds, calls, perInput);
    }
}

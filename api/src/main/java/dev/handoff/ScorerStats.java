package dev.handoff;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of what a scorer has done since it was loaded: calls, rows, failed rows by kind, latency
 * percentiles and, per input, missing, invalid, unseen and out-of-range values.
 *
 * <pre>{@code
 * ScorerStats stats = scorer.stats();
 * double failedShare = (double) stats.failedRows() / Math.max(1, stats.rows());
 * Duration p99 = stats.latency().p99();
 * stats.inputs().forEach((name, in) -> { if (in.missing() > 0) log.info("{}: {} missing", name, in.missing()); });
 * }</pre>
 *
 * <p>Counters only grow; take two snapshots and subtract for a rate. A {@link ReloadingScorer} keeps
 * counting across reloads. Calls made by {@link Scorer#verify} are not counted: they are not traffic.
 * Immutable.
 *
 * @param since when counting began (the scorer's load)
 * @param recorded whether the scorer records statistics ({@code false} under {@code ScorerOptions.stats(false)},
 *                 and for a {@link Scorer} implementation that records none): then every count is 0
 * @param calls calls that returned (a {@code score(Map)} that threw {@link InvalidInputException} included)
 * @param failedCalls calls that threw something other than a row's {@link InvalidInputException} (a batch
 *                    column of the wrong type, a runtime failure)
 * @param rows rows of the calls that returned
 * @param failedRowsByKind rows without a prediction, per kind (every kind present)
 * @param latency the time of the calls that returned, input binding included
 * @param inputs per input, in model order
 */
public record ScorerStats(Instant since, boolean recorded, long calls, long failedCalls, long rows,
                          Map<RowFailureKind, Long> failedRowsByKind, Latency latency, Map<String, InputStats> inputs) {

    /**
     * Latency percentiles, exact to within 1/32 (about 3%) of the value.
     *
     * @param count the calls measured
     * @param p50 the median
     * @param p90 the 90th percentile
     * @param p99 the 99th percentile
     * @param max the longest call, exact
     */
    public record Latency(long count, Duration p50, Duration p90, Duration p99, Duration max) {
        static final Latency NONE = new Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    public ScorerStats {
        Objects.requireNonNull(since, "since");
        Map<RowFailureKind, Long> kinds = new EnumMap<>(RowFailureKind.class);
        for (RowFailureKind kind : RowFailureKind.values()) {
            kinds.put(kind, failedRowsByKind.getOrDefault(kind, 0L));
        }
        failedRowsByKind = Collections.unmodifiableMap(kinds);
        Objects.requireNonNull(latency, "latency");
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    /** The stats of a scorer that records none. */
    public static ScorerStats none() {
        return new ScorerStats(Instant.EPOCH, false, 0, 0, 0, Map.of(), Latency.NONE, Map.of());
    }

    /** Rows without a prediction, of every kind. */
    public long failedRows() {
        long sum = 0;
        for (long n : failedRowsByKind.values()) {
            sum += n;
        }
        return sum;
    }

    /** Rows without a prediction of one kind. */
    public long failedRows(RowFailureKind kind) {
        return failedRowsByKind.get(Objects.requireNonNull(kind, "kind"));
    }
}

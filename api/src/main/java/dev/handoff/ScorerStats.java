package dev.handoff;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import dev.handoff.InputField.ValueRange;
import java.util.Optional;

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

    /**
     * What one input received since the scorer was loaded: the signal that the data scored still looks
     * like the data the model was trained on. Part of {@link ScorerStats}.
     *
     * <pre>{@code
     * InputStats plan = scorer.stats().inputs().get("plan");
     * if (plan.unseenCategories() > 0) {
     *     log.warn("'plan' got categories the model never saw: {}", plan.topUnseenCategories());
     * }
     * }</pre>
     *
     * <p>Counted over the rows that reached the model, plus, for a row rejected at binding or by the
     * runtime, the input it was rejected for.
     *
     * @param name the input name
     * @param missing values that were missing ({@code null}, {@code NaN}, {@code ""}, an absent key), whether
     *                the model then handled them or the row was rejected for it
     * @param invalid values rejected for this input: wrong type, unparseable, an unknown category under
     *                {@link UnknownCategoryPolicy#ERROR}, or refused by the runtime
     * @param unseenCategories values outside the categories the input declares (only inputs that declare
     *                         them: PMML); under {@link UnknownCategoryPolicy#AS_MISSING} they count as missing,
     *                         since that is what the model got
     * @param topUnseenCategories the most frequent unseen values with their counts, most frequent first
     * @param outOfRange numbers outside the {@link #declaredRange()}
     * @param declaredRange the range the model declares for this input (PMML {@code Interval}s and valid
     *                      values); empty when it declares none, as ONNX models do
     */
    public record InputStats(String name, long missing, long invalid, long unseenCategories, Map<String, Long> topUnseenCategories,
                             long outOfRange, Optional<ValueRange> declaredRange) {

        public InputStats {
            Objects.requireNonNull(name, "name");
            topUnseenCategories = Collections.unmodifiableMap(new LinkedHashMap<>(topUnseenCategories));
            Objects.requireNonNull(declaredRange, "declaredRange");
        }
    }

    /**
     * Why a row got no prediction, as {@link ScorerStats#failedRows(RowFailureKind)} counts it.
     *
     * <pre>{@code
     * long bad = scorer.stats().failedRows(RowFailureKind.INVALID_INPUT);
     * }</pre>
     */
    public enum RowFailureKind {
        /** Input binding rejected the row: a missing or malformed value, an unknown category under ERROR, a key the model does not read. */
        INVALID_INPUT,
        /** The runtime refused a value (for example a PMML field with {@code invalidValueTreatment="returnInvalid"}). */
        REJECTED_BY_MODEL,
        /** The model was run and gave no prediction (a missing value it has no replacement for). */
        NO_PREDICTION
    }
}

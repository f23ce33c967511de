package dev.handoff.internal.observe;

import dev.handoff.ScorerStats;

import java.time.Duration;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Call durations in log-linear buckets (each power of two split into 16), recorded without locks:
 * a call adds 1 to one {@link LongAdder}, which threads on different cores update in different cells.
 * A percentile is read as the middle of its bucket, within 1/32 of the true value; the maximum is exact.
 *
 * <pre>{@code
 * histogram.record(System.nanoTime() - started);
 * ScorerStats.Latency latency = histogram.snapshot();
 * }</pre>
 *
 * <p>Written here rather than taken from HdrHistogram: four percentiles at this precision need 40 lines,
 * and {@code handoff-api} stays free of dependencies besides SLF4J.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    /** Values below {@link #SUB_BUCKETS} have a bucket each; above, 16 per power of two up to 2^63. */
    private static final int BUCKETS = SUB_BUCKETS + (63 - SUB_BITS) * SUB_BUCKETS;

    private final LongAdder[] counts = new LongAdder[BUCKETS];
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    LatencyHistogram() {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[bucket(v)].increment();
        max.accumulate(v);
    }

    static int bucket(long v) {
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
        int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return SUB_BUCKETS + (exponent - SUB_BITS) * SUB_BUCKETS + sub;
    }

    /** The smallest value of bucket {@code i}. */
    static long lowerBound(int i) {
        if (i < SUB_BUCKETS) {
            return i;
        }
        int shift = (i - SUB_BUCKETS) / SUB_BUCKETS;
        long sub = (i - SUB_BUCKETS) % SUB_BUCKETS;
        return (SUB_BUCKETS + sub) << shift;
    }

    /** The middle of bucket {@code i}. */
    static long middle(int i) {
        if (i < SUB_BUCKETS) {
            return i;
        }
        int shift = (i - SUB_BUCKETS) / SUB_BUCKETS;
        return lowerBound(i) + ((1L << shift) >>> 1);
    }

    ScorerStats.Latency snapshot() {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts[i].sum();
            total += snapshot[i];
        }
        if (total == 0) {
            return new ScorerStats.Latency(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO); // no call yet
        }
        long longest = max.get();
        return new ScorerStats.Latency(total, percentile(snapshot, total, 0.50, longest), percentile(snapshot, total, 0.90, longest),
                percentile(snapshot, total, 0.99, longest), Duration.ofNanos(longest));
    }

    private static Duration percentile(long[] snapshot, long total, double q, long longest) {
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < snapshot.length; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return Duration.ofNanos(Math.min(middle(i), longest));
            }
        }
        return Duration.ofNanos(longest);
    }
}

package dev.handoff.internal.observe;

import dev.handoff.ScorerStats;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void everyValueFallsInTheBucketWhoseBoundsHoldIt() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long v = i < 1000 ? i : (random.nextLong() >>> 1) >>> random.nextInt(63);
            int b = LatencyHistogram.bucket(v);
            assertTrue(LatencyHistogram.lowerBound(b) <= v, v + " in " + b);
            assertTrue(b + 1 == 960 || v < LatencyHistogram.lowerBound(b + 1), v + " in " + b);
        }
        assertEquals(959, LatencyHistogram.bucket(Long.MAX_VALUE));
    }

    @Test
    void percentilesAreWithinOneThirtySecondOfTheExactOnesAndMaxIsExact() {
        Random random = new Random(11);
        LatencyHistogram histogram = new LatencyHistogram();
        long[] values = new long[10_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 5_000 + (long) (Math.exp(random.nextGaussian()) * 20_000); // log-normal, like latencies
            histogram.record(values[i]);
        }
        Arrays.sort(values);

        ScorerStats.Latency latency = histogram.snapshot();

        assertEquals(values.length, latency.count());
        assertEquals(values[values.length - 1], latency.max().toNanos());
        assertClose(values[(int) Math.ceil(0.50 * values.length) - 1], latency.p50().toNanos());
        assertClose(values[(int) Math.ceil(0.90 * values.length) - 1], latency.p90().toNanos());
        assertClose(values[(int) Math.ceil(0.99 * values.length) - 1], latency.p99().toNanos());
    }

    @Test
    void emptyHistogramReadsZero() {
        assertEquals(0, new LatencyHistogram().snapshot().count());
    }

    private static void assertClose(long exact, long read) {
        assertTrue(Math.abs(read - exact) <= exact / 32 + 1, "exact " + exact + ", read " + read);
    }
}

package dev.handoff;

/**
 * Non-negative differences in fixed log-linear buckets, for the quantiles of {@link ModelComparison} in
 * constant memory: one bucket for 0, one for (0, 2^-64), sixteen per power of two from 2^-64 to 2^64,
 * and one for larger values and infinity. A quantile is read as the middle of its bucket, so it is
 * within 1/32 (3.1%) of the true value between 2^-64 (5.4e-20) and 2^64; below, it is reported as
 * 2^-64 (an upper bound). Quantiles never exceed the exact maximum. Not thread-safe; its owner locks.
 */
final class DifferenceHistogram {
    private static final int SUB_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BITS;
    private static final int MIN_EXPONENT = -64;
    private static final int MAX_EXPONENT = 64;
    private static final int ZERO = 0;
    private static final int TINY = 1;
    private static final int FIRST_LOG = 2;
    private static final int HUGE = FIRST_LOG + (MAX_EXPONENT - MIN_EXPONENT) * SUB_BUCKETS;
    private static final double SMALLEST = Math.scalb(1.0, MIN_EXPONENT);

    private final long[] counts = new long[HUGE + 1];
    private long total;
    private double max = Double.NaN;

    /** Adds one difference; NaN is ignored (no difference is defined). */
    void record(double difference) {
        if (Double.isNaN(difference)) {
            return;
        }
        double v = Math.abs(difference);
        counts[bucket(v)]++;
        total++;
        max = Double.isNaN(max) ? v : Math.max(max, v);
    }

    static int bucket(double v) {
        if (v == 0) {
            return ZERO;
        }
        if (v < SMALLEST) {
            return TINY;
        }
        int exponent = Math.getExponent(v);
        if (exponent >= MAX_EXPONENT) {
            return HUGE; // infinity included
        }
        int sub = (int) (Double.doubleToRawLongBits(v) >>> (52 - SUB_BITS)) & (SUB_BUCKETS - 1);
        return FIRST_LOG + (exponent - MIN_EXPONENT) * SUB_BUCKETS + sub;
    }

    /** The middle of bucket {@code i} (0 for the zero bucket, 2^-64 for the tiny one, infinity for the huge one). */
    static double middle(int i) {
        if (i == ZERO) {
            return 0;
        }
        if (i == TINY) {
            return SMALLEST;
        }
        if (i == HUGE) {
            return Double.POSITIVE_INFINITY;
        }
        int exponent = (i - FIRST_LOG) / SUB_BUCKETS + MIN_EXPONENT;
        int sub = (i - FIRST_LOG) % SUB_BUCKETS;
        return Math.scalb(1.0 + (sub + 0.5) / SUB_BUCKETS, exponent);
    }

    long count() {
        return total;
    }

    /** The exact largest difference; NaN when none was recorded. */
    double max() {
        return max;
    }

    /** The {@code q} quantile (0 < q <= 1), within the precision above; NaN when none was recorded. */
    double quantile(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(middle(i), max);
            }
        }
        return max;
    }
}

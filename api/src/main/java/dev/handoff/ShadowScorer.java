package dev.handoff;

import dev.handoff.internal.observe.SafeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link Scorer} that answers every call with the serving model and scores a sample of the calls' records
 * with a candidate model too, on background threads, keeping how the two agree: the figures of
 * {@link ModelComparison}, on live traffic, before the candidate serves.
 *
 * <pre>{@code
 * ShadowScorer scorer = ShadowScorer.builder(Scorer.load(servingPath), Scorer.load(candidatePath))
 *         .sampleRate(0.10).queueCapacity(10_000).comparison(ModelComparison.builder().tolerance(1e-6, 1e-5).build())
 *         .build();
 * Prediction p = scorer.score(record);                 // the serving model's answer, always
 * ShadowScorer.Stats shadow = scorer.shadowStats();    // agreement so far, sampled, dropped
 * if (shadow.comparison().rowsCompared() >= 10_000 && shadow.comparison().agrees()) promote();
 * }</pre>
 *
 * <p>The shadow never adds latency to, fails or blocks a serving call: a sampled record (of
 * {@link #score(Map)} and {@link #scoreAll(List)}; {@link #score(Batch)} is not sampled) is copied and put on a
 * bounded lock-free queue, and when the queue is full it is dropped and counted. The candidate's failures are
 * counted as rows only the serving model scored and never reach the caller. Each compared record is told to
 * the builder's {@link ScoringListener#shadowCompared}. {@link #stats()} is the serving model's.
 *
 * <p>Ownership: the shadow scorer owns both scorers it is built with and closes them in {@link #close()},
 * unless {@link Builder#closesModels(boolean) closesModels(false)}. {@code close()} stops sampling, lets the
 * background threads finish queued records until the close timeout, drops the rest (counted), and returns
 * within that timeout even if the candidate hangs (the candidate is then closed in the background).
 */
public final class ShadowScorer implements Scorer {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowScorer.class);

    private final Scorer serving;
    private final Scorer candidate;
    private final double sampleRate;
    private final int queueCapacity;
    private final Duration closeTimeout;
    private final boolean closesModels;
    private final SafeListener listener;
    private final ModelComparison comparison;
    private final ComparisonTally tally;
    private final ConcurrentLinkedQueue<Sample> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong sampled = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong nextRow = new AtomicLong();
    private final List<Worker> workers = new ArrayList<>();
    private volatile boolean closed;

    /** A sampled record, copied, with the serving model's outcome. */
    private record Sample(long row, Map<String, ?> record, Prediction serving, String servingFailure) {
    }

    private ShadowScorer(Builder b) {
        this.serving = b.serving;
        this.candidate = b.candidate;
        this.sampleRate = b.sampleRate;
        this.queueCapacity = b.queueCapacity;
        this.closeTimeout = b.closeTimeout;
        this.closesModels = b.closesModels;
        this.listener = SafeListener.wrap(b.listener);
        this.comparison = b.comparison;
        this.tally = comparison.tally(serving, candidate);
        for (int i = 0; i < b.threads; i++) {
            Worker w = new Worker();
            Thread t = new Thread(w, "handoff-shadow-" + i);
            t.setDaemon(true);
            w.thread = t;
            workers.add(w);
        }
        workers.forEach(w -> w.thread.start());
    }

    /** A shadow of {@code candidate} beside {@code serving}, both owned by the shadow scorer unless told otherwise. */
    public static Builder builder(Scorer serving, Scorer candidate) {
        return new Builder(serving, candidate);
    }

    /**
     * What the shadow has seen so far.
     *
     * @param comparison the serving model (A) against the candidate (B) over the sampled records scored so far
     * @param sampled the records sampled for the candidate
     * @param dropped the sampled records dropped because the queue was full or the scorer closed
     * @param pending the sampled records waiting on the queue
     */
    public record Stats(ModelComparison.Report comparison, long sampled, long dropped, long pending) {
    }

    /** The running comparison of the candidate with the serving model, and the sampling counts. */
    public Stats shadowStats() {
        return new Stats(tally.report(), sampled.get(), dropped.get(), queued.get());
    }

    @Override
    public Prediction score(Map<String, ?> record) {
        requireOpen();
        Prediction p;
        try {
            p = serving.score(record);
        } catch (InvalidInputException bad) {
            sample(record, null, bad.getMessage());
            throw bad;
        }
        sample(record, p, null);
        return p;
    }

    @Override
    public Predictions scoreAll(List<? extends Map<String, ?>> records) {
        requireOpen();
        Predictions ps = serving.scoreAll(records);
        for (int r = 0; r < ps.size(); r++) {
            sample(records.get(r), ps.get(r), null);
        }
        return ps;
    }

    @Override
    public Predictions score(Batch batch) {
        requireOpen();
        return serving.score(batch);
    }

    /** On the serving thread: a random draw, and for a sampled record a copy and a lock-free offer. */
    private void sample(Map<String, ?> record, Prediction p, String failure) {
        if (sampleRate < 1 && ThreadLocalRandom.current().nextDouble() >= sampleRate) {
            return;
        }
        sampled.incrementAndGet();
        if (closed || queued.incrementAndGet() > queueCapacity) {
            if (!closed) {
                queued.decrementAndGet();
            }
            dropped.incrementAndGet();
            return;
        }
        queue.offer(new Sample(nextRow.getAndIncrement(), new HashMap<>(record), p, failure));
        for (Worker w : workers) {
            if (w.idle) {
                LockSupport.unpark(w.thread);
                break;
            }
        }
    }

    /** Takes samples off the queue and scores them with the candidate; parks when there are none. */
    private final class Worker implements Runnable {
        Thread thread;
        volatile boolean idle;

        @Override
        public void run() {
            while (true) {
                Sample s = queue.poll();
                if (s == null) {
                    if (closed) {
                        return;
                    }
                    idle = true;
                    if (queue.isEmpty() && !closed) {
                        LockSupport.parkNanos(this, 10_000_000L); // a missed unpark costs at most 10 ms of delay
                    }
                    idle = false;
                    continue;
                }
                queued.decrementAndGet();
                compare(s);
            }
        }

        private void compare(Sample s) {
            Prediction b = null;
            String failure = null;
            try {
                b = candidate.score(s.record());
            } catch (RuntimeException e) { // the candidate's failure is a figure, never the caller's problem
                failure = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            boolean[] agreed = new boolean[1];
            tally.add(s.row(), comparison.idOf(s.record()), s.serving(), s.servingFailure(), b, failure,
                    row -> agreed[0] = row.agrees());
            if (listener != null) {
                listener.shadowCompared(serving.info(), candidate.info(), agreed[0], failure != null);
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this ShadowScorer is closed");
        }
    }

    @Override
    public ModelInfo info() {
        return serving.info();
    }

    @Override
    public List<InputField> inputs() {
        return serving.inputs();
    }

    @Override
    public List<OutputField> outputs() {
        return serving.outputs();
    }

    @Override
    public List<String> classes() {
        return serving.classes();
    }

    @Override
    public ScorerStats stats() {
        return serving.stats();
    }

    /** The serving model's golden cases are the ones that count. */
    @Override
    public java.util.Optional<Verification> embeddedVerification() {
        return serving.embeddedVerification();
    }

    /**
     * Stops sampling, lets queued samples finish until the close timeout, drops the rest (counted), then closes
     * the models it owns; returns within the close timeout even when the candidate hangs. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        boolean finished = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    w.thread.join(Math.max(1, left / 1_000_000), 0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished &= !w.thread.isAlive();
        }
        while (queue.poll() != null) { // what the workers did not reach in time
            queued.decrementAndGet();
            dropped.incrementAndGet();
        }
        if (!finished) {
            LOG.warn("ShadowScorer: the candidate {} was still scoring after the close timeout of {}; it is closed in the background",
                    candidate.info().source(), closeTimeout);
        }
        if (closesModels) {
            serving.close();
            if (finished) {
                candidate.close();
            } else {
                Thread closer = new Thread(candidate::close, "handoff-shadow-close");
                closer.setDaemon(true);
                closer.start();
            }
        }
    }

    /**
     * Builds a {@link ShadowScorer}; each setter checks its argument at once.
     *
     * <pre>{@code
     * ShadowScorer.builder(serving, candidate).sampleRate(0.05).queueCapacity(1_000).threads(1)
     *         .closeTimeout(Duration.ofSeconds(2)).listener(metrics).build();
     * }</pre>
     */
    public static final class Builder {
        private final Scorer serving;
        private final Scorer candidate;
        private double sampleRate = 0.1;
        private int queueCapacity = 10_000;
        private int threads = 1;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private boolean closesModels = true;
        private ScoringListener listener = ScoringListener.NONE;
        private ModelComparison comparison = ModelComparison.builder().build();

        private Builder(Scorer serving, Scorer candidate) {
            this.serving = Objects.requireNonNull(serving, "serving");
            this.candidate = Objects.requireNonNull(candidate, "candidate");
            if (serving == candidate) {
                throw new IllegalArgumentException("serving and candidate must be two scorers, got the same one twice");
            }
        }

        /** The share of records the candidate also scores, 0 to 1. Default 0.1. */
        public Builder sampleRate(double rate) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("sampleRate must be in [0, 1], got " + rate);
            }
            this.sampleRate = rate;
            return this;
        }

        /** How many sampled records may wait for the candidate; more are dropped and counted. Default 10,000. */
        public Builder queueCapacity(int records) {
            if (records < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1, got " + records);
            }
            this.queueCapacity = records;
            return this;
        }

        /** Background threads that score with the candidate, 1 to 64. Default 1. */
        public Builder threads(int count) {
            if (count < 1 || count > 64) {
                throw new IllegalArgumentException("threads must be 1 to 64, got " + count);
            }
            this.threads = count;
            return this;
        }

        /** How long {@link ShadowScorer#close()} waits for queued samples. Default 5 s. */
        public Builder closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeTimeout must not be negative, got " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /** Whether {@link ShadowScorer#close()} closes the serving and candidate scorers. Default true. */
        public Builder closesModels(boolean closes) {
            this.closesModels = closes;
            return this;
        }

        /** Told of every compared sample, on the background thread. */
        public Builder listener(ScoringListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The tolerance and rows kept of the running comparison. */
        public Builder comparison(ModelComparison comparison) {
            this.comparison = Objects.requireNonNull(comparison, "comparison");
            return this;
        }

        public ShadowScorer build() {
            return new ShadowScorer(this);
        }
    }
}

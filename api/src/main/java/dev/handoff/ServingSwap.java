package dev.handoff;

import dev.handoff.ReloadingScorer.ServingModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.Reference;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The serving model of a {@link ReloadingScorer} and the one way a call reaches it.
 *
 * <pre>{@code
 * Prediction p = swap.call(model -> model.score(record)); // enter, run, exit: on one model from start to end
 * swap.swapIn(candidate, (old, next) -> log(old, next));  // false once close() has begun
 * }</pre>
 *
 * <p>Each model serves as a {@link Generation} whose {@link CallGuard} counts the calls on it. A swap
 * publishes the new generation, then closes the old one's guard: calls already in it finish on it, and its
 * model is closed when the last of them leaves, so no call ever sees a closed model. A swap and the
 * beginning of {@link #close} exclude each other: once close() has begun nothing is swapped in and nothing
 * about a reload is announced.
 */
final class ServingSwap {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingScorer.class);

    /** One model with the calls in flight on it; closing its guard closes the model after the last call. */
    static final class Generation {
        final DefaultScorer scorer;
        final ServingModel serving;
        final CallGuard guard;

        private Generation(DefaultScorer scorer, ServingModel serving) {
            this.scorer = scorer;
            this.serving = serving;
            this.guard = new CallGuard(scorer::close);
        }
    }

    private final String name;
    private final long closeTimeoutNanos;
    /** Taken by a swap, an announcement and the start of close(); never held during a call or a check. */
    private final Object lock = new Object();
    private volatile Generation current;
    private volatile boolean closed;
    /** Guarded by lock. */
    private long versions;

    ServingSwap(String name, DefaultScorer first, long closeTimeoutNanos) {
        this.name = name;
        this.closeTimeoutNanos = closeTimeoutNanos;
        synchronized (lock) {
            this.current = generation(first);
        }
    }

    Generation current() {
        return current;
    }

    boolean isClosed() {
        return closed;
    }

    IllegalStateException closedException() {
        return new IllegalStateException("the reloading scorer for " + name + " is closed");
    }

    /**
     * The call protocol, written once for every entry point: enter the serving generation (one retired
     * between the read and the entry is skipped for its successor), run, leave, and keep the generation
     * reachable until the call has left it.
     *
     * @throws IllegalStateException after {@link #beginClose()}
     */
    <T> T call(Function<DefaultScorer, T> work) {
        Generation g = enter();
        try {
            return work.apply(g.scorer);
        } finally {
            g.guard.exit();
            Reference.reachabilityFence(g);
        }
    }

    private Generation enter() {
        while (true) {
            Generation g = current;
            if (g.guard.enter()) {
                return g;
            }
            if (closed) {
                throw closedException();
            }
            // g was replaced and is closing: current already names its successor
        }
    }

    /**
     * Makes {@code candidate} the serving model, unless close() has begun, and runs {@code announce} (old, new)
     * before close() can begin; then closes the old model after its calls (at most closeTimeout of waiting).
     *
     * @return the new generation, or {@code null} when the scorer is closed (the candidate is then not taken)
     */
    Generation swapIn(DefaultScorer candidate, BiConsumer<Generation, Generation> announce) {
        Generation old;
        Generation next;
        synchronized (lock) {
            if (closed) {
                return null;
            }
            old = current;
            next = generation(candidate);
            current = next;
            announce.accept(old, next);
        }
        long left = old.guard.close(closeTimeoutNanos);
        if (left > 0) {
            LOG.warn("Model {} version {}: {} call(s) still running {} ms after it was replaced; it is closed when the last "
                    + "of them returns", name, old.serving.version(), left, closeTimeoutNanos / 1_000_000);
        }
        return next;
    }

    /** Runs {@code announcement} unless close() has begun; false when it has (nothing is told after close). */
    boolean announce(Runnable announcement) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            announcement.run();
            return true;
        }
    }

    /** Refuses swaps and announcements from now on; false when close had already begun. */
    boolean beginClose() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    /** Refuses new calls and closes the serving model after the calls in flight (those past closeTimeout are asked to stop). */
    void closeServing() {
        Generation g = current; // final: no swap after beginClose()
        long left = g.guard.close(closeTimeoutNanos);
        if (left > 0) {
            g.scorer.stopRunningCalls();
            LOG.warn("Closing reloading scorer for {}: {} call(s) still running after {} ms were asked to stop; the model is "
                    + "closed when the last of them returns", name, left, closeTimeoutNanos / 1_000_000);
        }
    }

    private Generation generation(DefaultScorer scorer) {
        long version = ++versions;
        Instant loadedAt = Instant.now();
        ModelInfo base = scorer.info();
        Map<String, String> metadata = new LinkedHashMap<>(base.metadata());
        metadata.put(ReloadingScorer.VERSION_KEY, Long.toString(version));
        metadata.put(ReloadingScorer.LOADED_AT_KEY, loadedAt.toString());
        ModelInfo info = new ModelInfo(base.source(), base.format(), base.task(), base.producer(), base.description(), base.sha256(),
                metadata);
        return new Generation(scorer, new ServingModel(version, base.sha256(), loadedAt, info));
    }
}

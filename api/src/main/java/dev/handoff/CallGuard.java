package dev.handoff;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets calls into a model run concurrently and releases the model exactly once, after the last call
 * that entered before closing has left: native memory is never freed under a running call.
 *
 * <pre>{@code
 * if (!guard.enter()) throw closed();
 * try { return model.score(columns); } finally { guard.exit(); }
 * }</pre>
 *
 * <p>A call costs one increment and one decrement of a {@link LongAdder} (a striped counter: threads
 * on different cores touch different cells, so there is no shared word to contend on) and one
 * volatile read. Closing never blocks new calls: once {@link #close} has begun they are refused at
 * once. The ordering argument: a call increments, then reads {@code closing}; {@link #close} writes
 * {@code closing}, then sums the counter. Both are volatile accesses, so either the call sees
 * {@code closing} and backs out, or the sum sees the call and waits for it.
 */
final class CallGuard {
    private final LongAdder inFlight = new LongAdder();
    private final AtomicBoolean released = new AtomicBoolean();
    private final Runnable release;
    private volatile boolean closing;
    private volatile Thread closer;

    /** @param release frees the model; run once, by {@link #close} or by the last call to leave after it */
    CallGuard(Runnable release) {
        this.release = release;
    }

    /** Enters a call; false when closing has begun (the caller must not touch the model). */
    boolean enter() {
        inFlight.increment();
        if (closing) {
            exit();
            return false;
        }
        return true;
    }

    /** Leaves a call entered with {@link #enter()}. */
    void exit() {
        inFlight.decrement();
        if (closing) {
            if (inFlight.sum() == 0) {
                releaseOnce();
            }
            Thread waiting = closer;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        }
    }

    boolean isClosing() {
        return closing;
    }

    /**
     * Refuses new calls, waits up to {@code timeoutNanos} for the calls in flight, and releases the model
     * once none is left. Idempotent.
     *
     * @return the number of calls still in flight when the wait ended (0: the model was released; more:
     *         the last of them releases it when it leaves)
     */
    long close(long timeoutNanos) {
        closer = Thread.currentThread();
        closing = true;
        long deadline = System.nanoTime() + timeoutNanos;
        long left;
        while ((left = inFlight.sum()) > 0) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            LockSupport.parkNanos(this, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(10)));
        }
        closer = null;
        if (left == 0) {
            releaseOnce();
        }
        return left;
    }

    /** Whether the model has been released. */
    boolean isReleased() {
        return released.get();
    }

    private void releaseOnce() {
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }
}

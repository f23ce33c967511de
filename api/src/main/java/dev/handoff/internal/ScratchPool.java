package dev.handoff.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Per-thread scratch objects of one model, kept between calls without a {@link ThreadLocal} (which would keep each
 * thread's scratch alive for as long as the thread lives, long after the model is closed in a long-running service:
 * a closed model's entry goes only when the thread happens to clean its thread-locals). Each thread takes from its
 * own slot (picked by thread
 * id, slots a cache line apart), so concurrent calls do not contend; a thread that finds its slot empty (its first
 * call, or a slot shared by chance with a thread in a call) makes a new object, which then goes back to the slot or,
 * if the slot is full, to the garbage collector.
 *
 * <pre>{@code
 * Scratch s = pool.take();
 * try { ... } finally { pool.give(s); }
 * }</pre>
 */
public final class ScratchPool<T> {
    /** Slots are this many references apart, so that two threads' slots are not on one cache line. */
    private static final int SPACING = 16;

    private final Supplier<T> factory;
    private final int mask;
    private final AtomicReferenceArray<T> slots;

    public ScratchPool(Supplier<T> factory) {
        this.factory = factory;
        int n = Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
        this.mask = n - 1;
        this.slots = new AtomicReferenceArray<>(n * SPACING);
    }

    private int slot() {
        return ((int) Thread.currentThread().getId() & mask) * SPACING;
    }

    /** The calling thread's scratch; give it back with {@link #give} after the call. */
    public T take() {
        T t = slots.getAndSet(slot(), null);
        return t != null ? t : factory.get();
    }

    /** Keeps {@code t} for this thread's next call, unless its slot is already full. */
    public void give(T t) {
        slots.compareAndSet(slot(), null, t);
    }

    /** Drops every kept object (the model is closed). */
    public void clear() {
        for (int i = 0; i < slots.length(); i += SPACING) {
            slots.set(i, null);
        }
    }
}

package dev.handoff.onnx.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Per-thread scratch objects of one model, kept between calls without a {@link ThreadLocal} (which would keep each
 * thread's scratch, and through it the model, alive for as long as the thread lives, long after the model is closed
 * in a long-running service). As {@link DirectBufferPool} does: each thread takes from its own slot (picked by thread
 * id, slots a cache line apart), so concurrent calls do not contend; a thread that finds its slot empty (its first
 * call, or a slot shared by chance with a thread in a call) makes a new object, which then goes back to the slot or,
 * if the slot is full, to the garbage collector.
 *
 * <pre>{@code
 * Scratch s = pool.take();
 * try { ... } finally { pool.give(s); }
 * }</pre>
 */
final class ScratchPool<T> {
    /** Slots are this many references apart, so that two threads' slots are not on one cache line. */
    private static final int SPACING = 16;

    private final Supplier<T> factory;
    private final int mask;
    private final AtomicReferenceArray<T> slots;

    ScratchPool(Supplier<T> factory) {
        this.factory = factory;
        int n = Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
        this.mask = n - 1;
        this.slots = new AtomicReferenceArray<>(n * SPACING);
    }

    private int slot() {
        return ((int) Thread.currentThread().getId() & mask) * SPACING;
    }

    /** The calling thread's scratch; give it back with {@link #give} after the call. */
    T take() {
        T t = slots.getAndSet(slot(), null);
        return t != null ? t : factory.get();
    }

    /** Keeps {@code t} for this thread's next call, unless its slot is already full. */
    void give(T t) {
        slots.compareAndSet(slot(), null, t);
    }

    /** Drops every kept object (the model is closed). */
    void clear() {
        for (int i = 0; i < slots.length(); i += SPACING) {
            slots.set(i, null);
        }
    }
}

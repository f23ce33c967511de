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

    /**
     * Room left after the values of a per-thread scratch array: small arrays of two threads, wherever the collector
     * places them, then never share a cache line (or the pair of lines a core fetches together), which would make two
     * threads scoring one model take turns on it. Allocate per-thread arrays through {@link #doubles} and its kin.
     */
    public static final int PAD_BYTES = 128;

    /** A per-thread scratch array for {@code n} values, padded ({@link #PAD_BYTES}). */
    public static double[] doubles(int n) {
        return new double[n + PAD_BYTES / Double.BYTES];
    }

    /** {@link #doubles} for floats. */
    public static float[] floats(int n) {
        return new float[n + PAD_BYTES / Float.BYTES];
    }

    /** {@link #doubles} for longs. */
    public static long[] longs(int n) {
        return new long[n + PAD_BYTES / Long.BYTES];
    }

    /** {@link #doubles} for booleans. */
    public static boolean[] booleans(int n) {
        return new boolean[n + PAD_BYTES];
    }

    /** Drops every kept object (the model is closed). */
    public void clear() {
        for (int i = 0; i < slots.length(); i += SPACING) {
            slots.set(i, null);
        }
    }
}

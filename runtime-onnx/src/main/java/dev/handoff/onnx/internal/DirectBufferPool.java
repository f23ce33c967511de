package dev.handoff.onnx.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Direct, native-order buffers that input tensors are written into and that ONNX Runtime reads in
 * place (a tensor over a direct buffer is not copied), reused across calls instead of allocated per
 * call. Each thread takes the set of buffers from its own slot (slots picked by thread id, a cache line
 * apart), so concurrent calls do not contend; a thread that finds its slot empty (first call, or a
 * slot shared by chance) allocates a new set. Buffers over {@link #MAX_POOLED_BYTES} are not kept.
 *
 * <pre>{@code
 * ByteBuffer[] set = pool.take();
 * try {
 *     ByteBuffer b = pool.buffer(set, 0, rows * features * Float.BYTES);   // position 0, limit = bytes
 *     ...
 * } finally {
 *     pool.give(set);   // after the tensors over it are closed
 * }
 * }</pre>
 */
final class DirectBufferPool {
    /** The largest buffer kept for reuse: 4 MiB, a batch of 1024 rows of 1024 floats. */
    static final int MAX_POOLED_BYTES = 4 << 20;
    /** Slots are this many references apart, so that two threads' slots are not on one cache line. */
    private static final int SPACING = 16;

    private final int tensors;
    private final int mask;
    private final AtomicReferenceArray<ByteBuffer[]> slots;

    /** @param tensors the number of buffers in a set (one per input tensor) */
    DirectBufferPool(int tensors) {
        this.tensors = tensors;
        int n = Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
        this.mask = n - 1;
        this.slots = new AtomicReferenceArray<>(n * SPACING);
    }

    private int slot() {
        return ((int) Thread.currentThread().getId() & mask) * SPACING;
    }

    /** The calling thread's set of buffers; give it back with {@link #give} once its tensors are closed. */
    ByteBuffer[] take() {
        ByteBuffer[] set = slots.getAndSet(slot(), null);
        return set != null ? set : new ByteBuffer[tensors];
    }

    /** Returns a set for the next call of this thread. */
    void give(ByteBuffer[] set) {
        slots.compareAndSet(slot(), null, set);
    }

    /**
     * Buffer {@code t} of the set with room for {@code bytes}, position 0 and limit {@code bytes}; a
     * buffer too big to keep is allocated for this call only, on the heap (ONNX Runtime then copies it
     * into native memory it frees when the tensor is closed, instead of direct memory that waits for a GC).
     */
    ByteBuffer buffer(ByteBuffer[] set, int t, int bytes) {
        if (bytes > MAX_POOLED_BYTES) {
            return ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer b = set[t];
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(Math.max(bytes, 64)).order(ByteOrder.nativeOrder());
            set[t] = b;
        }
        b.clear().limit(bytes);
        return b;
    }

    /** Drops every kept buffer (the model is closed); their memory goes with the next GC. */
    void clear() {
        for (int i = 0; i < slots.length(); i++) {
            slots.set(i, null);
        }
    }
}

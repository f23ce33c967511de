package dev.handoff.onnx.internal;

import ai.onnxruntime.OnnxTensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Direct, native-order buffers that input tensors are written into and that ONNX Runtime reads in
 * place (a tensor over a direct buffer is not copied), and the tensors over them, reused across calls
 * instead of created per call: a call with as many rows as the last one on this set only rewrites
 * the numbers. Each thread takes its {@link TensorSet} from its own slot (slots picked by thread id,
 * a cache line apart), so concurrent calls do not contend; a thread that finds its slot empty (first
 * call, or a slot shared by chance) gets a new set. Buffers over {@link #MAX_POOLED_BYTES} are not kept.
 *
 * <pre>{@code
 * TensorSet set = pool.take();
 * try {
 *     ByteBuffer b = pool.buffer(set, 0, rows * features * Float.BYTES);   // position 0, limit = bytes
 *     ...
 * } finally {
 *     pool.give(set);
 * }
 * }</pre>
 */
final class DirectBufferPool {
    /** The largest buffer kept for reuse: 4 MiB, a batch of 1024 rows of 1024 floats. */
    static final int MAX_POOLED_BYTES = 4 << 20;
    /** Slots are this many references apart, so that two threads' slots are not on one cache line. */
    private static final int SPACING = 16;

    /** One thread's buffers and the input tensors over them, one of each per input tensor of the graph. */
    static final class TensorSet {
        final ByteBuffer[] buffers;
        final OnnxTensor[] tensors;
        /** Per tensor, the rows of its shape. */
        final int[] rows;

        private TensorSet(int n) {
            buffers = new ByteBuffer[n];
            tensors = new OnnxTensor[n];
            rows = new int[n];
        }

        /** Whether {@code tensor} is kept by this set (and must not be closed after the call). */
        boolean owns(int t, OnnxTensor tensor) {
            return tensors[t] == tensor;
        }

        void close() {
            for (int t = 0; t < tensors.length; t++) {
                if (tensors[t] != null) {
                    tensors[t].close();
                    tensors[t] = null;
                }
            }
        }
    }

    private final int tensors;
    private final int mask;
    private final AtomicReferenceArray<TensorSet> slots;
    private volatile boolean closed;

    /** @param tensors the number of input tensors of the graph */
    DirectBufferPool(int tensors) {
        this.tensors = tensors;
        int n = Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
        this.mask = n - 1;
        this.slots = new AtomicReferenceArray<>(n * SPACING);
    }

    private int slot() {
        return ((int) Thread.currentThread().getId() & mask) * SPACING;
    }

    /** The calling thread's set; give it back with {@link #give} after the call. */
    TensorSet take() {
        TensorSet set = slots.getAndSet(slot(), null);
        return set != null ? set : new TensorSet(tensors);
    }

    /** Keeps a set for the next call of this thread; closes its tensors when its slot is taken or the pool closed. */
    void give(TensorSet set) {
        if (closed || !slots.compareAndSet(slot(), null, set)) {
            set.close();
        }
    }

    /**
     * Buffer {@code t} of the set with room for {@code bytes}, position 0 and limit {@code bytes}; a
     * buffer too big to keep is allocated for this call only, on the heap (ONNX Runtime then copies it
     * into native memory it frees when the tensor is closed, instead of direct memory that waits for a GC).
     */
    ByteBuffer buffer(TensorSet set, int t, int bytes) {
        if (bytes > MAX_POOLED_BYTES) {
            return ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer b = set.buffers[t];
        if (b == null || b.capacity() < bytes) {
            if (set.tensors[t] != null) {
                set.tensors[t].close(); // it points into the old buffer
                set.tensors[t] = null;
            }
            b = ByteBuffer.allocateDirect(Math.max(bytes, 64)).order(ByteOrder.nativeOrder());
            set.buffers[t] = b;
        }
        b.clear().limit(bytes);
        return b;
    }

    /** Closes every kept tensor and drops the buffers (the model is closed, no call is in flight). */
    void close() {
        closed = true;
        for (int i = 0; i < slots.length(); i++) {
            TensorSet set = slots.getAndSet(i, null);
            if (set != null) {
                set.close();
            }
        }
    }
}

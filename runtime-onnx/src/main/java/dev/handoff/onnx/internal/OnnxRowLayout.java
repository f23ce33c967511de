package dev.handoff.onnx.internal;

import dev.handoff.onnx.internal.OnnxTreeLayout.NotCoveredException;

import java.util.Arrays;

/**
 * The operators that only move values within a row, on row shapes (a tensor's dimensions after the batch
 * dimension): the shape {@code Reshape}, {@code Flatten}, {@code Squeeze} and {@code Unsqueeze} give (the values stay
 * where they are), and for {@code Concat}, {@code Gather} and {@code ArrayFeatureExtractor} the position each output
 * value is copied from. Whatever would move values between rows, or that ONNX Runtime refuses, is not covered.
 *
 * <pre>{@code
 * long[] row = OnnxRowLayout.reshape(new long[] {-1, 11}, new long[] {1, 11}, false);   // [11]
 * OnnxRowLayout.Copy c = OnnxRowLayout.concat(1, new long[][] {{5}, {11}}, new int[] {0, 5});
 * }</pre>
 */
final class OnnxRowLayout {
    private OnnxRowLayout() {
    }

    /** The values of a copying operator: its row shape and, for each output value, the register it comes from. */
    record Copy(long[] shape, int[] from) {
    }

    /** The number of values of a row of this shape; shapes are checked on the way in ({@link #MAX_WIDTH}). */
    static int width(long[] shape) {
        long w = 1;
        for (long d : shape) {
            w *= d;
        }
        return (int) w;
    }

    /** The most values a planned row may hold in all: a guard against a hostile model, far above any converter's. */
    static final int MAX_WIDTH = 1 << 22;

    /** Whether every dimension is positive and the row holds at most {@link #MAX_WIDTH} values. */
    static boolean plannable(long[] shape) {
        long w = 1;
        for (long d : shape) {
            if (d < 1 || d > MAX_WIDTH) {
                return false;
            }
            w *= d;
            if (w > MAX_WIDTH) {
                return false;
            }
        }
        return true;
    }

    /** {@code Reshape} to {@code target} (the first entry 0 or -1 so that the batch dimension stays). */
    static long[] reshape(long[] target, long[] shape, boolean allowZero) throws NotCoveredException {
        int width = width(shape);
        if (target.length < 1 || (target[0] != 0 && target[0] != -1) || (target[0] == 0 && allowZero)) {
            throw new NotCoveredException("ONNX op Reshape to " + Arrays.toString(target) + " not covered (the batch dimension must stay)");
        }
        long[] row = new long[target.length - 1];
        int inferred = -1;
        long known = 1;
        for (int i = 1; i < target.length; i++) {
            long d = target[i];
            if (d == 0 && !allowZero && i - 1 < shape.length) {
                d = shape[i - 1];
            } else if (d == -1 && inferred < 0 && target[0] == 0) {
                inferred = i - 1;
                continue;
            } else if (d < 1) {
                throw new NotCoveredException("ONNX op Reshape to " + Arrays.toString(target) + " not covered");
            }
            row[i - 1] = d;
            known *= d;
        }
        if (inferred >= 0) {
            if (known == 0 || width % known != 0) {
                throw new NotCoveredException("ONNX op Reshape to " + Arrays.toString(target) + " not covered");
            }
            row[inferred] = width / known;
            known *= row[inferred];
        }
        if (known != width) {
            throw new NotCoveredException("ONNX op Reshape of " + width + " values per row to " + Arrays.toString(target)
                    + " not covered (it would move values between rows)");
        }
        return row;
    }

    /** {@code Flatten} at axis 1: the row as one dimension. */
    static long[] flatten(long axis, long[] shape) throws NotCoveredException {
        if (axis != 1 && axis != 1 - (shape.length + 1)) {
            throw new NotCoveredException("ONNX op Flatten with axis " + axis + " not covered (1 is)");
        }
        return new long[] {width(shape)};
    }

    static long[] squeeze(long[] axes, long[] shape) throws NotCoveredException {
        int rank = shape.length + 1;
        boolean[] drop = new boolean[rank];
        for (long axis : axes) {
            long k = axis < 0 ? axis + rank : axis;
            if (k < 1 || k >= rank || shape[(int) k - 1] != 1) {
                throw new NotCoveredException("ONNX op Squeeze of axis " + axis + " of row shape " + Arrays.toString(shape) + " not covered");
            }
            drop[(int) k] = true;
        }
        return java.util.stream.IntStream.range(1, rank).filter(k -> !drop[k]).mapToLong(k -> shape[k - 1]).toArray();
    }

    static long[] unsqueeze(long[] axes, long[] shape) throws NotCoveredException {
        int rank = shape.length + 1 + axes.length;
        boolean[] add = new boolean[rank];
        for (long axis : axes) {
            long k = axis < 0 ? axis + rank : axis;
            if (k < 1 || k >= rank || add[(int) k]) {
                throw new NotCoveredException("ONNX op Unsqueeze of axis " + axis + " not covered (the batch dimension must stay first)");
            }
            add[(int) k] = true;
        }
        long[] row = new long[rank - 1];
        int next = 0;
        for (int k = 1; k < rank; k++) {
            row[k - 1] = add[k] ? 1 : shape[next++];
        }
        return row;
    }

    /** {@code Concat} along {@code axis} (of the whole tensor) of the values at {@code offsets}, of equal rank. */
    static Copy concat(long axis, long[][] shapes, int[] offsets) throws NotCoveredException {
        long[] first = shapes[0];
        int rank = first.length + 1;
        long k = axis < 0 ? axis + rank : axis;
        if (k < 1 || k >= rank) {
            throw new NotCoveredException("ONNX op Concat along axis " + axis + " of rank " + rank + " not covered");
        }
        int at = (int) k - 1;
        long total = 0;
        for (long[] s : shapes) {
            for (int d = 0; d < s.length; d++) {
                if (s.length != first.length || d != at && s[d] != first[d]) {
                    throw new NotCoveredException("ONNX op Concat of row shapes " + Arrays.toString(first) + " and "
                            + Arrays.toString(s) + " not covered");
                }
            }
            total += s[at];
        }
        long[] shape = first.clone();
        shape[at] = total;
        int outer = width(Arrays.copyOfRange(shape, 0, at));
        int[] from = new int[width(shape)];
        int n = 0;
        for (int o = 0; o < outer; o++) {
            for (int p = 0; p < shapes.length; p++) {
                int inner = width(Arrays.copyOfRange(shapes[p], at, shapes[p].length));
                for (int i = 0; i < inner; i++) {
                    from[n++] = offsets[p] + o * inner + i;
                }
            }
        }
        return new Copy(shape, from);
    }

    /** {@code Gather} along {@code axis} (not the batch one) with constant {@code indices} of dimensions {@code indexDims}. */
    static Copy gather(long axis, long[] shape, int offset, long[] indices, long[] indexDims) throws NotCoveredException {
        int rank = shape.length + 1;
        long k = axis < 0 ? axis + rank : axis;
        if (k < 1 || k >= rank) {
            throw new NotCoveredException("ONNX op Gather along axis " + axis + " not covered (only within a row)");
        }
        int at = (int) k - 1;
        long dim = shape[at];
        long[] idx = indices.clone();
        for (int i = 0; i < idx.length; i++) {
            long j = idx[i] < 0 ? idx[i] + dim : idx[i];
            if (j < 0 || j >= dim) {
                throw new NotCoveredException("ONNX op Gather index " + idx[i] + " out of range " + dim);
            }
            idx[i] = j;
        }
        long[] before = Arrays.copyOfRange(shape, 0, at);
        long[] after = Arrays.copyOfRange(shape, at + 1, shape.length);
        long[] out = new long[before.length + indexDims.length + after.length];
        System.arraycopy(before, 0, out, 0, before.length);
        System.arraycopy(indexDims, 0, out, before.length, indexDims.length);
        System.arraycopy(after, 0, out, before.length + indexDims.length, after.length);
        int outer = width(before);
        int inner = width(after);
        int[] from = new int[width(out)];
        int n = 0;
        for (int o = 0; o < outer; o++) {
            for (long j : idx) {
                for (int i = 0; i < inner; i++) {
                    from[n++] = offset + (int) ((o * dim + j) * inner + i);
                }
            }
        }
        return new Copy(out, from);
    }

    /**
     * {@code ArrayFeatureExtractor}: the last dimension's values at {@code indices}. ONNX Runtime checks only
     * {@code index < stride} and reads before the row for a negative one, so that is not covered.
     */
    static Copy arrayFeatureExtractor(long[] shape, int offset, long[] indices) throws NotCoveredException {
        if (shape.length < 1) {
            throw new NotCoveredException("ONNX op ArrayFeatureExtractor on a [N] tensor not covered (ONNX Runtime gives [1, k])");
        }
        long stride = shape[shape.length - 1];
        if (indices.length == 0) {
            throw new NotCoveredException("ONNX op ArrayFeatureExtractor without indices");
        }
        for (long j : indices) {
            if (j < 0 || j >= stride) {
                throw new NotCoveredException("ONNX op ArrayFeatureExtractor index " + j + " out of range " + stride);
            }
        }
        long[] out = shape.clone();
        out[out.length - 1] = indices.length;
        int outer = width(shape) / (int) stride;
        int[] from = new int[width(out)];
        int n = 0;
        for (int o = 0; o < outer; o++) {
            for (long j : indices) {
                from[n++] = offset + (int) (o * stride + j);
            }
        }
        return new Copy(out, from);
    }

    /**
     * A constant of dimensions {@code dims} broadcast over a row of shape {@code shape} (numpy rules, aligned on the
     * right): the constant's value for each value of the row. Covered when the constant does not widen the tensor and
     * is the same for every row (size 1 along the batch dimension).
     */
    static double[] broadcast(double[] values, long[] dims, long[] shape, String op) throws NotCoveredException {
        int rank = shape.length + 1;
        if (dims.length > rank) {
            throw new NotCoveredException("ONNX op " + op + " with a constant of rank " + dims.length + " over rank " + rank + " not covered");
        }
        long[] stride = new long[dims.length];
        long step = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            int position = rank - dims.length + i;
            boolean fits = dims[i] == 1 || position > 0 && dims[i] == shape[position - 1];
            if (!fits) {
                throw new NotCoveredException("ONNX op " + op + " with a constant of dimensions " + Arrays.toString(dims)
                        + " over row shape " + Arrays.toString(shape) + " not covered");
            }
            stride[i] = dims[i] == 1 ? 0 : step;
            step *= dims[i];
        }
        double[] out = new double[width(shape)];
        int[] index = new int[shape.length];
        for (int j = 0; j < out.length; j++) {
            long at = 0;
            for (int i = 0; i < dims.length; i++) {
                int position = rank - dims.length + i;
                if (position > 0) {
                    at += index[position - 1] * stride[i];
                }
            }
            out[j] = values[(int) at];
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }
}

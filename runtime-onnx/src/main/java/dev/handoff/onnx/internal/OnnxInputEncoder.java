package dev.handoff.onnx.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.handoff.InputField;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.ValueType;
import dev.handoff.spi.InputColumns;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns bound input columns into ONNX Runtime tensors: one {@code [N, 1]} (or {@code [N]}) tensor per
 * column, or one {@code [N, ...]} tensor filled from named feature columns or from an array per row.
 */
final class OnnxInputEncoder {

    /**
     * One graph input and the Handoff input fields that fill it, in tensor-column order: one field per value of a
     * row (named features, or a {@code [N, 1]} input), or one field holding the row's {@code width} values.
     */
    record TensorPlan(String name, OnnxJavaType type, long[] rowShape, int width, int[] fields) {

        /** Value {@code j} of row {@code row} of a FLOAT, DOUBLE or BOOL input, as the encoder reads it (NaN = missing). */
        double doubleAt(InputColumns columns, int row, int j) {
            return fields.length == width ? columns.doubleAt(fields[j], row) : columns.doubleAt(fields[0], row * width + j);
        }

        /** Value {@code j} of row {@code row} of an INT32 or INT64 input. */
        long longAt(InputColumns columns, int row, int j) {
            return fields.length == width ? columns.longs(fields[j])[row] : columns.longs(fields[0])[row * width + j];
        }

        /** Row {@code row} of a STRING input (one value per row). */
        String stringAt(InputColumns columns, int row) {
            return columns.strings(fields[0])[row];
        }
    }

    private final List<TensorPlan> tensors;
    private final List<InputField> fields;
    /** The batch size the graph fixes (its first dimension), or -1 when the batch dimension is dynamic. */
    private final int fixedBatch;

    private OnnxInputEncoder(List<TensorPlan> tensors, List<InputField> fields, int fixedBatch) {
        this.tensors = tensors;
        this.fields = fields;
        this.fixedBatch = fixedBatch;
    }

    /**
     * Plans the encoding of the graph's inputs.
     *
     * @param featureNames names of a single-tensor model's columns (may be empty)
     * @throws IllegalArgumentException with a message for the user when the inputs cannot be served
     */
    static OnnxInputEncoder plan(Map<String, NodeInfo> inputs, List<String> featureNames) {
        List<TensorPlan> tensors = new ArrayList<>();
        List<InputField> fields = new ArrayList<>();
        int fixedBatch = -1;
        if (!featureNames.isEmpty() && inputs.size() != 1) {
            throw new IllegalArgumentException("featureNames are for models with one input tensor, but this model has "
                    + inputs.size() + " inputs " + inputs.keySet() + ": records are keyed by those names already");
        }
        for (NodeInfo node : inputs.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new IllegalArgumentException("input '" + node.getName() + "' is a " + node.getInfo()
                        + "; only tensor inputs are supported");
            }
            OnnxJavaType type = info.type;
            ValueType valueType = valueType(node.getName(), type);
            long[] shape = info.getShape();
            if (shape.length == 0) {
                throw new IllegalArgumentException("input '" + node.getName() + "' is a scalar tensor without a batch dimension; "
                        + "Handoff needs a first (batch) dimension");
            }
            if (shape[0] > 0) {
                if (fixedBatch > 0 && fixedBatch != shape[0]) {
                    throw new IllegalArgumentException("inputs fix different batch sizes (" + fixedBatch + " and " + shape[0] + ")");
                }
                fixedBatch = (int) shape[0];
            }
            long[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
            for (long d : rowShape) {
                if (d < 1) {
                    throw new IllegalArgumentException("input '" + node.getName() + "' has shape " + Arrays.toString(shape)
                            + " with a dynamic dimension after the batch dimension; only the batch dimension may be dynamic");
                }
            }
            int width = Math.toIntExact(Arrays.stream(rowShape).reduce(1, Math::multiplyExact));
            List<Long> rowShapeList = Arrays.stream(rowShape).boxed().toList();
            if (!featureNames.isEmpty()) {
                if (featureNames.size() != width) {
                    throw new IllegalArgumentException(featureNames.size() + " featureNames were given, but input '" + node.getName()
                            + "' has " + width + " values per row (shape " + Arrays.toString(shape) + ")");
                }
                if (type == OnnxJavaType.STRING) {
                    throw new IllegalArgumentException("featureNames need a numeric input tensor; '" + node.getName() + "' holds strings");
                }
                int[] indexes = new int[width];
                for (int j = 0; j < width; j++) {
                    indexes[j] = fields.size();
                    fields.add(InputField.scalar(featureNames.get(j), valueType, missingValues(type)));
                }
                tensors.add(new TensorPlan(node.getName(), type, rowShape, width, indexes));
            } else if (width == 1) {
                tensors.add(new TensorPlan(node.getName(), type, rowShape, 1, new int[] {fields.size()}));
                fields.add(InputField.scalar(node.getName(), valueType, missingValues(type)));
            } else {
                if (type == OnnxJavaType.STRING) {
                    throw new IllegalArgumentException("input '" + node.getName() + "' is a string tensor with " + width
                            + " values per row; string inputs must have one value per row");
                }
                tensors.add(new TensorPlan(node.getName(), type, rowShape, width, new int[] {fields.size()}));
                fields.add(new InputField(node.getName(), valueType, rowShapeList, List.of(), missingValues(type)));
            }
        }
        return new OnnxInputEncoder(List.copyOf(tensors), List.copyOf(fields), fixedBatch);
    }

    /** The Handoff input fields, in the order of {@link InputColumns}. */
    /** The inputs fed to an int32 tensor: their values must fit 32 bits. */
    java.util.Set<String> int32Inputs() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (TensorPlan plan : tensors) {
            if (plan.type() == OnnxJavaType.INT32) {
                for (int f : plan.fields()) {
                    names.add(fields.get(f).name());
                }
            }
        }
        return names;
    }

    List<InputField> fields() {
        return fields;
    }

    /** The batch size the graph fixes, or -1 when any number of rows can go in one run. */
    int fixedBatch() {
        return fixedBatch;
    }

    /** The number of input tensors, in the order of {@link #encode}'s result. */
    int tensorCount() {
        return tensors.size();
    }

    String tensorName(int t) {
        return tensors.get(t).name();
    }

    /** How graph input {@code name} is filled from the bound columns; null when the graph has no such input. */
    TensorPlan tensorPlan(String name) {
        for (TensorPlan plan : tensors) {
            if (plan.name().equals(name)) {
                return plan;
            }
        }
        return null;
    }

    /**
     * Creates the input tensors for rows {@code [from, from + count)} of the columns, padded to
     * {@code rows} rows with the last of them (for a graph that fixes its batch size). Numbers are
     * written once, straight from the columns into the direct buffers of {@code buffers}, which ONNX
     * Runtime reads in place; a tensor of the same shape as in this set's last call is reused. The
     * caller closes the tensors the set does not own ({@link DirectBufferPool.TensorSet#owns}).
     *
     */
    OnnxTensor[] encode(OrtEnvironment env, InputColumns columns, int from, int count, int rows, DirectBufferPool pool,
                        DirectBufferPool.TensorSet buffers) throws OrtException {
        OnnxTensor[] out = new OnnxTensor[tensors.size()];
        boolean done = false;
        try {
            for (int t = 0; t < out.length; t++) {
                out[t] = tensor(env, tensors.get(t), columns, from, count, rows, pool, buffers, t);
            }
            done = true;
            return out;
        } finally {
            if (!done) {
                for (int t = 0; t < out.length; t++) {
                    if (out[t] != null && !buffers.owns(t, out[t])) {
                        out[t].close();
                    }
                }
            }
        }
    }

    private OnnxTensor tensor(OrtEnvironment env, TensorPlan plan, InputColumns columns, int from, int count, int rows,
                              DirectBufferPool pool, DirectBufferPool.TensorSet buffers, int t)
            throws OrtException {
        if (plan.type() == OnnxJavaType.STRING) {
            String[] source = columns.strings(plan.fields()[0]);
            String[] values = new String[rows];
            for (int r = 0; r < rows; r++) {
                values[r] = source[from + Math.min(r, count - 1)]; // never null: a string tensor takes no missing value
            }
            return OnnxTensor.createTensor(env, values, shape(plan, rows));
        }
        int width = plan.width();
        int n = rows * width;
        int size = switch (plan.type()) {
            case DOUBLE, INT64 -> 8;
            case FLOAT, INT32 -> 4;
            default -> 1;
        };
        ByteBuffer buffer = pool.buffer(buffers, t, Math.multiplyExact(n, size));
        int[] fields = plan.fields();
        for (int c = 0; c < fields.length; c++) {
            // one field per tensor column (named features), or one field holding the whole row (an array per row)
            int field = fields[c];
            int fieldWidth = fields.length == 1 ? width : 1;
            int column = fields.length == 1 ? 0 : c;
            switch (plan.type()) {
                case FLOAT -> {
                    for (int r = 0; r < rows; r++) {
                        int source = (from + Math.min(r, count - 1)) * fieldWidth;
                        int target = (r * width + column) * 4;
                        for (int j = 0; j < fieldWidth; j++) {
                            buffer.putFloat(target + j * 4, (float) columns.doubleAt(field, source + j));
                        }
                    }
                }
                case DOUBLE -> {
                    for (int r = 0; r < rows; r++) {
                        int source = (from + Math.min(r, count - 1)) * fieldWidth;
                        int target = (r * width + column) * 8;
                        for (int j = 0; j < fieldWidth; j++) {
                            buffer.putDouble(target + j * 8, columns.doubleAt(field, source + j));
                        }
                    }
                }
                case INT64 -> {
                    long[] values = columns.longs(field);
                    for (int r = 0; r < rows; r++) {
                        int source = (from + Math.min(r, count - 1)) * fieldWidth;
                        int target = (r * width + column) * 8;
                        for (int j = 0; j < fieldWidth; j++) {
                            buffer.putLong(target + j * 8, values[source + j]);
                        }
                    }
                }
                case INT32 -> {
                    long[] values = columns.longs(field);
                    for (int r = 0; r < rows; r++) {
                        int source = (from + Math.min(r, count - 1)) * fieldWidth;
                        int target = (r * width + column) * 4;
                        for (int j = 0; j < fieldWidth; j++) {
                            buffer.putInt(target + j * 4, int32(plan, values[source + j]));
                        }
                    }
                }
                case BOOL -> {
                    for (int r = 0; r < rows; r++) {
                        int source = (from + Math.min(r, count - 1)) * fieldWidth;
                        int target = r * width + column;
                        for (int j = 0; j < fieldWidth; j++) {
                            buffer.put(target + j, (byte) (columns.doubleAt(field, source + j) != 0 ? 1 : 0));
                        }
                    }
                }
                default -> throw new dev.handoff.ScoringException("unplanned tensor type " + plan.type());
            }
        }
        if (!buffer.isDirect()) {
            return OnnxTensor.createTensor(env, buffer, shape(plan, rows), plan.type()); // too big to keep: ONNX Runtime copies it
        }
        OnnxTensor kept = buffers.tensors[t];
        if (kept != null && buffers.rows[t] == rows) {
            return kept; // the same shape over the same buffer: the new numbers are already in place
        }
        if (kept != null) {
            kept.close();
        }
        OnnxTensor created = OnnxTensor.createTensor(env, buffer, shape(plan, rows), plan.type());
        buffers.tensors[t] = created;
        buffers.rows[t] = rows;
        return created;
    }

    private static long[] shape(TensorPlan plan, int rows) {
        long[] shape = new long[plan.rowShape().length + 1];
        shape[0] = rows;
        System.arraycopy(plan.rowShape(), 0, shape, 1, plan.rowShape().length);
        return shape;
    }

    /**
     * An int32 value. Binding has refused every value that does not fit ({@code ScoringEngine.int32Inputs}),
     * so one that reaches here is Handoff's bug, not the record's.
     */
    private static int int32(TensorPlan plan, long value) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new dev.handoff.ScoringException("value " + value + " reached the INT32 input '" + plan.name()
                    + "' although binding refuses what does not fit 32 bits");
        }
        return (int) value;
    }

    private static MissingValueTreatment missingValues(OnnxJavaType type) {
        // Float tensors carry a missing value as NaN (skl2onnx imputers and tree ensembles read it);
        // integer, boolean and string tensors have no missing marker.
        return type == OnnxJavaType.FLOAT || type == OnnxJavaType.DOUBLE
                ? MissingValueTreatment.MODEL_HANDLES : MissingValueTreatment.NOT_ACCEPTED;
    }

    private static ValueType valueType(String input, OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> ValueType.FLOAT;
            case DOUBLE -> ValueType.DOUBLE;
            case INT32, INT64 -> ValueType.INTEGER;
            case BOOL -> ValueType.BOOLEAN;
            case STRING -> ValueType.STRING;
            default -> throw new IllegalArgumentException("input '" + input + "' has element type " + type
                    + "; supported input types are float, double, int32, int64, bool and string");
        };
    }
}

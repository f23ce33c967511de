package dev.handoff.onnx.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.MissingValueTreatment;
import dev.handoff.ValueType;
import dev.handoff.spi.InputColumns;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns bound input columns into ONNX Runtime tensors: one {@code [N, 1]} (or {@code [N]}) tensor per
 * column, or one {@code [N, ...]} tensor filled from named feature columns or from an array per row.
 */
final class OnnxInputEncoder {

    /** One graph input and the Handoff input fields that fill it, in tensor-column order. */
    private record TensorPlan(String name, OnnxJavaType type, long[] rowShape, int width, int[] fields) {
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
    List<InputField> fields() {
        return fields;
    }

    /** The batch size the graph fixes, or -1 when any number of rows can go in one run. */
    int fixedBatch() {
        return fixedBatch;
    }

    /**
     * Creates the tensors for rows {@code rows[0..count)} of the columns (a row may repeat, to pad a
     * fixed batch). The caller closes them.
     *
     * @param rejected receives the rows whose value does not fit the tensor's type (an int32 overflow)
     */
    Map<String, OnnxTensor> encode(OrtEnvironment env, InputColumns columns, int[] rows, int count,
                                   List<InvalidInputException> rejected) throws OrtException {
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        boolean done = false;
        try {
            for (TensorPlan plan : tensors) {
                out.put(plan.name(), tensor(env, plan, columns, rows, count, rejected));
            }
            done = true;
            return out;
        } finally {
            if (!done) {
                out.values().forEach(OnnxTensor::close);
            }
        }
    }

    private OnnxTensor tensor(OrtEnvironment env, TensorPlan plan, InputColumns columns, int[] rows, int count,
                              List<InvalidInputException> rejected) throws OrtException {
        long[] shape = new long[plan.rowShape().length + 1];
        shape[0] = count;
        System.arraycopy(plan.rowShape(), 0, shape, 1, plan.rowShape().length);
        int width = plan.width();
        int n = count * width;
        if (plan.type() == OnnxJavaType.STRING) {
            String[] source = columns.strings(plan.fields()[0]);
            String[] values = new String[count];
            for (int r = 0; r < count; r++) {
                values[r] = source[rows[r]]; // never null: Handoff rejects a missing value for a string tensor
            }
            return OnnxTensor.createTensor(env, values, shape);
        }
        switch (plan.type()) {
            case FLOAT -> {
                float[] values = new float[n];
                fill(plan, columns, rows, count, (i, v) -> values[i] = (float) v);
                return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
            }
            case DOUBLE -> {
                double[] values = new double[n];
                fill(plan, columns, rows, count, (i, v) -> values[i] = v);
                return OnnxTensor.createTensor(env, DoubleBuffer.wrap(values), shape);
            }
            case INT64 -> {
                long[] values = new long[n];
                fill(plan, columns, rows, count, (i, v) -> values[i] = (long) v);
                return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
            }
            case INT32 -> {
                int[] values = new int[n];
                fill(plan, columns, rows, count, (i, v) -> values[i] = int32(plan, i, rows, v, rejected));
                return OnnxTensor.createTensor(env, IntBuffer.wrap(values), shape);
            }
            case BOOL -> {
                ByteBuffer values = ByteBuffer.allocate(n).order(ByteOrder.nativeOrder());
                fill(plan, columns, rows, count, (i, v) -> values.put(i, (byte) (v != 0 ? 1 : 0)));
                return OnnxTensor.createTensor(env, values, shape, OnnxJavaType.BOOL);
            }
            default -> throw new dev.handoff.ScoringException("unplanned tensor type " + plan.type());
        }
    }

    @FunctionalInterface
    private interface Sink {
        void put(int index, double value);
    }

    /** Copies the given rows of the plan's columns into the tensor, row-major. */
    private static void fill(TensorPlan plan, InputColumns columns, int[] rows, int count, Sink sink) {
        int width = plan.width();
        int[] fields = plan.fields();
        if (fields.length == 1) {
            double[] column = columns.doubles(fields[0]);
            for (int r = 0; r < count; r++) {
                int offset = rows[r] * width;
                for (int j = 0; j < width; j++) {
                    sink.put(r * width + j, column[offset + j]);
                }
            }
        } else {
            for (int j = 0; j < fields.length; j++) {
                double[] column = columns.doubles(fields[j]);
                for (int r = 0; r < count; r++) {
                    sink.put(r * width + j, column[rows[r]]);
                }
            }
        }
    }

    /** An int32 value; one that does not fit rejects its row, which is scored with 0 and then dropped. */
    private int int32(TensorPlan plan, int index, int[] rows, double value, List<InvalidInputException> rejected) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            int row = rows[index / plan.width()];
            rejected.add(new InvalidInputException(fieldName(plan, index), (long) value, row, "value " + (long) value
                    + " does not fit the model's INT32 input '" + plan.name() + "' (" + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE + ")"));
            return 0;
        }
        return (int) value;
    }

    private String fieldName(TensorPlan plan, int index) {
        int field = plan.fields().length == 1 ? plan.fields()[0] : plan.fields()[index % plan.width()];
        return fields.get(field).name();
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

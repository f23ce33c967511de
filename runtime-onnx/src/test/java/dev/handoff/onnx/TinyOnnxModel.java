package dev.handoff.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models in code (protobuf wire format by hand), for the input and output types
 * and shapes that no exported corpus model has: int32, int64, bool and double tensors, fixed batch
 * sizes, dynamic inner dimensions, unknown operators, and a linear regression without an imputer.
 *
 * <pre>{@code
 * byte[] model = new TinyOnnxModel()
 *         .input("count", TinyOnnxModel.INT64, -1, 1)
 *         .output("count_out", TinyOnnxModel.INT64, -1, 1)
 *         .node("Identity", "count", "count_out")
 *         .bytes();
 * }</pre>
 */
final class TinyOnnxModel {
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int STRING = 8;
    static final int BOOL = 9;
    static final int DOUBLE = 11;

    /** A dimension written as a symbolic name (dynamic). */
    static final long DYNAMIC = -1;

    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private String producer = "handoff-tests";

    /**
     * {@code y = x . weights + bias}: input {@code x} float {@code [batch, weights.length]}, output
     * {@code y} float {@code [batch, 1]} (MatMul and Add on constant initializers). No imputer: a NaN
     * in {@code x} gives a NaN {@code y}.
     *
     * @param batch the batch dimension, or {@link #DYNAMIC}
     */
    static TinyOnnxModel linearRegression(long batch, float bias, float... weights) {
        return new TinyOnnxModel()
                .input("x", FLOAT, batch, weights.length)
                .initializer("w", new long[] {weights.length, 1}, weights)
                .initializer("b", new long[] {1}, bias)
                .node("MatMul", List.of("x", "w"), "xw")
                .node("Add", List.of("xw", "b"), "y")
                .output("y", FLOAT, batch, 1);
    }

    TinyOnnxModel input(String name, int elemType, long... dims) {
        inputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    TinyOnnxModel output(String name, int elemType, long... dims) {
        outputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    TinyOnnxModel node(String opType, String input, String output) {
        return node(opType, List.of(input), output);
    }

    TinyOnnxModel node(String opType, List<String> inputs, String output) {
        Message node = new Message();
        inputs.forEach(i -> node.string(1, i));
        node.string(2, output).string(4, opType);
        nodes.add(node.bytes());
        return this;
    }

    /** A constant float tensor (TensorProto with raw little-endian data). */
    TinyOnnxModel initializer(String name, long[] dims, float... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        Message tensor = new Message();
        for (long d : dims) {
            tensor.varint(1, d);                   // dims
        }
        tensor.varint(2, FLOAT).string(8, name).message(9, raw.array()); // data_type, name, raw_data
        initializers.add(tensor.bytes());
        return this;
    }

    /** The model's {@code producer_name} (default {@code handoff-tests}). */
    TinyOnnxModel producer(String name) {
        this.producer = name;
        return this;
    }

    byte[] bytes() {
        Message graph = new Message();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, "tiny");
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        return new Message()
                .varint(1, 8)                                                   // ir_version
                .string(2, producer)                                            // producer_name
                .message(7, graph.bytes())                                      // graph
                .message(8, new Message().string(1, "").varint(2, 13).bytes())  // opset_import: ai.onnx 13
                .bytes();
    }

    private static byte[] valueInfo(String name, int elemType, long... dims) {
        Message shape = new Message();
        for (long d : dims) {
            shape.message(1, d == DYNAMIC ? new Message().string(2, "n").bytes() : new Message().varint(1, d).bytes());
        }
        Message tensor = new Message().varint(1, elemType).message(2, shape.bytes());
        return new Message().string(1, name).message(2, new Message().message(1, tensor.bytes()).bytes()).bytes();
    }

    /** A protobuf message under construction: fields appended in order. */
    private static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            raw((long) field << 3);
            raw(value);
            return this;
        }

        Message string(int field, String value) {
            return message(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, byte[] payload) {
            raw(((long) field << 3) | 2);
            raw(payload.length);
            out.writeBytes(payload);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}

package dev.handoff.onnx.internal;

import dev.handoff.onnx.internal.OnnxTreeLayout.NotCoveredException;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.INT32;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.INT64;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.typeName;

/**
 * A node's attributes by name, read with ONNX's defaults (an absent list is empty), and the integer constants
 * (initializers) some operators take as inputs.
 *
 * <pre>{@code
 * Map<String, AttributeProto> a = OnnxNodeAttributes.of(node);
 * long axis = OnnxNodeAttributes.intAttr(a, "axis", 1);
 * }</pre>
 */
final class OnnxNodeAttributes {
    private OnnxNodeAttributes() {
    }

    static Map<String, AttributeProto> of(dev.handoff.onnx.internal.proto.NodeProto node) {
        Map<String, AttributeProto> a = new HashMap<>();
        for (AttributeProto attribute : node.getAttributeList()) {
            a.put(attribute.getName(), attribute);
        }
        return a;
    }

    /** The values of an int64 or int32 initializer. */
    static long[] tensorInts(TensorProto t, String op) throws NotCoveredException {
        long count = 1;
        for (long d : t.getDimsList()) {
            count *= d;
        }
        if (count > 1 << 20 || t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new NotCoveredException("ONNX op " + op + " with this constant not covered");
        }
        long[] out = new long[(int) count];
        if (t.getDataType() == INT64 && t.getInt64DataCount() == count) {
            for (int i = 0; i < out.length; i++) {
                out[i] = t.getInt64Data(i);
            }
        } else if (t.getDataType() == INT32 && t.getInt32DataCount() == count) {
            for (int i = 0; i < out.length; i++) {
                out[i] = t.getInt32Data(i);
            }
        } else if ((t.getDataType() == INT64 || t.getDataType() == INT32) && t.getRawData().size() == count * (t.getDataType() == INT64 ? 8 : 4)) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < out.length; i++) {
                out[i] = t.getDataType() == INT64 ? raw.getLong() : raw.getInt();
            }
        } else {
            throw new NotCoveredException("ONNX op " + op + " with a constant of type " + typeName(t.getDataType()) + " not covered");
        }
        return out;
    }

    static long intAttr(Map<String, AttributeProto> a, String name, long otherwise) {
        AttributeProto attribute = a.get(name);
        return attribute == null ? otherwise : attribute.getI();
    }

    static long[] ints(Map<String, AttributeProto> a, String name) {
        AttributeProto attribute = a.get(name);
        if (attribute == null) {
            return new long[0];
        }
        long[] out = new long[attribute.getIntsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = attribute.getInts(i); // no boxing: big trees have thousands of ids per list
        }
        return out;
    }

    static float[] floats(Map<String, AttributeProto> a, String name) {
        AttributeProto attribute = a.get(name);
        float[] out = new float[attribute == null ? 0 : attribute.getFloatsCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = attribute.getFloats(i);
        }
        return out;
    }

    static List<String> strings(Map<String, AttributeProto> a, String name) {
        AttributeProto attribute = a.get(name);
        if (attribute == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(attribute.getStringsCount());
        for (int i = 0; i < attribute.getStringsCount(); i++) {
            out.add(attribute.getStrings(i).toStringUtf8());
        }
        return out;
    }


    /** The values of a float or double constant, as doubles (a float widens exactly). */
    static double[] tensorReals(TensorProto t, String op) throws NotCoveredException {
        long count = 1;
        for (long d : t.getDimsList()) {
            count *= d;
        }
        if (count > 1 << 20 || t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new NotCoveredException("ONNX op " + op + " with this constant not covered");
        }
        double[] out = new double[(int) count];
        boolean isFloat = t.getDataType() == TensorProto.DataType.FLOAT_VALUE;
        if (isFloat && t.getFloatDataCount() == count) {
            for (int i = 0; i < out.length; i++) {
                out[i] = t.getFloatData(i);
            }
        } else if (!isFloat && t.getDoubleDataCount() == count) {
            for (int i = 0; i < out.length; i++) {
                out[i] = t.getDoubleData(i);
            }
        } else if (t.getRawData().size() == count * (isFloat ? 4 : 8)) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < out.length; i++) {
                out[i] = isFloat ? raw.getFloat() : raw.getDouble();
            }
        } else {
            throw new NotCoveredException("ONNX op " + op + " with a constant of " + t.getRawData().size() + " bytes for " + count + " values");
        }
        return out;
    }
}

package dev.handoff.onnx.internal;

import dev.handoff.onnx.internal.OnnxPreprocessingSteps.LabelTable;
import dev.handoff.onnx.internal.OnnxTreeLayout.NotCoveredException;
import dev.handoff.onnx.internal.proto.AttributeProto;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.handoff.onnx.internal.OnnxNodeAttributes.floats;
import static dev.handoff.onnx.internal.OnnxNodeAttributes.ints;
import static dev.handoff.onnx.internal.OnnxNodeAttributes.strings;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.FLOAT;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.INT64;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.STRING;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.typeName;

/**
 * Reads a {@code LabelEncoder}'s attributes into the lookup table its step uses, as ONNX Runtime 1.28 builds its map
 * ({@code onnxruntime/core/providers/cpu/ml/label_encoder.h|cc}): opset 1 maps {@code classes_strings} to their last
 * position (and a position back to its string); opsets 2 to 4 keep the first value of equal keys ({@code emplace});
 * float keys are equal when {@code ==} ({@code -0} is {@code 0}); a NaN key is found by a NaN from opset 4 only; an
 * absent {@code default_float} is {@code -0}, {@code default_int64} {@code -1}, {@code default_string} {@code "_Unused"}.
 *
 * <pre>{@code
 * OnnxLabelEncoding.Encoding e = OnnxLabelEncoding.read(OnnxNodeAttributes.of(node), 2, OnnxPreprocessingPlanner.STRING);
 * }</pre>
 */
final class OnnxLabelEncoding {
    private OnnxLabelEncoding() {
    }

    /** The table and the element type of the encoder's output. */
    record Encoding(LabelTable table, int valueType) {
    }

    static Encoding read(Map<String, AttributeProto> a, long mlOpset, int inputType) throws NotCoveredException {
        for (String name : a.keySet()) {
            if (name.endsWith("_tensor") || name.endsWith("_doubles")) {
                throw new NotCoveredException("ONNX op LabelEncoder attribute " + name + " not covered");
            }
        }
        if (mlOpset <= 1) {
            return readV1(a, inputType);
        }
        String keyKind = oneOf(a, "keys_strings", "keys_int64s", "keys_floats");
        String valueKind = oneOf(a, "values_strings", "values_int64s", "values_floats");
        int keyType = keyKind.equals("keys_strings") ? STRING : keyKind.equals("keys_int64s") ? INT64 : FLOAT;
        int valueType = valueKind.equals("values_strings") ? STRING : valueKind.equals("values_int64s") ? INT64 : FLOAT;
        if (inputType != keyType) {
            throw new NotCoveredException("ONNX op LabelEncoder with " + keyKind + " on " + typeName(inputType) + " not covered");
        }
        List<String> keyStrings = strings(a, "keys_strings");
        long[] keyLongs = keyType == INT64 ? ints(a, "keys_int64s") : new long[0];
        float[] keyFloats = floats(a, "keys_floats");
        int n = keyType == STRING ? keyStrings.size() : keyType == INT64 ? keyLongs.length : keyFloats.length;
        List<String> valueStrings = strings(a, "values_strings");
        long[] valueLongs = ints(a, "values_int64s");
        float[] valueFloats = floats(a, "values_floats");
        int m = valueType == STRING ? valueStrings.size() : valueType == INT64 ? valueLongs.length : valueFloats.length;
        if (n != m) {
            throw new NotCoveredException("ONNX op LabelEncoder with " + n + " keys and " + m + " values");
        }
        boolean v4 = mlOpset >= 4;
        Map<String, Integer> stringIndex = new HashMap<>();
        Map<Long, Integer> longIndex = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (keyType == STRING) {
                stringIndex.putIfAbsent(keyStrings.get(i), i); // emplace: the first of equal keys stays
            } else if (keyType == INT64) {
                longIndex.putIfAbsent(keyLongs[i], i);
            } else if (v4 || !Float.isNaN(keyFloats[i])) {
                longIndex.putIfAbsent(OnnxPreprocessingSteps.floatKey(keyFloats[i]), i);
            }
        }
        double[] reals = new double[valueType == FLOAT ? m : 0];
        for (int i = 0; i < reals.length; i++) {
            reals[i] = valueFloats[i];
        }
        // ONNX Runtime 1.28 answers -0 for every key type and opset when default_float is absent (the schema's default)
        float floatDefault = a.containsKey("default_float") ? a.get("default_float").getF() : -0f;
        LabelTable table = table(stringIndex, longIndex, v4, reals, valueLongs, valueStrings.toArray(new String[0]), floatDefault,
                a.containsKey("default_int64") ? a.get("default_int64").getI() : -1,
                a.containsKey("default_string") ? a.get("default_string").getS().toStringUtf8() : "_Unused");
        return new Encoding(table, valueType);
    }

    /** Opset 1: {@code classes_strings}, string to its (last) position, int64 position to its string. */
    private static Encoding readV1(Map<String, AttributeProto> a, int inputType) throws NotCoveredException {
        List<String> classes = strings(a, "classes_strings");
        long defaultInt = a.containsKey("default_int64") ? a.get("default_int64").getI() : -1;
        String defaultString = a.containsKey("default_string") ? a.get("default_string").getS().toStringUtf8() : "_Unused";
        Map<String, Integer> stringIndex = new HashMap<>();
        Map<Long, Integer> longIndex = new HashMap<>();
        long[] positions = new long[classes.size()];
        for (int i = 0; i < classes.size(); i++) {
            stringIndex.put(classes.get(i), i);
            longIndex.put((long) i, i);
            positions[i] = i;
        }
        int valueType;
        if (inputType == STRING) {
            valueType = INT64;
            longIndex.clear();
        } else if (inputType == INT64) {
            valueType = STRING;
            stringIndex.clear();
        } else {
            throw new NotCoveredException("ONNX op LabelEncoder (opset 1) on " + typeName(inputType) + " not covered");
        }
        LabelTable table = table(stringIndex, longIndex, false, new double[0], positions, classes.toArray(new String[0]), 0f,
                defaultInt, defaultString);
        return new Encoding(table, valueType);
    }

    private static LabelTable table(Map<String, Integer> strings, Map<Long, Integer> longs, boolean nanFindsNan, double[] reals,
                                    long[] longValues, String[] stringValues, float defaultReal, long defaultLong, String defaultString) {
        long[] keys = longs.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        int[] index = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            index[i] = longs.get(keys[i]);
        }
        return new LabelTable(new HashMap<>(strings), keys, index, nanFindsNan, reals, longValues, stringValues, defaultReal,
                defaultLong, defaultString);
    }

    private static String oneOf(Map<String, AttributeProto> a, String... names) throws NotCoveredException {
        String found = null;
        for (String name : names) {
            if (a.containsKey(name)) {
                if (found != null) {
                    throw new NotCoveredException("ONNX op LabelEncoder with both " + found + " and " + name);
                }
                found = name;
            }
        }
        if (found == null) {
            throw new NotCoveredException("ONNX op LabelEncoder without " + String.join(", ", names));
        }
        return found;
    }

}

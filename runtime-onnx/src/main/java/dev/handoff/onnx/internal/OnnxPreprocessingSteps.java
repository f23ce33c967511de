package dev.handoff.onnx.internal;

import dev.handoff.ScoringException;
import dev.handoff.internal.LogText;
import dev.handoff.onnx.internal.OnnxPreprocessing.Scratch;
import dev.handoff.onnx.internal.OnnxPreprocessing.Step;

import java.util.Arrays;
import java.util.Map;

import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.BOOL;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.DOUBLE;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.FLOAT;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.INT32;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.INT64;

/**
 * The preprocessing operators as steps over one row's registers, each in the arithmetic of ONNX Runtime 1.28's CPU
 * kernel (file names under {@code onnxruntime/core/providers/cpu/}):
 * <ul>
 *   <li>{@code ml/scaler.cc}: {@code (float)((x - offset) * scale)} with float offset and scale, so a float input is
 *       computed in float, a double input in double, an integer input converted to float first;</li>
 *   <li>{@code ml/imputer.cc}: NaN replaced when the replaced value is NaN, otherwise values {@code ==} to it
 *       (so {@code -0} too when it is {@code 0}); an imputed list of another length than the row's uses its first
 *       value for every column;</li>
 *   <li>{@code ml/onehotencoder.cc}: a category listed twice counts at its last position; a float or double is cast
 *       to int64 as the x86 conversion does (NaN and out of range give {@code Long.MIN_VALUE}); an unknown category
 *       with {@code zeros = 0} fails the run;</li>
 *   <li>{@code ml/label_encoder.cc}: opset 1 maps strings to their last position, opsets 2-4 keep a key's first
 *       value; float keys compare as {@code ==} ({@code -0} finds {@code 0}), NaN finds a NaN key from opset 4 only;</li>
 *   <li>{@code ml/normalizer.cc}: MAX, L1 and L2 in float, the L2 square taken in the input type, the sign put back
 *       by {@code * -1};</li>
 *   <li>{@code ml/feature_vectorizer.cc}: each input's row cast to float, cut or padded with zeros to its
 *       {@code inputdimensions} entry;</li>
 *   <li>{@code ml/binarizer.cc}: floats only, {@code x > threshold}, a NaN fails the run;</li>
 *   <li>{@code tensor/cast_op.cc}: numeric conversions as C++ {@code static_cast} on x86;</li>
 *   <li>{@code Add}, {@code Sub}, {@code Mul}, {@code Div} with a constant: one IEEE operation in the input's type.</li>
 * </ul>
 */
final class OnnxPreprocessingSteps {
    private OnnxPreprocessingSteps() {
    }

    /** Where a step reads and writes: a register file and an offset in it. */
    enum Register { REALS, LONGS, STRINGS }

    static Register register(int elemType) {
        return switch (elemType) {
            case FLOAT, DOUBLE -> Register.REALS;
            case INT64, INT32, BOOL -> Register.LONGS;
            default -> Register.STRINGS;
        };
    }

    /** Copies register elements: {@code dest[to + j] = src[from[j]]} (Concat, Gather, ArrayFeatureExtractor). */
    static Step gather(Register register, int[] from, int to) {
        return switch (register) {
            case REALS -> s -> {
                for (int j = 0; j < from.length; j++) {
                    s.reals[to + j] = s.reals[from[j]];
                }
            };
            case LONGS -> s -> {
                for (int j = 0; j < from.length; j++) {
                    s.longs[to + j] = s.longs[from[j]];
                }
            };
            case STRINGS -> s -> {
                for (int j = 0; j < from.length; j++) {
                    s.strings[to + j] = s.strings[from[j]];
                }
            };
        };
    }

    /** {@code Cast}: numeric to numeric (float, double, int64, int32, bool), or string to string. */
    static Step cast(int fromType, int toType, int from, int to, int width) {
        Register in = register(fromType);
        if (in == Register.STRINGS) {
            return gather(Register.STRINGS, range(from, width), to);
        }
        if (in == Register.REALS) {
            return switch (toType) {
                case FLOAT -> s -> {
                    for (int j = 0; j < width; j++) {
                        s.reals[to + j] = (float) s.reals[from + j];
                    }
                };
                case DOUBLE -> gather(Register.REALS, range(from, width), to);
                case INT64 -> s -> {
                    for (int j = 0; j < width; j++) {
                        s.longs[to + j] = toInt64(s.reals[from + j]);
                    }
                };
                case INT32 -> s -> {
                    for (int j = 0; j < width; j++) {
                        s.longs[to + j] = toInt32(s.reals[from + j]);
                    }
                };
                default -> s -> { // BOOL: x != 0, so NaN is true
                    for (int j = 0; j < width; j++) {
                        s.longs[to + j] = s.reals[from + j] != 0 ? 1 : 0;
                    }
                };
            };
        }
        return switch (toType) {
            case FLOAT -> s -> {
                for (int j = 0; j < width; j++) {
                    s.reals[to + j] = (float) s.longs[from + j];
                }
            };
            case DOUBLE -> s -> {
                for (int j = 0; j < width; j++) {
                    s.reals[to + j] = (double) s.longs[from + j];
                }
            };
            case INT64 -> gather(Register.LONGS, range(from, width), to);
            case INT32 -> s -> {
                for (int j = 0; j < width; j++) {
                    s.longs[to + j] = (int) s.longs[from + j];
                }
            };
            default -> s -> {
                for (int j = 0; j < width; j++) {
                    s.longs[to + j] = s.longs[from + j] != 0 ? 1 : 0;
                }
            };
        };
    }

    /** C++ {@code static_cast<int64_t>} of a float or double on x86 ({@code cvttsd2si}): the "integer indefinite" when it does not fit. */
    static long toInt64(double x) {
        return x >= -0x1p63 && x < 0x1p63 ? (long) x : Long.MIN_VALUE;
    }

    /** C++ {@code static_cast<int32_t>} on x86: {@code Integer.MIN_VALUE} when the truncated value does not fit. */
    static long toInt32(double x) {
        return x > -2147483649.0 && x < 2147483648.0 ? (int) x : Integer.MIN_VALUE;
    }

    /**
     * {@code Scaler}: {@code y = (float)((x - offset[k]) * scale[k])}, {@code k = j % period} or 0 when one offset
     * serves every column; float input in float, double in double, integers converted to float first.
     */
    static Step scaler(int inType, int from, int to, int width, float[] offset, float[] scale, int period) {
        int[] k = new int[width];
        for (int j = 0; j < width; j++) {
            k[j] = offset.length == 1 ? 0 : j % period;
        }
        return switch (inType) {
            case FLOAT -> s -> {
                for (int j = 0; j < width; j++) {
                    float x = (float) s.reals[from + j];
                    s.reals[to + j] = (x - offset[k[j]]) * scale[k[j]];
                }
            };
            case DOUBLE -> s -> {
                for (int j = 0; j < width; j++) {
                    double x = s.reals[from + j];
                    s.reals[to + j] = (float) ((x - (double) offset[k[j]]) * (double) scale[k[j]]);
                }
            };
            default -> s -> {
                for (int j = 0; j < width; j++) {
                    float x = (float) s.longs[from + j];
                    s.reals[to + j] = (x - offset[k[j]]) * scale[k[j]];
                }
            };
        };
    }

    /** {@code Imputer} on a float tensor: {@code imputed[k]} where x is NaN and the replaced value too, or {@code x == replaced}. */
    static Step imputeFloat(int from, int to, int width, float[] imputed, int period, float replaced) {
        float[] value = new float[width];
        for (int j = 0; j < width; j++) {
            value[j] = imputed.length == period ? imputed[j % period] : imputed[0];
        }
        boolean nan = Float.isNaN(replaced);
        return s -> {
            for (int j = 0; j < width; j++) {
                float x = (float) s.reals[from + j];
                s.reals[to + j] = (nan && Float.isNaN(x)) || x == replaced ? value[j] : x;
            }
        };
    }

    /** {@code Imputer} on an int64 tensor. */
    static Step imputeInt64(int from, int to, int width, long[] imputed, int period, long replaced) {
        long[] value = new long[width];
        for (int j = 0; j < width; j++) {
            value[j] = imputed.length == period ? imputed[j % period] : imputed[0];
        }
        return s -> {
            for (int j = 0; j < width; j++) {
                long x = s.longs[from + j];
                s.longs[to + j] = x == replaced ? value[j] : x;
            }
        };
    }

    /** {@code OneHotEncoder} over strings: {@code categories} maps each category to its (last) position. */
    static Step oneHotStrings(String node, Map<String, Integer> categories, int count, boolean zeros, int from, int to, int width) {
        return s -> {
            Arrays.fill(s.reals, to, to + width * count, 0.0);
            for (int j = 0; j < width; j++) {
                String x = s.strings[from + j];
                Integer at = categories.get(x);
                if (at != null) {
                    s.reals[to + j * count + at] = 1.0;
                } else if (!zeros) {
                    throw unknownCategory(node, "'" + LogText.safe(x, 80) + "'");
                }
            }
        };
    }

    /**
     * {@code OneHotEncoder} over int64 values, or over floats and doubles cast to int64 first; {@code keys} sorted,
     * {@code positions[i]} the (last) position of {@code keys[i]}.
     */
    static Step oneHotLongs(String node, int inType, long[] keys, int[] positions, int count, boolean zeros, int from, int to,
                            int width) {
        boolean real = register(inType) == Register.REALS;
        return s -> {
            Arrays.fill(s.reals, to, to + width * count, 0.0);
            for (int j = 0; j < width; j++) {
                long x = real ? toInt64(s.reals[from + j]) : s.longs[from + j];
                int i = Arrays.binarySearch(keys, x);
                if (i >= 0) {
                    s.reals[to + j * count + positions[i]] = 1.0;
                } else if (!zeros) {
                    throw unknownCategory(node, real ? s.reals[from + j] + " (int64 " + x + ")" : Long.toString(x));
                }
            }
        };
    }

    private static ScoringException unknownCategory(String node, String value) {
        return new ScoringException("OneHotEncoder " + LogText.safe(node, 80) + " met the unknown category " + value
                + " with zeros = 0, where ONNX Runtime fails the run (\"Unknown Category and zeros = 0.\")");
    }

    /**
     * {@code LabelEncoder}: each key looked up in a string map or in sorted long keys (an int64, or a float's bits with
     * {@code -0} as {@code 0} and NaN as one NaN), the value at its index or the default.
     */
    static Step labelEncoder(LabelTable table, int inType, int outType, int from, int to, int width) {
        Register out = register(outType);
        Register in = register(inType);
        return s -> {
            for (int j = 0; j < width; j++) {
                int i;
                if (in == Register.STRINGS) {
                    Integer at = table.strings.get(s.strings[from + j]);
                    i = at == null ? -1 : at;
                } else {
                    long key;
                    if (in == Register.REALS) {
                        float x = (float) s.reals[from + j];
                        if (Float.isNaN(x) && !table.nanFindsNan) {
                            i = -1;
                            write(s, out, to + j, table, i);
                            continue;
                        }
                        key = floatKey(x);
                    } else {
                        key = s.longs[from + j];
                    }
                    int k = Arrays.binarySearch(table.longKeys, key);
                    i = k < 0 ? -1 : table.longIndex[k];
                }
                write(s, out, to + j, table, i);
            }
        };
    }

    private static void write(Scratch s, Register out, int at, LabelTable table, int i) {
        switch (out) {
            case REALS -> s.reals[at] = i < 0 ? table.defaultReal : table.reals[i];
            case LONGS -> s.longs[at] = i < 0 ? table.defaultLong : table.longs[i];
            case STRINGS -> s.strings[at] = i < 0 ? table.defaultString : table.stringValues[i];
        }
    }

    /** A float key as a long for lookup: {@code -0} as {@code 0}, every NaN as one. */
    static long floatKey(float x) {
        return Float.floatToIntBits(x == 0 ? 0f : x);
    }

    /** A LabelEncoder's keys (strings, or longs sorted with their value index) and values, with the defaults. */
    record LabelTable(Map<String, Integer> strings, long[] longKeys, int[] longIndex, boolean nanFindsNan,
                      double[] reals, long[] longs, String[] stringValues, double defaultReal, long defaultLong, String defaultString) {
    }

    /** {@code Normalizer} over a row: MAX, L1 or L2 as ONNX Runtime computes them, in float. */
    static Step normalizer(String norm, int inType, int from, int to, int width) {
        boolean real = register(inType) == Register.REALS;
        boolean isDouble = inType == DOUBLE;
        boolean int32 = inType == INT32;
        return switch (norm) {
            case "MAX" -> s -> {
                float max = -Float.MAX_VALUE;
                for (int j = 0; j < width; j++) {
                    float x = in(s, real, from + j);
                    max = max < x ? x : max; // std::max(max, x): a NaN never wins
                }
                for (int j = 0; j < width; j++) {
                    float x = in(s, real, from + j);
                    s.reals[to + j] = max != 0f ? x / max : x;
                }
            };
            case "L1" -> s -> {
                float sum = 0f;
                for (int j = 0; j < width; j++) {
                    sum += real ? (float) Math.abs(s.reals[from + j])
                            : int32 ? (float) Math.abs((int) s.longs[from + j]) : (float) Math.abs(s.longs[from + j]);
                }
                for (int j = 0; j < width; j++) {
                    float x = in(s, real, from + j);
                    s.reals[to + j] = sum != 0f ? x / sum : x;
                }
            };
            default -> s -> { // L2
                float sum = 0f;
                for (int j = 0; j < width; j++) {
                    float square = square(s, real, isDouble, int32, from + j);
                    s.reals[to + j] = square;
                    sum += square;
                }
                for (int j = 0; j < width; j++) {
                    if (sum != 0f) {
                        float quotient = (float) s.reals[to + j] / sum;
                        float root = (float) Math.sqrt(quotient); // correctly rounded, as sqrtf
                        s.reals[to + j] = negative(s, real, from + j) ? root * -1 : root;
                    } else {
                        s.reals[to + j] = in(s, real, from + j);
                    }
                }
            };
        };
    }

    private static float in(Scratch s, boolean real, int at) {
        return real ? (float) s.reals[at] : (float) s.longs[at];
    }

    /** {@code static_cast<float>(x * x)} in the input's type (integers wrap as two's complement). */
    private static float square(Scratch s, boolean real, boolean isDouble, boolean int32, int at) {
        if (int32) {
            int x = (int) s.longs[at];
            return (float) (x * x);
        }
        if (!real) {
            long x = s.longs[at];
            return (float) (x * x);
        }
        if (isDouble) {
            double x = s.reals[at];
            return (float) (x * x);
        }
        float x = (float) s.reals[at];
        return x * x;
    }

    private static boolean negative(Scratch s, boolean real, int at) {
        return real ? s.reals[at] < 0 : s.longs[at] < 0;
    }

    /** {@code x op c} (or {@code c op x}) for each value, one IEEE operation in float or in double. */
    static Step arithmetic(String op, boolean constantFirst, boolean isFloat, double[] constant, int from, int to) {
        int width = constant.length;
        int code = switch (op) {
            case "Add" -> 0;
            case "Sub" -> 1;
            case "Mul" -> 2;
            default -> 3;
        };
        if (isFloat) {
            float[] c = new float[width];
            for (int j = 0; j < width; j++) {
                c[j] = (float) constant[j];
            }
            return s -> {
                for (int j = 0; j < width; j++) {
                    float x = (float) s.reals[from + j];
                    float a = constantFirst ? c[j] : x;
                    float b = constantFirst ? x : c[j];
                    s.reals[to + j] = code == 0 ? a + b : code == 1 ? a - b : code == 2 ? a * b : a / b;
                }
            };
        }
        return s -> {
            for (int j = 0; j < width; j++) {
                double x = s.reals[from + j];
                double a = constantFirst ? constant[j] : x;
                double b = constantFirst ? x : constant[j];
                s.reals[to + j] = code == 0 ? a + b : code == 1 ? a - b : code == 2 ? a * b : a / b;
            }
        };
    }

    /** {@code Binarizer} on floats: {@code x > threshold ? 1 : 0}; a NaN fails the run, as in ONNX Runtime. */
    static Step binarizer(String node, float threshold, int from, int to, int width) {
        return s -> {
            for (int j = 0; j < width; j++) {
                float x = (float) s.reals[from + j];
                if (Float.isNaN(x)) {
                    throw new ScoringException("Binarizer " + LogText.safe(node, 80) + " met NaN at value " + j
                            + " of the row, where ONNX Runtime fails the run (\"Input data with index: ... is NaN\")");
                }
                s.reals[to + j] = x > threshold ? 1f : 0f;
            }
        };
    }

    /**
     * One input of a {@code FeatureVectorizer}: its first {@code copied} values cast to float at {@code to}, then zeros
     * up to {@code size} (ONNX Runtime pads a shorter row and drops the rest of a longer one).
     */
    static Step vectorizerPart(int inType, int from, int to, int copied, int size) {
        boolean real = register(inType) == Register.REALS;
        return s -> {
            for (int j = 0; j < copied; j++) {
                s.reals[to + j] = real ? (float) s.reals[from + j] : (float) s.longs[from + j];
            }
            for (int j = copied; j < size; j++) {
                s.reals[to + j] = 0f;
            }
        };
    }

    static int[] range(int from, int width) {
        int[] out = new int[width];
        for (int j = 0; j < width; j++) {
            out[j] = from + j;
        }
        return out;
    }
}

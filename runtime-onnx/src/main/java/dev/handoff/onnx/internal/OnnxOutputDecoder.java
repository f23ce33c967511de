package dev.handoff.onnx.internal;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.handoff.OutputField;
import dev.handoff.internal.ClassLabels;
import dev.handoff.spi.OutputColumns;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns ONNX Runtime results into plain Java columns for {@link dev.handoff.spi.OutputColumns}, as an
 * {@link OnnxOutputPlan} says: tensors copied out, ZipMap maps read into class-ordered probabilities.
 * No runtime object outlives a call.
 */
final class OnnxOutputDecoder {
    private final OnnxOutputPlan plan;
    private final List<OnnxOutputPlan.Output> plans;
    private final List<String> classes;
    private final Map<String, Integer> classIndex;
    /**
     * Per ZipMap key as ONNX Runtime gives it ({@code Long} or {@code String}), its class index: the key is made
     * canonical once, the first time it is seen, not once per row (labels are made canonical in one place,
     * Handoff's shaper; the runtime only matches its own keys to the classes it declared).
     */
    private final Map<Object, Integer> zipMapKeyIndex = new java.util.concurrent.ConcurrentHashMap<>();

    OnnxOutputDecoder(OnnxOutputPlan plan) {
        this.plan = plan;
        this.plans = plan.plans;
        this.classes = plan.classes;
        this.classIndex = plan.classIndex;
    }

    /** See {@link OnnxOutputPlan#of}. */
    static OnnxOutputDecoder plan(Map<String, ai.onnxruntime.NodeInfo> outputs, List<String> graphClasses, List<String> optionClasses,
                                  Map<String, String> mapOutputs, List<String> skipped) {
        return new OnnxOutputDecoder(OnnxOutputPlan.of(outputs, graphClasses, optionClasses, mapOutputs, skipped));
    }

    /** What each output is (for an engine other than ONNX Runtime that writes the same columns). */
    OnnxOutputPlan plan() {
        return plan;
    }

    dev.handoff.ModelInfo.ModelTask task() {
        return plan.task();
    }

    List<String> classes() {
        return plan.classes();
    }

    List<OutputField> fields() {
        return plan.fields();
    }

    /** The output names to ask ONNX Runtime for (unsupported outputs are not computed). */
    Set<String> requestedOutputs() {
        return plan.requestedOutputs();
    }

    /** Copies the results of a run over {@code rows} rows (of {@link #requestedOutputs()}, in order) into plain Java arrays. */
    DecodedColumns read(OrtSession.Result result, int rows) throws OrtException {
        Object[] columns = new Object[plans.size()];
        if (result.size() != plans.size()) {
            throw new dev.handoff.ScoringException("ONNX Runtime returned " + result.size() + " outputs for " + plans.size() + " requested");
        }
        for (int i = 0; i < plans.size(); i++) {
            OnnxOutputPlan.Output plan = plans.get(i);
            OnnxValue value = result.get(i);
            columns[i] = plan.kind() == OnnxOutputPlan.Kind.ZIPMAP ? readZipMap(plan, (OnnxSequence) value, rows) : readTensor(plan, (OnnxTensor) value);
            int length = Array.getLength(columns[i]);
            if (rows == 0 ? length != 0 : length % rows != 0) {
                throw new dev.handoff.ScoringException("output '" + plan.name() + "' has " + length + " values for " + rows
                        + " rows; Handoff reads outputs whose first dimension is the batch");
            }
        }
        return new DecodedColumns(rows, columns);
    }

    private static Object readTensor(OnnxOutputPlan.Output plan, OnnxTensor tensor) throws OrtException {
        switch (plan.type()) {
            case FLOAT -> {
                FloatBuffer b = tensor.getFloatBuffer();
                double[] out = new double[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i);
                }
                return out;
            }
            case DOUBLE -> {
                DoubleBuffer b = tensor.getDoubleBuffer();
                double[] out = new double[b.remaining()];
                b.get(out);
                return out;
            }
            case INT64 -> {
                LongBuffer b = tensor.getLongBuffer();
                long[] out = new long[b.remaining()];
                b.get(out);
                return out;
            }
            case INT32 -> {
                IntBuffer b = tensor.getIntBuffer();
                long[] out = new long[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i);
                }
                return out;
            }
            case INT16 -> {
                java.nio.ShortBuffer b = tensor.getShortBuffer();
                long[] out = new long[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i);
                }
                return out;
            }
            case INT8, UINT8 -> {
                ByteBuffer b = tensor.getByteBuffer();
                long[] out = new long[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = plan.type() == OnnxJavaType.UINT8 ? b.get(i) & 0xFF : b.get(i);
                }
                return out;
            }
            case BOOL -> {
                ByteBuffer b = tensor.getByteBuffer();
                boolean[] out = new boolean[b.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.get(i) != 0;
                }
                return out;
            }
            case STRING -> {
                List<String> flat = new ArrayList<>();
                flattenStrings(tensor.getValue(), flat);
                return flat.toArray(new String[0]);
            }
            default -> throw new dev.handoff.ScoringException("unplanned output type " + plan.type());
        }
    }

    private static void flattenStrings(Object value, List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Object[] array) {
            for (Object element : array) {
                flattenStrings(element, out);
            }
        }
    }

    /** Reads a ZipMap output straight into a row-major probability matrix in class order. */
    private double[] readZipMap(OnnxOutputPlan.Output plan, OnnxSequence sequence, int rows) throws OrtException {
        int k = classes.isEmpty() ? -1 : classes.size();
        List<? extends OnnxValue> maps = sequence.getValue();
        try {
            if (maps.size() != rows) {
                throw new dev.handoff.ScoringException("output '" + plan.name() + "' has " + maps.size() + " maps for " + rows + " rows");
            }
            if (k < 0) {
                throw new dev.handoff.ScoringException("output '" + plan.name() + "' is a map of class probabilities, but the model's classes are unknown");
            }
            double[] out = new double[rows * k];
            Arrays.fill(out, Double.NaN);
            for (int r = 0; r < rows; r++) {
                Map<? extends Object, ? extends Object> map = ((OnnxMap) maps.get(r)).getValue();
                for (Map.Entry<? extends Object, ? extends Object> e : map.entrySet()) {
                    Integer c = zipMapKeyIndex.get(e.getKey());
                    if (c == null) {
                        c = classIndex.get(ClassLabels.canonical(e.getKey()));
                        if (c != null) {
                            zipMapKeyIndex.put(e.getKey(), c);
                        }
                    }
                    if (c == null) {
                        throw new dev.handoff.ScoringException("output '" + plan.name() + "' has class '" + e.getKey()
                                + "', which is not among the model's classes " + classes);
                    }
                    out[r * k + c] = ((Number) e.getValue()).doubleValue();
                }
            }
            return out;
        } finally {
            for (OnnxValue map : maps) {
                map.close();
            }
        }
    }

    /** Hands the decoded columns to Handoff, which shapes them into predictions. */
    void writeTo(DecodedColumns decoded, OutputColumns builder) {
        for (int i = 0; i < plans.size(); i++) {
            builder.output(plans.get(i).name(), decoded.columns[i]);
        }
        if (plan.labelOutput >= 0) {
            builder.labelOutput(plans.get(plan.labelOutput).name());
        }
        if (plan.probabilityOutput >= 0) {
            builder.probabilities((double[]) decoded.columns[plan.probabilityOutput]);
        }
        if (plan.valueOutput >= 0) {
            builder.values((double[]) decoded.columns[plan.valueOutput]);
        }
    }
}

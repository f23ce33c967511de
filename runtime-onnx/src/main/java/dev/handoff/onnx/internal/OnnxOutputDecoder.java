package dev.handoff.onnx.internal;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.OutputField;
import dev.handoff.ValueType;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns ONNX Runtime results into plain Java columns for {@link dev.handoff.spi.OutputColumns}: the label tensor, the
 * probabilities (an {@code [N, K]} tensor in class order, the tensor that fed a removed ZipMap (see
 * {@link ZipMapRemoval}), or a ZipMap sequence of maps), the regression value and every other named
 * output. No runtime object outlives a call.
 */
final class OnnxOutputDecoder {

    /** A tensor; the float tensor of a removed ZipMap, read as that ZipMap's map output; a sequence of maps. */
    private enum Kind { TENSOR, ZIPMAP_TENSOR, ZIPMAP }

    /**
     * One output the decoder reads: its kind, element type and what it means for the task.
     *
     * @param source the name ONNX Runtime knows it by (the probability tensor for {@link Kind#ZIPMAP_TENSOR})
     * @param name the name Handoff reports it under
     */
    private record OutputPlan(String source, String name, Kind kind, OnnxJavaType type, OutputField field) {
    }

    private final List<OutputPlan> plans;
    private final Set<String> requested;
    private final ModelTask task;
    private final List<String> classes;
    private final Map<String, Integer> classIndex;
    private final int labelOutput;
    private final int probabilityOutput;
    private final int valueOutput;

    private OnnxOutputDecoder(List<OutputPlan> plans, ModelTask task, List<String> classes,
                              int labelOutput, int probabilityOutput, int valueOutput) {
        this.plans = plans;
        this.requested = Collections.unmodifiableSet(new LinkedHashSet<>(plans.stream().map(OutputPlan::source).toList()));
        this.task = task;
        this.classes = classes;
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            index.put(classes.get(k), k);
        }
        this.classIndex = index;
        this.labelOutput = labelOutput;
        this.probabilityOutput = probabilityOutput;
        this.valueOutput = valueOutput;
    }

    /**
     * Plans the decoding of the graph's outputs and recognises the task.
     *
     * @param graphClasses class labels found in the graph (canonical), possibly empty
     * @param optionClasses class labels from ScorerOptions, possibly empty
     * @param mapOutputs per probability tensor that replaced a ZipMap, the ZipMap's output name (see {@link ZipMapRemoval})
     * @param skipped receives a sentence for each output that is not supported and will not be read
     */
    static OnnxOutputDecoder plan(Map<String, NodeInfo> outputs, List<String> graphClasses, List<String> optionClasses,
                                  Map<String, String> mapOutputs, List<String> skipped) {
        if (!graphClasses.isEmpty() && !optionClasses.isEmpty() && !graphClasses.equals(optionClasses)) {
            throw new IllegalArgumentException("the classes given in ScorerOptions " + optionClasses
                    + " differ from the classes the model declares " + graphClasses);
        }
        List<String> classes = graphClasses.isEmpty() ? optionClasses : graphClasses;
        List<OutputPlan> plans = new ArrayList<>();
        for (NodeInfo node : outputs.values()) {
            OutputPlan plan = planOne(node, mapOutputs.get(node.getName()));
            if (plan == null) {
                skipped.add("output '" + node.getName() + "' (" + node.getInfo() + ") is not supported and is not read");
            } else {
                plans.add(plan);
            }
        }
        int label = -1;
        int probability = -1;
        int value = -1;
        for (int i = 0; i < plans.size(); i++) {
            OutputPlan p = plans.get(i);
            int width = width(p.field());
            boolean oneValue = width == 1;
            if (label < 0 && p.kind() == Kind.TENSOR && oneValue
                    && (p.type() == OnnxJavaType.STRING || p.type() == OnnxJavaType.INT64 || p.type() == OnnxJavaType.INT32)) {
                label = i;
            } else if (probability < 0 && p.kind() != Kind.TENSOR) {
                probability = i;
            } else if (probability < 0 && isFloat(p) && !classes.isEmpty() && width == classes.size() && classes.size() > 1) {
                probability = i;
            } else if (value < 0 && isFloat(p) && oneValue) {
                value = i;
            }
        }
        ModelTask task;
        if ((label >= 0 || probability >= 0) && !classes.isEmpty()) {
            task = ModelTask.CLASSIFICATION;
            value = -1;
        } else if (label < 0 && probability < 0 && value >= 0 && plans.size() == 1) {
            task = ModelTask.REGRESSION;
        } else {
            task = ModelTask.OTHER;
            label = -1;
            probability = -1;
            value = -1;
        }
        if (task == ModelTask.OTHER && !optionClasses.isEmpty()) {
            throw new IllegalArgumentException(optionClasses.size() + " classes were given in ScorerOptions, but no output of "
                    + "the model has one probability per class (outputs: " + plans.stream().map(OutputPlan::field).toList() + ")");
        }
        if (task == ModelTask.OTHER) {
            classes = List.of();
        }
        if (label >= 0) {
            // the label output reads as canonical class labels, whatever its tensor type (int64 0/1 reads "0"/"1")
            OutputPlan p = plans.get(label);
            plans.set(label, new OutputPlan(p.source(), p.name(), p.kind(), p.type(),
                    new OutputField(p.name(), ValueType.STRING, p.field().shape())));
        }
        return new OnnxOutputDecoder(List.copyOf(plans), task, List.copyOf(classes), label, probability, value);
    }

    private static OutputPlan planOne(NodeInfo node, String mapOutput) {
        if (mapOutput != null && node.getInfo() instanceof TensorInfo info && info.type == OnnxJavaType.FLOAT) {
            return new OutputPlan(node.getName(), mapOutput, Kind.ZIPMAP_TENSOR, info.type,
                    new OutputField(mapOutput, ValueType.MAP, List.of()));
        }
        if (node.getInfo() instanceof TensorInfo info) {
            ValueType type = switch (info.type) {
                case FLOAT -> ValueType.FLOAT;
                case DOUBLE -> ValueType.DOUBLE;
                case INT8, INT16, INT32, INT64, UINT8 -> ValueType.INTEGER;
                case BOOL -> ValueType.BOOLEAN;
                case STRING -> ValueType.STRING;
                default -> null;
            };
            if (type == null || info.getShape().length == 0) {
                return null;
            }
            long[] shape = info.getShape();
            List<Long> rowShape = Arrays.stream(Arrays.copyOfRange(shape, 1, shape.length)).boxed().toList();
            return new OutputPlan(node.getName(), node.getName(), Kind.TENSOR, info.type, new OutputField(node.getName(), type, rowShape));
        }
        if (node.getInfo() instanceof SequenceInfo info && info.isSequenceOfMaps()) {
            MapInfo map = info.mapInfo;
            boolean keys = map.keyType == OnnxJavaType.INT64 || map.keyType == OnnxJavaType.STRING;
            boolean values = map.valueType == OnnxJavaType.FLOAT || map.valueType == OnnxJavaType.DOUBLE;
            if (keys && values) {
                return new OutputPlan(node.getName(), node.getName(), Kind.ZIPMAP, map.valueType,
                        new OutputField(node.getName(), ValueType.MAP, List.of()));
            }
        }
        return null;
    }

    private static boolean isFloat(OutputPlan p) {
        return p.kind() == Kind.TENSOR && (p.type() == OnnxJavaType.FLOAT || p.type() == OnnxJavaType.DOUBLE);
    }

    /** Values per row from the declared shape, or -1 when a dimension after the batch is dynamic. */
    private static int width(OutputField field) {
        long w = 1;
        for (long d : field.shape()) {
            if (d < 1) {
                return -1;
            }
            w *= d;
        }
        return (int) w;
    }

    ModelTask task() {
        return task;
    }

    List<String> classes() {
        return classes;
    }

    List<OutputField> fields() {
        return plans.stream().map(OutputPlan::field).toList();
    }

    /** The output names to ask ONNX Runtime for (unsupported outputs are not computed). */
    Set<String> requestedOutputs() {
        return requested;
    }

    /** Copies the results of a run over {@code rows} rows (of {@link #requestedOutputs()}, in order) into plain Java arrays. */
    DecodedColumns read(OrtSession.Result result, int rows) throws OrtException {
        Object[] columns = new Object[plans.size()];
        if (result.size() != plans.size()) {
            throw new dev.handoff.ScoringException("ONNX Runtime returned " + result.size() + " outputs for " + plans.size() + " requested");
        }
        for (int i = 0; i < plans.size(); i++) {
            OutputPlan plan = plans.get(i);
            OnnxValue value = result.get(i);
            columns[i] = plan.kind() == Kind.ZIPMAP ? readZipMap(plan, (OnnxSequence) value, rows) : readTensor(plan, (OnnxTensor) value);
            int length = Array.getLength(columns[i]);
            if (rows == 0 ? length != 0 : length % rows != 0) {
                throw new dev.handoff.ScoringException("output '" + plan.name() + "' has " + length + " values for " + rows
                        + " rows; Handoff reads outputs whose first dimension is the batch");
            }
        }
        return new DecodedColumns(rows, columns);
    }

    private static Object readTensor(OutputPlan plan, OnnxTensor tensor) throws OrtException {
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
    private double[] readZipMap(OutputPlan plan, OnnxSequence sequence, int rows) throws OrtException {
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
                    Integer c = classIndex.get(ClassLabels.canonical(e.getKey()));
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
        if (labelOutput >= 0) {
            builder.labelOutput(plans.get(labelOutput).name());
        }
        if (probabilityOutput >= 0) {
            builder.probabilities((double[]) decoded.columns[probabilityOutput]);
        }
        if (valueOutput >= 0) {
            builder.values((double[]) decoded.columns[valueOutput]);
        }
    }
}

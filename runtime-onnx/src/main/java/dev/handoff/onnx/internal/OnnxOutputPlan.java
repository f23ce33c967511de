package dev.handoff.onnx.internal;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.OutputField;
import dev.handoff.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which outputs of an ONNX graph Handoff reads and what each means: the label tensor, the
 * probabilities (an {@code [N, K]} tensor in class order, the tensor that fed a removed ZipMap (see
 * {@link ZipMapRemoval}), or a ZipMap sequence of maps), the regression value, every other named
 * output; and from them the model's task and classes. Decided once, at load.
 */
final class OnnxOutputPlan {

    /** A tensor; the float tensor of a removed ZipMap, read as that ZipMap's map output; a sequence of maps. */
    enum Kind { TENSOR, ZIPMAP_TENSOR, ZIPMAP }

    /**
     * One output the decoder reads: its kind, element type and what it means for the task.
     *
     * @param source the name ONNX Runtime knows it by (the probability tensor for {@link Kind#ZIPMAP_TENSOR})
     * @param name the name Handoff reports it under
     */
    record Output(String source, String name, Kind kind, OnnxJavaType type, OutputField field) {
    }

    final List<Output> plans;
    private final Set<String> requested;
    final ModelTask task;
    final List<String> classes;
    final Map<String, Integer> classIndex;
    final int labelOutput;
    final int probabilityOutput;
    final int valueOutput;

    private OnnxOutputPlan(List<Output> plans, ModelTask task, List<String> classes,
                              int labelOutput, int probabilityOutput, int valueOutput) {
        this.plans = plans;
        this.requested = Collections.unmodifiableSet(new LinkedHashSet<>(plans.stream().map(Output::source).toList()));
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
    static OnnxOutputPlan of(Map<String, NodeInfo> outputs, List<String> graphClasses, List<String> optionClasses,
                                  Map<String, String> mapOutputs, List<String> skipped) {
        if (!graphClasses.isEmpty() && !optionClasses.isEmpty() && !graphClasses.equals(optionClasses)) {
            throw new IllegalArgumentException("the classes given in ScorerOptions " + optionClasses
                    + " differ from the classes the model declares " + graphClasses);
        }
        List<String> classes = graphClasses.isEmpty() ? optionClasses : graphClasses;
        List<Output> plans = new ArrayList<>();
        for (NodeInfo node : outputs.values()) {
            Output plan = planOne(node, mapOutputs.get(node.getName()));
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
            Output p = plans.get(i);
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
                    + "the model has one probability per class (outputs: " + plans.stream().map(Output::field).toList() + ")");
        }
        if (task == ModelTask.OTHER) {
            classes = List.of();
        }
        if (label >= 0) {
            // the label output reads as canonical class labels, whatever its tensor type (int64 0/1 reads "0"/"1")
            Output p = plans.get(label);
            plans.set(label, new Output(p.source(), p.name(), p.kind(), p.type(),
                    new OutputField(p.name(), ValueType.STRING, p.field().shape())));
        }
        return new OnnxOutputPlan(List.copyOf(plans), task, List.copyOf(classes), label, probability, value);
    }

    private static Output planOne(NodeInfo node, String mapOutput) {
        if (mapOutput != null && node.getInfo() instanceof TensorInfo info && info.type == OnnxJavaType.FLOAT) {
            return new Output(node.getName(), mapOutput, Kind.ZIPMAP_TENSOR, info.type,
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
            return new Output(node.getName(), node.getName(), Kind.TENSOR, info.type, new OutputField(node.getName(), type, rowShape));
        }
        if (node.getInfo() instanceof SequenceInfo info && info.isSequenceOfMaps()) {
            MapInfo map = info.mapInfo;
            boolean keys = map.keyType == OnnxJavaType.INT64 || map.keyType == OnnxJavaType.STRING;
            boolean values = map.valueType == OnnxJavaType.FLOAT || map.valueType == OnnxJavaType.DOUBLE;
            if (keys && values) {
                return new Output(node.getName(), node.getName(), Kind.ZIPMAP, map.valueType,
                        new OutputField(node.getName(), ValueType.MAP, List.of()));
            }
        }
        return null;
    }

    private static boolean isFloat(Output p) {
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
        return plans.stream().map(Output::field).toList();
    }

    /** The output names to ask ONNX Runtime for (unsupported outputs are not computed). */
    Set<String> requestedOutputs() {
        return requested;
    }

}

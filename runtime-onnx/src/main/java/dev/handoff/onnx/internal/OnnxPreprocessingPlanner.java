package dev.handoff.onnx.internal;

import dev.handoff.onnx.internal.OnnxPreprocessing.InputRead;
import dev.handoff.onnx.internal.OnnxPreprocessing.Step;
import dev.handoff.onnx.internal.OnnxTreeLayout.NotCoveredException;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import dev.handoff.onnx.internal.proto.TensorShapeProto;
import dev.handoff.onnx.internal.proto.ValueInfoProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.handoff.onnx.internal.OnnxNodeAttributes.floats;
import static dev.handoff.onnx.internal.OnnxNodeAttributes.intAttr;
import static dev.handoff.onnx.internal.OnnxNodeAttributes.ints;
import static dev.handoff.onnx.internal.OnnxNodeAttributes.strings;
import static dev.handoff.onnx.internal.OnnxNodeAttributes.tensorInts;

/**
 * Plans the preprocessing in front of a tree-ensemble node at load: follows the node's input back to the graph
 * inputs, infers each value's element type and row shape (the dimensions after the batch dimension), gives it a
 * place in the registers, and turns each operator into a flat step ({@link OnnxPreprocessingSteps}). Operators
 * that only reorder a row (Identity, Reshape, Flatten, Squeeze, Unsqueeze) cost nothing; Concat, Gather and
 * ArrayFeatureExtractor become one copy each. Constants (initializers or {@code Constant} nodes) are read at load. Anything ONNX Runtime would refuse, compute across rows or leave
 * undefined is reported as not covered.
 *
 * <pre>{@code
 * Set<NodeProto> used = OnnxPreprocessingPlanner.nodeSet();                 // the nodes the plan runs
 * OnnxPreprocessing.Plan plan = OnnxPreprocessingPlanner.plan(graph, 11, 1, tree.getInput(0), used);
 * }</pre>
 */
final class OnnxPreprocessingPlanner {
    static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    static final int DOUBLE = TensorProto.DataType.DOUBLE_VALUE;
    static final int INT64 = TensorProto.DataType.INT64_VALUE;
    static final int INT32 = TensorProto.DataType.INT32_VALUE;
    static final int BOOL = TensorProto.DataType.BOOL_VALUE;
    static final int STRING = TensorProto.DataType.STRING_VALUE;
    /** Deeper preprocessing than this is not planned (a guard against a hostile chain, not a converter's limit). */
    private static final int MAX_DEPTH = 500;

    /** A value of the row: element type, row shape and offset in its register. */
    private record Value(int type, long[] shape, int offset) {
        int width() {
            return OnnxRowLayout.width(shape);
        }
    }

    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Map<String, ValueInfoProto> graphInputs = new HashMap<>();
    private final long onnxOpset;
    private final long mlOpset;
    private final Map<String, Value> values = new HashMap<>();
    private final List<InputRead> reads = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final Set<NodeProto> used;
    private int reals;
    private int longs;
    private int strings;

    private OnnxPreprocessingPlanner(GraphProto graph, long onnxOpset, long mlOpset, Set<NodeProto> used) {
        for (NodeProto node : graph.getNodeList()) {
            for (String output : node.getOutputList()) {
                producers.put(output, node);
            }
        }
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (ValueInfoProto input : graph.getInputList()) {
            if (!initializers.containsKey(input.getName())) {
                graphInputs.put(input.getName(), input);
            }
        }
        this.onnxOpset = onnxOpset;
        this.mlOpset = mlOpset;
        this.used = used;
    }

    /**
     * The plan of the tree node's input {@code treeInput}; the nodes it runs are added to {@code used} (an identity set).
     *
     * @throws NotCoveredException naming what is not covered
     */
    static OnnxPreprocessing.Plan plan(GraphProto graph, long onnxOpset, long mlOpset, String treeInput, Set<NodeProto> used)
            throws NotCoveredException {
        OnnxPreprocessingPlanner planner = new OnnxPreprocessingPlanner(graph, onnxOpset, mlOpset, used);
        Value out = planner.resolve(treeInput, 0);
        if (out.type() != FLOAT && out.type() != DOUBLE) {
            throw new NotCoveredException("tree ensemble input of type " + typeName(out.type()) + " not covered (float and double are)");
        }
        if (out.shape().length != 1) {
            throw new NotCoveredException("tree ensemble input of row shape " + Arrays.toString(out.shape()) + " not covered ([N, F] is)");
        }
        return new OnnxPreprocessing.Plan(List.copyOf(planner.reads), planner.steps.toArray(new Step[0]), planner.reals,
                planner.longs, planner.strings, out.offset(), out.type() == DOUBLE, out.width());
    }

    private Value resolve(String name, int depth) throws NotCoveredException {
        Value known = values.get(name);
        if (known != null) {
            return known;
        }
        if (depth > MAX_DEPTH) {
            throw new NotCoveredException("preprocessing deeper than " + MAX_DEPTH + " nodes not covered");
        }
        Value value;
        ValueInfoProto input = graphInputs.get(name);
        if (input != null) {
            value = input(input);
        } else if (initializers.containsKey(name)) {
            throw new NotCoveredException("constant tensor " + OnnxTreeReader.quote(name) + " as preprocessing data not covered");
        } else {
            NodeProto node = producers.get(name);
            if (node == null) {
                throw new NotCoveredException("value " + OnnxTreeReader.quote(name) + " has no producer");
            }
            if (node.getOutputCount() != 1) {
                throw new NotCoveredException("ONNX op " + node.getOpType() + " with " + node.getOutputCount() + " outputs not covered");
            }
            value = node(node, depth);
            used.add(node);
        }
        values.put(name, value);
        return value;
    }

    private Value input(ValueInfoProto input) throws NotCoveredException {
        String name = OnnxTreeReader.quote(input.getName());
        if (!input.getType().hasTensorType()) {
            throw new NotCoveredException("input " + name + " is not a tensor");
        }
        int type = input.getType().getTensorType().getElemType();
        if (type != FLOAT && type != DOUBLE && type != INT64 && type != INT32 && type != BOOL && type != STRING) {
            throw new NotCoveredException("input " + name + " of element type " + typeName(type) + " not covered");
        }
        TensorShapeProto shape = input.getType().getTensorType().getShape();
        if (shape.getDimCount() < 1) {
            throw new NotCoveredException("input " + name + " without a batch dimension not covered");
        }
        long[] row = new long[shape.getDimCount() - 1];
        for (int i = 0; i < row.length; i++) {
            TensorShapeProto.Dimension d = shape.getDim(i + 1);
            if (!d.hasDimValue() || d.getDimValue() < 1 || d.getDimValue() > 1 << 20) {
                throw new NotCoveredException("input " + name + " without fixed dimensions after the batch dimension not covered");
            }
            row[i] = d.getDimValue();
        }
        if (OnnxRowLayout.width(row) > 1 << 20 || (type == STRING && OnnxRowLayout.width(row) != 1)) {
            throw new NotCoveredException("input " + name + " of row shape " + Arrays.toString(row) + " not covered");
        }
        Value value = allocate(type, row);
        reads.add(new InputRead(input.getName(), type, row, value.width(), value.offset()));
        return value;
    }

    private Value allocate(int type, long[] shape) throws NotCoveredException {
        if (!OnnxRowLayout.plannable(shape) || (long) reals + longs + strings + OnnxRowLayout.width(shape) > OnnxRowLayout.MAX_WIDTH) {
            throw new NotCoveredException("preprocessing of more than " + OnnxRowLayout.MAX_WIDTH + " values per row not covered");
        }
        int width = OnnxRowLayout.width(shape);
        int offset = switch (OnnxPreprocessingSteps.register(type)) {
            case REALS -> { int at = reals; reals += width; yield at; }
            case LONGS -> { int at = longs; longs += width; yield at; }
            case STRINGS -> { int at = strings; strings += width; yield at; }
        };
        return new Value(type, shape, offset);
    }

    private Value node(NodeProto node, int depth) throws NotCoveredException {
        String op = node.getOpType();
        Map<String, AttributeProto> a = OnnxNodeAttributes.of(node);
        if (op.equals("Add") || op.equals("Sub") || op.equals("Mul") || op.equals("Div")) {
            return arithmetic(node, op, depth);
        }
        if (op.equals("Constant")) {
            throw new NotCoveredException("ONNX op Constant as preprocessing data not covered");
        }
        if (node.getInputCount() < 1 || node.getInput(0).isEmpty()) {
            throw new NotCoveredException("ONNX op " + op + " without an input");
        }
        Value x = resolve(node.getInput(0), depth + 1);
        switch (op) {
            case "Identity":
                return x;
            case "Reshape":
                return new Value(x.type(), OnnxRowLayout.reshape(constantInts(node, 1, op), x.shape(),
                        intAttr(a, "allowzero", 0) != 0), x.offset());
            case "Flatten":
                return new Value(x.type(), OnnxRowLayout.flatten(intAttr(a, "axis", 1), x.shape()), x.offset());
            case "Squeeze":
                return new Value(x.type(), OnnxRowLayout.squeeze(axes(node, a, op), x.shape()), x.offset());
            case "Unsqueeze":
                return new Value(x.type(), OnnxRowLayout.unsqueeze(axes(node, a, op), x.shape()), x.offset());
            case "Concat":
                return concat(node, x, a, depth);
            case "Gather": {
                TensorProto indices = constant(node, 1, op);
                long[] dims = indices.getDimsList().stream().mapToLong(Long::longValue).toArray();
                return copy(x.type(), OnnxRowLayout.gather(intAttr(a, "axis", 0), x.shape(), x.offset(), tensorInts(indices, op), dims));
            }
            case "ArrayFeatureExtractor":
                return copy(x.type(), OnnxRowLayout.arrayFeatureExtractor(x.shape(), x.offset(), constantInts(node, 1, op)));
            case "Cast":
                return cast(x, a);
            case "Scaler":
                return scaler(x, a);
            case "Imputer":
                return imputer(x, a);
            case "OneHotEncoder":
                return oneHot(node, x, a);
            case "LabelEncoder":
                return labelEncoder(x, a);
            case "Normalizer":
                return normalizer(x, a);
            case "FeatureVectorizer":
                return featureVectorizer(node, a, depth);
            case "Binarizer": {
                if (x.type() != FLOAT) {
                    throw new NotCoveredException("ONNX op Binarizer on " + typeName(x.type()) + " not covered (ONNX Runtime runs it on floats)");
                }
                Value out = allocate(FLOAT, x.shape());
                float threshold = a.containsKey("threshold") ? a.get("threshold").getF() : 0f;
                steps.add(OnnxPreprocessingSteps.binarizer(node.getName().isEmpty() ? node.getOutput(0) : node.getName(), threshold,
                        x.offset(), out.offset(), x.width()));
                return out;
            }
            default:
                throw new NotCoveredException("ONNX op " + op + " not covered");
        }
    }

    private long[] axes(NodeProto node, Map<String, AttributeProto> a, String op) throws NotCoveredException {
        long[] axes;
        if (onnxOpset >= 13) {
            axes = node.getInputCount() > 1 && !node.getInput(1).isEmpty() ? constantInts(node, 1, op) : new long[0];
        } else {
            axes = ints(a, "axes");
        }
        if (axes.length == 0) {
            throw new NotCoveredException("ONNX op " + op + " without axes not covered");
        }
        return axes;
    }

    private Value concat(NodeProto node, Value first, Map<String, AttributeProto> a, int depth) throws NotCoveredException {
        if (!a.containsKey("axis")) {
            throw new NotCoveredException("ONNX op Concat without an axis");
        }
        long[][] shapes = new long[node.getInputCount()][];
        int[] offsets = new int[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            Value v = resolve(node.getInput(i), depth + 1);
            if (v.type() != first.type()) {
                throw new NotCoveredException("ONNX op Concat of " + typeName(first.type()) + " and " + typeName(v.type()) + " not covered");
            }
            shapes[i] = v.shape();
            offsets[i] = v.offset();
        }
        return copy(first.type(), OnnxRowLayout.concat(a.get("axis").getI(), shapes, offsets));
    }

    private Value featureVectorizer(NodeProto node, Map<String, AttributeProto> a, int depth) throws NotCoveredException {
        long[] sizes = ints(a, "inputdimensions");
        if (sizes.length != node.getInputCount()) {
            throw new NotCoveredException("ONNX op FeatureVectorizer with " + sizes.length + " inputdimensions for "
                    + node.getInputCount() + " inputs");
        }
        long total = 0;
        for (long size : sizes) {
            if (size < 0 || size > OnnxRowLayout.MAX_WIDTH) {
                throw new NotCoveredException("ONNX op FeatureVectorizer with inputdimensions " + size + " not covered");
            }
            total += size;
        }
        Value out = allocate(FLOAT, new long[] {total});
        int at = out.offset();
        int type = -1;
        for (int i = 0; i < sizes.length; i++) {
            Value v = resolve(node.getInput(i), depth + 1);
            type = i == 0 ? v.type() : type;
            if (v.type() != type || v.type() == STRING || v.type() == BOOL || v.shape().length == 0) { // one type for all, in ONNX
                throw new NotCoveredException("ONNX op FeatureVectorizer of " + typeName(v.type()) + " of row shape "
                        + Arrays.toString(v.shape()) + " not covered");
            }
            steps.add(OnnxPreprocessingSteps.vectorizerPart(v.type(), v.offset(), at, (int) Math.min(v.width(), sizes[i]), (int) sizes[i]));
            at += (int) sizes[i];
        }
        return out;
    }

    /** A new value filled by copying registers. */
    private Value copy(int type, OnnxRowLayout.Copy copy) throws NotCoveredException {
        Value out = allocate(type, copy.shape());
        steps.add(OnnxPreprocessingSteps.gather(OnnxPreprocessingSteps.register(type), copy.from(), out.offset()));
        return out;
    }

    private Value cast(Value x, Map<String, AttributeProto> a) throws NotCoveredException {
        int to = (int) intAttr(a, "to", 0);
        boolean numericFrom = x.type() != STRING;
        boolean numericTo = to == FLOAT || to == DOUBLE || to == INT64 || to == INT32 || to == BOOL;
        if (!(numericFrom && numericTo) && !(x.type() == STRING && to == STRING)) {
            throw new NotCoveredException("ONNX op Cast from " + typeName(x.type()) + " to " + typeName(to) + " not covered");
        }
        if (to == x.type()) {
            return x;
        }
        Value out = allocate(to, x.shape());
        steps.add(OnnxPreprocessingSteps.cast(x.type(), to, x.offset(), out.offset(), x.width()));
        return out;
    }

    private Value scaler(Value x, Map<String, AttributeProto> a) throws NotCoveredException {
        if (x.type() == STRING || x.type() == BOOL) {
            throw new NotCoveredException("ONNX op Scaler on " + typeName(x.type()) + " not covered");
        }
        float[] scale = floats(a, "scale");
        float[] offset = floats(a, "offset");
        int period = x.shape().length == 0 ? -1 : (int) x.shape()[0];
        boolean perColumn = offset.length == period && scale.length == period;
        if (scale.length == 0 || scale.length != offset.length || (!perColumn && offset.length != 1)) {
            throw new NotCoveredException("ONNX op Scaler with " + offset.length + " offsets and " + scale.length
                    + " scales for row shape " + Arrays.toString(x.shape()) + " not covered");
        }
        Value out = allocate(FLOAT, x.shape());
        steps.add(OnnxPreprocessingSteps.scaler(x.type(), x.offset(), out.offset(), x.width(), offset, scale, Math.max(period, 1)));
        return out;
    }

    private Value imputer(Value x, Map<String, AttributeProto> a) throws NotCoveredException {
        float[] floats = floats(a, "imputed_value_floats");
        long[] ints = ints(a, "imputed_value_int64s");
        int period = x.shape().length == 0 ? -1 : (int) x.shape()[0];
        if ((floats.length == 0) == (ints.length == 0)) {
            throw new NotCoveredException("ONNX op Imputer without exactly one of imputed_value_floats and imputed_value_int64s");
        }
        int count = Math.max(floats.length, ints.length);
        if (period < 0 && count != 1) {
            throw new NotCoveredException("ONNX op Imputer of " + count + " values on a [N] tensor not covered");
        }
        Value out = allocate(x.type(), x.shape());
        if (x.type() == FLOAT && floats.length > 0 && a.containsKey("replaced_value_float")) {
            steps.add(OnnxPreprocessingSteps.imputeFloat(x.offset(), out.offset(), x.width(), floats, period,
                    a.get("replaced_value_float").getF()));
        } else if (x.type() == INT64 && ints.length > 0 && a.containsKey("replaced_value_int64")) {
            steps.add(OnnxPreprocessingSteps.imputeInt64(x.offset(), out.offset(), x.width(), ints, period,
                    a.get("replaced_value_int64").getI()));
        } else {
            throw new NotCoveredException("ONNX op Imputer on " + typeName(x.type()) + " with these attributes not covered");
        }
        return out;
    }

    private Value oneHot(NodeProto node, Value x, Map<String, AttributeProto> a) throws NotCoveredException {
        if (x.shape().length > 1) {
            throw new NotCoveredException("ONNX op OneHotEncoder on row shape " + Arrays.toString(x.shape()) + " not covered");
        }
        long[] catInts = ints(a, "cats_int64s");
        List<String> catStrings = strings(a, "cats_strings");
        boolean zeros = intAttr(a, "zeros", 1) != 0;
        int count = catInts.length + catStrings.size();
        if (count == 0 || (catInts.length > 0 && !catStrings.isEmpty())) {
            throw new NotCoveredException("ONNX op OneHotEncoder without exactly one category list");
        }
        long[] shape = Arrays.copyOf(x.shape(), x.shape().length + 1);
        shape[shape.length - 1] = count;
        String name = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
        if (x.type() == STRING && !catStrings.isEmpty()) {
            Map<String, Integer> positions = new HashMap<>();
            for (int i = 0; i < catStrings.size(); i++) {
                positions.put(catStrings.get(i), i); // the last of equal categories wins, as in ONNX Runtime's map
            }
            Value out = allocate(FLOAT, shape);
            steps.add(OnnxPreprocessingSteps.oneHotStrings(name, positions, count, zeros, x.offset(), out.offset(), x.width()));
            return out;
        }
        if ((x.type() == INT64 || x.type() == FLOAT || x.type() == DOUBLE) && catInts.length > 0) {
            Map<Long, Integer> positions = new HashMap<>();
            for (int i = 0; i < catInts.length; i++) {
                positions.put(catInts[i], i);
            }
            long[] keys = positions.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
            int[] at = new int[keys.length];
            for (int i = 0; i < keys.length; i++) {
                at[i] = positions.get(keys[i]);
            }
            Value out = allocate(FLOAT, shape);
            steps.add(OnnxPreprocessingSteps.oneHotLongs(name, x.type(), keys, at, count, zeros, x.offset(), out.offset(), x.width()));
            return out;
        }
        throw new NotCoveredException("ONNX op OneHotEncoder on " + typeName(x.type()) + " with "
                + (catInts.length > 0 ? "cats_int64s" : "cats_strings") + " not covered");
    }

    private Value labelEncoder(Value x, Map<String, AttributeProto> a) throws NotCoveredException {
        OnnxLabelEncoding.Encoding encoding = OnnxLabelEncoding.read(a, mlOpset, x.type());
        Value out = allocate(encoding.valueType(), x.shape());
        steps.add(OnnxPreprocessingSteps.labelEncoder(encoding.table(), x.type(), encoding.valueType(), x.offset(), out.offset(),
                x.width()));
        return out;
    }

    private Value normalizer(Value x, Map<String, AttributeProto> a) throws NotCoveredException {
        String norm = a.containsKey("norm") ? a.get("norm").getS().toStringUtf8() : "MAX";
        if (!norm.equals("MAX") && !norm.equals("L1") && !norm.equals("L2")) {
            throw new NotCoveredException("ONNX op Normalizer norm " + OnnxTreeReader.quote(norm) + " not covered");
        }
        if (x.shape().length != 1 || x.type() == STRING || x.type() == BOOL) {
            throw new NotCoveredException("ONNX op Normalizer on " + typeName(x.type()) + " of row shape "
                    + Arrays.toString(x.shape()) + " not covered ([N, F] numbers are)");
        }
        Value out = allocate(FLOAT, x.shape());
        steps.add(OnnxPreprocessingSteps.normalizer(norm, x.type(), x.offset(), out.offset(), x.width()));
        return out;
    }

    /**
     * {@code Add}, {@code Sub}, {@code Mul} or {@code Div} of a float or double value and a constant of its type that
     * broadcasts within a row (skl2onnx's StandardScaler on doubles): one IEEE operation per value, as ONNX Runtime's
     * element-wise kernels compute it, the constant on the side the node puts it.
     */
    private Value arithmetic(NodeProto node, String op, int depth) throws NotCoveredException {
        if (node.getInputCount() != 2) {
            throw new NotCoveredException("ONNX op " + op + " with " + node.getInputCount() + " inputs");
        }
        TensorProto first = constantTensor(node.getInput(0));
        TensorProto second = constantTensor(node.getInput(1));
        if ((first == null) == (second == null)) {
            throw new NotCoveredException("ONNX op " + op + " of " + (first == null ? "two computed values" : "two constants")
                    + " not covered (of a value and a constant is)");
        }
        boolean constantFirst = first != null;
        TensorProto c = constantFirst ? first : second;
        Value x = resolve(node.getInput(constantFirst ? 1 : 0), depth + 1);
        if ((x.type() != FLOAT && x.type() != DOUBLE) || c.getDataType() != x.type()) {
            throw new NotCoveredException("ONNX op " + op + " of " + typeName(x.type()) + " and a " + typeName(c.getDataType())
                    + " constant not covered");
        }
        double[] values = OnnxNodeAttributes.tensorReals(c, op);
        long[] dims = c.getDimsList().stream().mapToLong(Long::longValue).toArray();
        double[] operand = OnnxRowLayout.broadcast(values, dims, x.shape(), op);
        Value out = allocate(x.type(), x.shape());
        steps.add(OnnxPreprocessingSteps.arithmetic(op, constantFirst, x.type() == FLOAT, operand, x.offset(), out.offset()));
        return out;
    }

    /** The initializer or {@code Constant} node output named {@code name} (the node then counts as used), or null. */
    private TensorProto constantTensor(String name) {
        TensorProto t = initializers.get(name);
        if (t != null || graphInputs.containsKey(name)) {
            return t;
        }
        NodeProto node = producers.get(name);
        if (node != null && node.getOpType().equals("Constant") && node.getAttributeCount() == 1
                && node.getAttribute(0).getName().equals("value") && node.getAttribute(0).hasT()) {
            used.add(node);
            return node.getAttribute(0).getT();
        }
        return null;
    }

    private TensorProto constant(NodeProto node, int input, String op) throws NotCoveredException {
        TensorProto t = node.getInputCount() > input ? constantTensor(node.getInput(input)) : null;
        if (t == null) {
            throw new NotCoveredException("ONNX op " + op + " with a computed input " + (input + 1) + " not covered (a constant is)");
        }
        return t;
    }

    private long[] constantInts(NodeProto node, int input, String op) throws NotCoveredException {
        return tensorInts(constant(node, input, op), op);
    }

    static String typeName(int elemType) {
        TensorProto.DataType type = TensorProto.DataType.forNumber(elemType);
        return type == null ? "type " + elemType : type.name();
    }

    /** An identity set of nodes, for {@link #plan}. */
    static Set<NodeProto> nodeSet() {
        return java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    }
}

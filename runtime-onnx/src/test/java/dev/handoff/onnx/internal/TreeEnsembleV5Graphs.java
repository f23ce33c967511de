package dev.handoff.onnx.internal;

import com.google.protobuf.ByteString;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.OperatorSetIdProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import dev.handoff.onnx.internal.proto.TensorShapeProto;
import dev.handoff.onnx.internal.proto.TypeProto;
import dev.handoff.onnx.internal.proto.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes an {@code ai.onnx.ml} opset-5 {@code TreeEnsemble} graph ({@code X [N, F] -> Y [N, n_targets]}) from its
 * attribute arrays, with the generated protobuf classes: real attributes as tensors of the input's type, node modes
 * as a uint8 tensor, aggregate function and post-transform as the specification's integers.
 */
final class TreeEnsembleV5Graphs {
    static final byte LEQ = 0;
    static final byte LT = 1;
    static final byte GTE = 2;
    static final byte GT = 3;
    static final byte EQ = 4;
    static final byte NEQ = 5;
    static final byte MEMBER = 6;
    static final int AVERAGE = 0;
    static final int SUM = 1;
    static final int MIN = 2;
    static final int MAX = 3;
    static final String[] TRANSFORMS = {"NONE", "SOFTMAX", "LOGISTIC", "SOFTMAX_ZERO", "PROBIT"};

    /** The attributes of one {@code TreeEnsemble} node; null arrays are left out. */
    static final class Spec {
        int features = 1;
        boolean doubleInput;
        long[] featureIds = {};
        double[] splits = {};
        byte[] modes = {};
        long[] trueIds = {};
        long[] falseIds = {};
        long[] trueLeafs = {};
        long[] falseLeafs = {};
        long[] missing;
        double[] membership;
        long[] leafTargets = {};
        double[] leafWeights = {};
        long[] roots = {};
        Integer aggregate;
        Integer postTransform;
        int targets = 1;
    }

    private TreeEnsembleV5Graphs() {
    }

    static byte[] model(Spec s) {
        int type = s.doubleInput ? TensorProto.DataType.DOUBLE_VALUE : TensorProto.DataType.FLOAT_VALUE;
        NodeProto.Builder node = NodeProto.newBuilder().setOpType("TreeEnsemble").setDomain("ai.onnx.ml").setName("trees")
                .addInput("X").addOutput("Y");
        node.addAttribute(ints("nodes_featureids", s.featureIds))
                .addAttribute(reals("nodes_splits", s.splits, s.doubleInput))
                .addAttribute(modes(s.modes))
                .addAttribute(ints("nodes_truenodeids", s.trueIds))
                .addAttribute(ints("nodes_falsenodeids", s.falseIds))
                .addAttribute(ints("nodes_trueleafs", s.trueLeafs))
                .addAttribute(ints("nodes_falseleafs", s.falseLeafs))
                .addAttribute(ints("leaf_targetids", s.leafTargets))
                .addAttribute(reals("leaf_weights", s.leafWeights, s.doubleInput))
                .addAttribute(ints("tree_roots", s.roots))
                .addAttribute(AttributeProto.newBuilder().setName("n_targets").setType(AttributeProto.AttributeType.INT).setI(s.targets));
        if (s.missing != null) {
            node.addAttribute(ints("nodes_missing_value_tracks_true", s.missing));
        }
        if (s.membership != null) {
            node.addAttribute(reals("membership_values", s.membership, s.doubleInput));
        }
        if (s.aggregate != null) {
            node.addAttribute(AttributeProto.newBuilder().setName("aggregate_function").setType(AttributeProto.AttributeType.INT)
                    .setI(s.aggregate));
        }
        if (s.postTransform != null) {
            node.addAttribute(AttributeProto.newBuilder().setName("post_transform").setType(AttributeProto.AttributeType.INT)
                    .setI(s.postTransform));
        }
        GraphProto.Builder graph = GraphProto.newBuilder().setName("v5").addInput(tensor("X", type, s.features))
                .addOutput(tensor("Y", type, s.targets)).addNode(node);
        return ModelProto.newBuilder().setIrVersion(10).setProducerName("handoff-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(21))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(5))
                .setGraph(graph).build().toByteArray();
    }

    static ValueInfoProto tensor(String name, int type, int width) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(type).setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))))).build();
    }

    static AttributeProto ints(String name, long[] values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    /** A float or double tensor attribute in raw little-endian bytes (float: each value narrowed). */
    static AttributeProto reals(String name, double[] values, boolean doubles) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * (doubles ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (doubles) {
                raw.putDouble(v);
            } else {
                raw.putFloat((float) v);
            }
        }
        raw.flip();
        TensorProto t = TensorProto.newBuilder().setDataType(doubles ? TensorProto.DataType.DOUBLE_VALUE : TensorProto.DataType.FLOAT_VALUE)
                .addDims(values.length).setRawData(ByteString.copyFrom(raw)).build();
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }

    static AttributeProto modes(byte[] modes) {
        TensorProto t = TensorProto.newBuilder().setDataType(TensorProto.DataType.UINT8_VALUE).addDims(modes.length)
                .setRawData(ByteString.copyFrom(modes)).build();
        return AttributeProto.newBuilder().setName("nodes_modes").setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }
}

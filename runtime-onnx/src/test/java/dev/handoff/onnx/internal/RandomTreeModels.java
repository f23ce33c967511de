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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Writes seeded random {@code TreeEnsembleRegressor} / {@code TreeEnsembleClassifier} models with the
 * generated protobuf classes: random tree shapes and depths, node ids in random order, attribute order shuffled
 * within each tree, one comparison for the whole model or mixed ones, missing-value directions (sometimes a
 * shorter list, sometimes none), thresholds drawn from a pool of row values, several targets or classes, every
 * post-transform and base-value layout ONNX Runtime defines an answer for, int64 or string labels.
 */
final class RandomTreeModels {
    static final String[] MODES = {"BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"};

    final Random random;
    final int features;
    final float[] pool;
    final boolean doubleInput;
    String description;

    RandomTreeModels(long seed) {
        random = new Random(seed);
        features = 1 + random.nextInt(6);
        doubleInput = random.nextInt(8) == 0;
        pool = new float[8 + random.nextInt(24)];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = switch (random.nextInt(6)) {
                case 0 -> random.nextInt(5) - 2;
                case 1 -> (float) random.nextGaussian();
                case 2 -> (float) (random.nextGaussian() * 1e6);
                case 3 -> random.nextBoolean() ? 0.5f : -0f;
                default -> (float) random.nextGaussian() * 10;
            };
        }
    }

    /** One random model's bytes; {@link #description} says what it is. */
    byte[] model() {
        boolean classifier = random.nextBoolean();
        int targets = classifier ? 2 + (random.nextInt(3) == 0 ? random.nextInt(3) : 0) : random.nextInt(3) == 0 ? 2 + random.nextInt(2) : 1;
        int trees = random.nextInt(10) == 0 ? 81 + random.nextInt(40) : 1 + random.nextInt(12);
        String sameMode = random.nextInt(3) == 0 ? null : MODES[random.nextInt(random.nextBoolean() ? 2 : MODES.length)];
        boolean binaryCase = classifier && targets == 2 && random.nextBoolean();
        int binaryClass = random.nextInt(2);
        boolean allPositive = random.nextBoolean();
        int missingLayout = random.nextInt(4); // 0 none, 1 full, 2 shorter, 3 full all zero

        List<Long> treeIds = new ArrayList<>();
        List<Long> nodeIds = new ArrayList<>();
        List<Long> featureIds = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        List<Long> trueIds = new ArrayList<>();
        List<Long> falseIds = new ArrayList<>();
        List<Long> missing = new ArrayList<>();
        List<Long> wTree = new ArrayList<>();
        List<Long> wNode = new ArrayList<>();
        List<Long> wTarget = new ArrayList<>();
        List<Float> wValue = new ArrayList<>();
        for (int t = 0; t < trees; t++) {
            int maxDepth = random.nextInt(7);
            List<int[]> nodes = new ArrayList<>(); // {isLeaf, trueIndex, falseIndex}
            grow(nodes, 0, maxDepth);
            int n = nodes.size();
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(i);
            }
            if (random.nextBoolean()) {
                Collections.shuffle(ids.subList(1, n), random); // node ids in any order, the root first
            }
            List<Integer> attributeOrder = new ArrayList<>(ids.size());
            for (int i = 0; i < n; i++) {
                attributeOrder.add(i);
            }
            if (random.nextInt(3) == 0) {
                Collections.shuffle(attributeOrder.subList(1, n), random); // ONNX Runtime starts a tree at its first row
            }
            long treeId = t * 3L + random.nextInt(3);
            for (int i : attributeOrder) {
                int[] node = nodes.get(i);
                treeIds.add(treeId);
                nodeIds.add((long) ids.get(i));
                boolean leaf = node[0] == 1;
                featureIds.add(leaf ? 0L : random.nextInt(features));
                modes.add(leaf ? "LEAF" : sameMode != null ? sameMode : MODES[random.nextInt(MODES.length)]);
                values.add(leaf ? 0f : pool[random.nextInt(pool.length)]);
                trueIds.add(leaf ? 0L : ids.get(node[1]));
                falseIds.add(leaf ? 0L : ids.get(node[2]));
                missing.add(missingLayout == 3 ? 0L : (long) random.nextInt(2));
                if (leaf) {
                    for (int k = 0; k < targets; k++) {
                        boolean give = binaryCase ? k == binaryClass : targets == 1 || random.nextInt(4) != 0 || k == targets - 1;
                        if (!give) {
                            continue;
                        }
                        wTree.add(treeId);
                        wNode.add((long) ids.get(i));
                        wTarget.add((long) k);
                        float w = classifier && allPositive ? random.nextFloat() : (float) random.nextGaussian();
                        wValue.add(random.nextInt(20) == 0 ? pool[random.nextInt(pool.length)] : w);
                    }
                }
            }
        }
        String post;
        int bases;
        if (classifier) {
            List<String> transforms = new ArrayList<>(List.of("NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO"));
            if (targets > 2) {
                transforms.add("PROBIT");
            }
            post = transforms.get(random.nextInt(transforms.size()));
            int[] layouts = targets > 2 ? new int[] {0, targets} : binaryCase ? new int[] {0, 1, 2} : new int[] {0, 2};
            bases = layouts[random.nextInt(layouts.length)];
        } else {
            post = new String[] {"NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"}[random.nextInt(5)];
            bases = random.nextBoolean() ? 0 : targets;
        }
        List<Float> baseValues = new ArrayList<>();
        for (int k = 0; k < bases; k++) {
            baseValues.add(random.nextBoolean() ? (float) random.nextGaussian() : pool[random.nextInt(pool.length)]);
        }
        String op = classifier ? "TreeEnsembleClassifier" : "TreeEnsembleRegressor";
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setDomain("ai.onnx.ml").setName("trees").addInput("X");
        node.addAttribute(ints("nodes_treeids", treeIds)).addAttribute(ints("nodes_nodeids", nodeIds))
                .addAttribute(ints("nodes_featureids", featureIds)).addAttribute(strings("nodes_modes", modes))
                .addAttribute(ints("nodes_truenodeids", trueIds)).addAttribute(ints("nodes_falsenodeids", falseIds));
        if (doubleInput && random.nextBoolean()) {
            node.addAttribute(doubles("nodes_values_as_tensor", values));
        } else {
            node.addAttribute(floats("nodes_values", values));
        }
        if (missingLayout != 0) {
            node.addAttribute(ints("nodes_missing_value_tracks_true",
                    missingLayout == 2 ? missing.subList(0, random.nextInt(missing.size() + 1)) : missing));
        }
        String prefix = classifier ? "class_" : "target_";
        node.addAttribute(ints(prefix + "treeids", wTree)).addAttribute(ints(prefix + "nodeids", wNode))
                .addAttribute(ints(prefix + "ids", wTarget));
        if (doubleInput && random.nextBoolean()) {
            node.addAttribute(doubles(prefix + "weights_as_tensor", wValue));
        } else {
            node.addAttribute(floats(prefix + "weights", wValue));
        }
        if (bases > 0) {
            node.addAttribute(doubleInput && random.nextBoolean() ? doubles("base_values_as_tensor", baseValues)
                    : floats("base_values", baseValues));
        }
        node.addAttribute(AttributeProto.newBuilder().setName("post_transform").setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(post)));
        String labelsText = "";
        GraphProto.Builder graph = GraphProto.newBuilder().setName("random").addInput(tensor("X",
                doubleInput ? TensorProto.DataType.DOUBLE_VALUE : TensorProto.DataType.FLOAT_VALUE, features));
        if (classifier) {
            boolean stringLabels = random.nextBoolean();
            List<String> labels = new ArrayList<>();
            List<Long> intLabels = new ArrayList<>();
            long start = random.nextBoolean() ? 0 : random.nextInt(20) - 10;
            for (int k = 0; k < targets; k++) {
                labels.add("c" + k);
                intLabels.add(start + k * (1 + random.nextInt(3)));
            }
            node.addAttribute(stringLabels ? strings("classlabels_strings", labels) : ints("classlabels_int64s", intLabels));
            labelsText = stringLabels ? labels.toString() : intLabels.toString();
            node.addOutput("label").addOutput("probabilities");
            graph.addOutput(ValueInfoProto.newBuilder().setName("label").setType(TypeProto.newBuilder().setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(stringLabels ? TensorProto.DataType.STRING_VALUE : TensorProto.DataType.INT64_VALUE)
                            .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))))));
            graph.addOutput(tensor("probabilities", TensorProto.DataType.FLOAT_VALUE, targets));
        } else {
            String aggregate = random.nextBoolean() ? "SUM" : "AVERAGE";
            node.addAttribute(AttributeProto.newBuilder().setName("aggregate_function").setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFromUtf8(aggregate)));
            node.addAttribute(AttributeProto.newBuilder().setName("n_targets").setType(AttributeProto.AttributeType.INT).setI(targets));
            node.addOutput("Y");
            graph.addOutput(tensor("Y", TensorProto.DataType.FLOAT_VALUE, targets));
            labelsText = aggregate;
        }
        graph.addNode(node);
        description = op + " " + trees + " trees, " + treeIds.size() + " nodes, " + features + " features, " + targets
                + " targets, modes " + (sameMode == null ? "mixed" : sameMode) + ", missing layout " + missingLayout + ", " + post
                + ", " + bases + " base values, " + labelsText + (binaryCase ? ", binary case " + (allPositive ? "all positive" : "mixed signs") : "")
                + (doubleInput ? ", double input" : "");
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("handoff-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(3))
                .setGraph(graph).build().toByteArray();
    }

    /** A row of {@code features} values: pool values, their neighbours one ulp away, and special values. */
    float[] row() {
        float[] row = new float[features];
        for (int f = 0; f < features; f++) {
            float v = pool[random.nextInt(pool.length)];
            row[f] = switch (random.nextInt(12)) {
                case 0 -> Math.nextUp(v);
                case 1 -> Math.nextDown(v);
                case 2 -> Float.NaN;
                case 3 -> random.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                case 4 -> random.nextBoolean() ? -0f : Float.MIN_VALUE;
                case 5 -> (float) random.nextGaussian() * 100;
                default -> v;
            };
        }
        return row;
    }

    private void grow(List<int[]> nodes, int depth, int maxDepth) {
        int index = nodes.size();
        int[] node = new int[3];
        nodes.add(node);
        if (depth >= maxDepth || (depth > 0 && random.nextInt(4) == 0)) {
            node[0] = 1;
            return;
        }
        node[2] = nodes.size();
        grow(nodes, depth + 1, maxDepth);
        node[1] = nodes.size();
        grow(nodes, depth + 1, maxDepth);
        nodes.set(index, node);
    }

    private static ValueInfoProto tensor(String name, int type, int width) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(type).setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))))).build();
    }

    private static AttributeProto ints(String name, List<Long> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS).addAllInts(values).build();
    }

    private static AttributeProto floats(String name, List<Float> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS).addAllFloats(values).build();
    }

    private static AttributeProto strings(String name, List<String> values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
        for (String v : values) {
            b.addStrings(ByteString.copyFromUtf8(v));
        }
        return b.build();
    }

    /** A double tensor attribute, in raw little-endian bytes, of values that are not all floats. */
    private AttributeProto doubles(String name, List<Float> values) {
        ByteBuffer raw = ByteBuffer.allocate(values.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putDouble(random.nextBoolean() ? v : v + random.nextGaussian() * 1e-9);
        }
        raw.flip();
        TensorProto t = TensorProto.newBuilder().setDataType(TensorProto.DataType.DOUBLE_VALUE).addDims(values.size())
                .setRawData(ByteString.copyFrom(raw)).build();
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }
}

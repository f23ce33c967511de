package dev.handoff.onnx.internal;

import ai.onnxruntime.OrtException;
import com.google.protobuf.ByteString;
import dev.handoff.ScoringException;
import dev.handoff.onnx.internal.proto.AttributeProto;
import dev.handoff.onnx.internal.proto.GraphProto;
import dev.handoff.onnx.internal.proto.ModelProto;
import dev.handoff.onnx.internal.proto.NodeProto;
import dev.handoff.onnx.internal.proto.OperatorSetIdProto;
import dev.handoff.onnx.internal.proto.TensorProto;
import dev.handoff.onnx.internal.proto.TensorShapeProto;
import dev.handoff.onnx.internal.proto.TypeProto;
import dev.handoff.onnx.internal.proto.ValueInfoProto;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.BOOL;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.DOUBLE;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.FLOAT;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.INT32;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.INT64;
import static dev.handoff.onnx.internal.OnnxPreprocessingPlanner.STRING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each preprocessing operator against ONNX Runtime on small hand-built graphs ({@code x -> op(s) -> Y}) and edge
 * values: the features {@link OnnxPreprocessing} computes for Y must be ONNX Runtime's Y bit for bit.
 */
class PreprocessingOpsParityTest {
    static final float[] EDGE = {Float.NaN, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f, 0.5f, -0.5f,
        2.5f, -2.5f, 1e-30f, -1e-30f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, 3e9f, -3e9f, 9.3e18f, -9.3e18f, 2147483520f, -2147483648f, 16777217f, 0.1f, 7f};


    static ValueInfoProto tensor(String name, int type, long... rowShape) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (long d : rowShape) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
    }

    static NodeProto node(String op, String domain, List<String> inputs, String output, AttributeProto... attributes) {
        return NodeProto.newBuilder().setOpType(op).setDomain(domain).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)).build();
    }

    static NodeProto ml(String op, String input, String output, AttributeProto... attributes) {
        return node(op, "ai.onnx.ml", List.of(input), output, attributes);
    }

    static AttributeProto floats(String name, float... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
        for (float v : values) {
            b.addFloats(v);
        }
        return b.build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    static AttributeProto strings(String name, String... values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS)
                .addAllStrings(Arrays.stream(values).map(ByteString::copyFromUtf8).toList()).build();
    }

    static AttributeProto i(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto f(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto s(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    static TensorProto int64s(String name, long[] dims, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(INT64);
        for (long d : dims) {
            t.addDims(d);
        }
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t.build();
    }

    static ModelProto model(List<ValueInfoProto> inputs, List<NodeProto> nodes, List<TensorProto> initializers, ValueInfoProto output,
                            int mlOpset) {
        GraphProto graph = GraphProto.newBuilder().setName("g").addAllInput(inputs).addAllNode(nodes).addAllInitializer(initializers)
                .addOutput(output).build();
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("handoff-tests").setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(15))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("ai.onnx.ml").setVersion(mlOpset)).build();
    }


    /** Runs {@code model} (output Y of {@code width} floats or doubles) in ONNX Runtime and through the planned steps. */
    static void assertSameAsOnnxRuntime(ModelProto model, List<Map<String, Object>> rows) throws OrtException {
        ValueInfoProto y = model.getGraph().getOutput(0);
        boolean doubles = y.getType().getTensorType().getElemType() == DOUBLE;
        OnnxPreprocessing.Plan plan;
        try {
            plan = OnnxPreprocessingPlanner.plan(model.getGraph(), 15, model.getOpsetImport(1).getVersion(), y.getName(),
                    OnnxPreprocessingPlanner.nodeSet());
        } catch (OnnxTreeLayout.NotCoveredException e) {
            throw new AssertionError("not covered: " + e.getMessage());
        }
        try (OrtPipelineOracle ort = new OrtPipelineOracle(model.toByteArray())) {
            OrtPipelineOracle.Columns columns = ort.columns(rows);
            Object expected = ort.run(columns).get(y.getName());
            OnnxTreeFeatures features = plan.bind(ort.encoder);
            Object scratch = features.newScratch();
            int width = features.featureCount();
            List<String> differences = new ArrayList<>();
            for (int r = 0; r < rows.size() && differences.size() < 10; r++) {
                double[] got = new double[width];
                features.fill(columns, r, got, 0, scratch);
                float[] gotFloats = new float[width];
                features.fill(columns, r, gotFloats, 0, scratch);
                for (int j = 0; j < width; j++) {
                    boolean same;
                    String want;
                    if (doubles) {
                        double w = ((double[][]) expected)[r][j];
                        same = Double.doubleToLongBits(w) == Double.doubleToLongBits(got[j]);
                        want = Double.toString(w);
                    } else {
                        float w = ((float[][]) expected)[r][j];
                        same = Float.floatToIntBits(w) == Float.floatToIntBits(gotFloats[j])
                                && Double.doubleToLongBits(w) == Double.doubleToLongBits(got[j]);
                        want = Float.toString(w);
                    }
                    if (!same) {
                        differences.add("row " + r + " " + text(rows.get(r)) + " value " + j + ": ONNX Runtime " + want
                                + ", engine " + got[j]);
                    }
                }
            }
            assertEquals(List.of(), differences, () -> String.join("\n", differences));
        }
    }

    private static String text(Map<String, Object> row) {
        StringBuilder s = new StringBuilder("{");
        row.forEach((k, v) -> s.append(k).append('=').append(v instanceof double[] d ? Arrays.toString(d)
                : v instanceof long[] l ? Arrays.toString(l) : String.valueOf(v)).append(' '));
        return s.append('}').toString();
    }

    /** Rows of {@code width} floats for input {@code name}: every edge value in every column, then random ones. */
    static List<Map<String, Object>> floatRows(String name, int width, long seed) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Random random = new Random(seed);
        for (float e : EDGE) {
            for (int c = 0; c < width; c++) {
                double[] x = new double[width];
                for (int j = 0; j < width; j++) {
                    x[j] = j == c ? e : (float) (random.nextGaussian() * 10);
                }
                rows.add(Map.of(name, x));
            }
        }
        for (int r = 0; r < 300; r++) {
            double[] x = new double[width];
            for (int j = 0; j < width; j++) {
                x[j] = random.nextInt(5) == 0 ? EDGE[random.nextInt(EDGE.length)] : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
            }
            rows.add(Map.of(name, x));
        }
        return rows;
    }

    static List<Map<String, Object>> longRows(String name, int width, long seed) {
        long[] edge = {0, 1, -1, 2, 7, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, 16777217, 1L << 40, 3_037_000_500L};
        List<Map<String, Object>> rows = new ArrayList<>();
        Random random = new Random(seed);
        for (int r = 0; r < 200; r++) {
            long[] x = new long[width];
            for (int j = 0; j < width; j++) {
                x[j] = random.nextBoolean() ? edge[random.nextInt(edge.length)] : random.nextInt(20) - 10;
            }
            rows.add(Map.of(name, x));
        }
        return rows;
    }

    static List<Map<String, Object>> intRows(String name, int width, long seed) {
        long[] edge = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 46341, -46341, 16777217};
        List<Map<String, Object>> rows = new ArrayList<>();
        Random random = new Random(seed);
        for (int r = 0; r < 100; r++) {
            long[] x = new long[width];
            for (int j = 0; j < width; j++) {
                x[j] = random.nextBoolean() ? edge[random.nextInt(edge.length)] : random.nextInt(20) - 10;
            }
            rows.add(Map.of(name, x));
        }
        return rows;
    }

    private static List<Map<String, Object>> stringRows(String name, String... values) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String v : values) {
            rows.add(Map.of(name, v));
        }
        return rows;
    }


    @Test
    void scalerComputesInFloatForFloatInputsAndInDoubleForDoubleInputs() throws Exception {
        AttributeProto offset = floats("offset", 35.367645f, -0.1f, 2481.3752f);
        AttributeProto scale = floats("scale", 0.04742564f, 3f, 5.2692695E-4f);
        assertSameAsOnnxRuntime(model(List.of(tensor("x", FLOAT, 3)), List.of(ml("Scaler", "x", "Y", offset, scale)), List.of(),
                tensor("Y", FLOAT, 3), 1), floatRows("x", 3, 1));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", DOUBLE, 3)), List.of(ml("Scaler", "x", "Y", offset, scale)), List.of(),
                tensor("Y", FLOAT, 3), 1), floatRows("x", 3, 2));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", FLOAT, 3)), List.of(ml("Scaler", "x", "Y", floats("offset", 0.3f),
                floats("scale", -7.1f))), List.of(), tensor("Y", FLOAT, 3), 1), floatRows("x", 3, 3));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", INT64, 3)), List.of(ml("Scaler", "x", "Y", offset, scale)), List.of(),
                tensor("Y", FLOAT, 3), 1), longRows("x", 3, 4));
    }

    @Test
    void imputerReplacesNanOrEqualValuesWithTheColumnsValue() throws Exception {
        assertSameAsOnnxRuntime(model(List.of(tensor("x", FLOAT, 3)), List.of(ml("Imputer", "x", "Y",
                floats("imputed_value_floats", 35f, 72.02f, -0f), f("replaced_value_float", Float.NaN))), List.of(),
                tensor("Y", FLOAT, 3), 1), floatRows("x", 3, 5));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", FLOAT, 3)), List.of(ml("Imputer", "x", "Y",
                floats("imputed_value_floats", 9f), f("replaced_value_float", 0f))), List.of(),
                tensor("Y", FLOAT, 3), 1), floatRows("x", 3, 6));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", FLOAT, 3)), List.of(ml("Imputer", "x", "Y",
                floats("imputed_value_floats", 1f, 2f), f("replaced_value_float", 2.5f))), List.of(),
                tensor("Y", FLOAT, 3), 1), floatRows("x", 3, 7)); // two values for three columns: the first serves all
        assertSameAsOnnxRuntime(model(List.of(tensor("x", INT64, 2)), List.of(ml("Imputer", "x", "T",
                ints("imputed_value_int64s", 5, -9), i("replaced_value_int64", -1)), node("Cast", "", List.of("T"), "Y", i("to", DOUBLE))),
                List.of(), tensor("Y", DOUBLE, 2), 1), longRows("x", 2, 8));
    }

    @Test
    void oneHotEncoderOfStringsIntegersAndTruncatedFloats() throws Exception {
        assertSameAsOnnxRuntime(model(List.of(tensor("x", STRING, 1)), List.of(ml("OneHotEncoder", "x", "T",
                strings("cats_strings", "b", "a", "c", "a"), i("zeros", 1)),
                node("Reshape", "", List.of("T", "shape"), "Y")), List.of(int64s("shape", new long[] {2}, -1, 4)),
                tensor("Y", FLOAT, 4), 1), stringRows("x", "a", "b", "c", "", "A", "d", " a", "\u00e9"));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", INT64, 2)), List.of(ml("OneHotEncoder", "x", "T",
                ints("cats_int64s", 3, -1, 0, Long.MIN_VALUE)), node("Flatten", "", List.of("T"), "Y")), List.of(),
                tensor("Y", FLOAT, 8), 1), longRows("x", 2, 9));
        for (int type : new int[] {FLOAT, DOUBLE}) {
            assertSameAsOnnxRuntime(model(List.of(tensor("x", type, 2)), List.of(ml("OneHotEncoder", "x", "T",
                    ints("cats_int64s", 0, 1, 2, -2, 7, Long.MIN_VALUE)), node("Flatten", "", List.of("T"), "Y")), List.of(),
                    tensor("Y", FLOAT, 12), 1), floatRows("x", 2, 10 + type));
        }
    }

    @Test
    void oneHotEncoderWithoutZerosFailsOnAnUnknownCategoryAsOnnxRuntimeDoes() throws Exception {
        ModelProto model = model(List.of(tensor("x", STRING, 1)), List.of(ml("OneHotEncoder", "x", "T",
                strings("cats_strings", "a", "b"), i("zeros", 0)), node("Flatten", "", List.of("T"), "Y")), List.of(),
                tensor("Y", FLOAT, 2), 1);
        assertSameAsOnnxRuntime(model, stringRows("x", "a", "b", "b"));
        List<Map<String, Object>> unknown = stringRows("x", "a", "z");
        try (OrtPipelineOracle ort = new OrtPipelineOracle(model.toByteArray())) {
            OrtPipelineOracle.Columns columns = ort.columns(unknown);
            OrtException failure = assertThrows(OrtException.class, () -> ort.run(columns));
            assertTrue(failure.getMessage().contains("Unknown Category and zeros = 0."), failure.getMessage());
            OnnxTreeFeatures features = OnnxPreprocessingPlanner.plan(model.getGraph(), 15, 1, "Y", OnnxPreprocessingPlanner.nodeSet())
                    .bind(ort.encoder);
            Object scratch = features.newScratch();
            float[] row = new float[2];
            features.fill(columns, 0, row, 0, scratch);
            assertEquals(1f, row[0]);
            ScoringException e = assertThrows(ScoringException.class, () -> features.fill(columns, 1, row, 0, scratch));
            assertEquals("OneHotEncoder T met the unknown category 'z' with zeros = 0, where ONNX Runtime fails the run "
                    + "(\"Unknown Category and zeros = 0.\")", e.getMessage());
        }
    }

    @Test
    void labelEncoderMapsKeysToValuesOrTheDefault() throws Exception {
        // opset 2: string -> float with a default, string -> int64 (cast to float), float -> float (-0 finds 0, NaN finds nothing)
        assertSameAsOnnxRuntime(model(List.of(tensor("x", STRING, 1)), List.of(ml("LabelEncoder", "x", "Y",
                strings("keys_strings", "a", "b", "a"), floats("values_floats", 1.5f, -2f, 9f), f("default_float", 7.25f))),
                List.of(), tensor("Y", FLOAT, 1), 2), stringRows("x", "a", "b", "c", "", "B"));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", STRING, 1)), List.of(ml("LabelEncoder", "x", "Y",
                strings("keys_strings", "a", "b"), floats("values_floats", 1.5f, -2f))),
                List.of(), tensor("Y", FLOAT, 1), 2), stringRows("x", "a", "b", "c"));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", STRING, 1)), List.of(ml("LabelEncoder", "x", "T",
                strings("keys_strings", "a", "b"), ints("values_int64s", 4, 5), i("default_int64", 42)),
                node("Cast", "", List.of("T"), "Y", i("to", FLOAT))), List.of(), tensor("Y", FLOAT, 1), 2), stringRows("x", "a", "b", "zz"));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", FLOAT, 2)), List.of(ml("LabelEncoder", "x", "Y",
                floats("keys_floats", 0f, Float.NaN, 2.5f, 1e30f, -0f), floats("values_floats", 10f, 20f, 30f, 40f, 50f))),
                List.of(), tensor("Y", FLOAT, 2), 2), floatRows("x", 2, 12));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", INT64, 2)), List.of(ml("LabelEncoder", "x", "Y",
                ints("keys_int64s", 0, 7, -1, Long.MIN_VALUE), floats("values_floats", 10f, 20f, 30f, 40f))),
                List.of(), tensor("Y", FLOAT, 2), 2), longRows("x", 2, 13));
        // opset 4: NaN finds a NaN key
        assertSameAsOnnxRuntime(model(List.of(tensor("x", FLOAT, 2)), List.of(ml("LabelEncoder", "x", "Y",
                floats("keys_floats", 0f, Float.NaN, 2.5f), floats("values_floats", 10f, 20f, 30f))),
                List.of(), tensor("Y", FLOAT, 2), 4), floatRows("x", 2, 14));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", STRING, 1)), List.of(ml("LabelEncoder", "x", "Y",
                strings("keys_strings", "a", "b"), floats("values_floats", 1.5f, -2f))),
                List.of(), tensor("Y", FLOAT, 1), 4), stringRows("x", "a", "b", "c"));
        // opset 2: int64 -> string, then one-hot
        assertSameAsOnnxRuntime(model(List.of(tensor("x", INT64, 1)), List.of(ml("LabelEncoder", "x", "S",
                ints("keys_int64s", 1, 2, 3), strings("values_strings", "one", "two", "one")),
                ml("OneHotEncoder", "S", "T", strings("cats_strings", "one", "two", "_Unused")), node("Flatten", "", List.of("T"), "Y")),
                List.of(), tensor("Y", FLOAT, 3), 2), longRows("x", 1, 15));
    }

    @Test
    void labelEncoderOfOpsetOneMapsStringsToTheirLastPositionAndBack() throws Exception {
        assertSameAsOnnxRuntime(model(List.of(tensor("x", STRING, 1)), List.of(ml("LabelEncoder", "x", "T",
                strings("classes_strings", "a", "b", "a"), i("default_int64", -5), s("default_string", "?")),
                node("Cast", "", List.of("T"), "Y", i("to", FLOAT))), List.of(), tensor("Y", FLOAT, 1), 1), stringRows("x", "a", "b", "c", ""));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", STRING, 1)), List.of(ml("LabelEncoder", "x", "T",
                strings("classes_strings", "a", "b")), node("Cast", "", List.of("T"), "Y", i("to", FLOAT))), List.of(),
                tensor("Y", FLOAT, 1), 1), stringRows("x", "a", "b", "c"));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", INT64, 1)), List.of(ml("LabelEncoder", "x", "S",
                strings("classes_strings", "one", "two"), i("default_int64", -5), s("default_string", "?")),
                ml("OneHotEncoder", "S", "T", strings("cats_strings", "one", "two", "?")), node("Flatten", "", List.of("T"), "Y")),
                List.of(), tensor("Y", FLOAT, 3), 1), longRows("x", 1, 22));
    }

    @Test
    void normalizerMaxL1AndL2InFloat() throws Exception {
        for (String norm : new String[] {"MAX", "L1", "L2"}) {
            for (int type : new int[] {FLOAT, DOUBLE}) {
                assertSameAsOnnxRuntime(model(List.of(tensor("x", type, 4)), List.of(ml("Normalizer", "x", "Y", s("norm", norm))),
                        List.of(), tensor("Y", FLOAT, 4), 1), floatRows("x", 4, 16 + type));
            }
            for (int type : new int[] {INT64, INT32}) {
                assertSameAsOnnxRuntime(model(List.of(tensor("x", type, 3)), List.of(ml("Normalizer", "x", "Y", s("norm", norm))),
                        List.of(), tensor("Y", FLOAT, 3), 1), type == INT32 ? intRows("x", 3, 17) : longRows("x", 3, 17));
            }
        }
    }

    @Test
    void castBetweenNumbersAsCppStaticCast() throws Exception {
        for (int to : new int[] {INT64, INT32, BOOL, DOUBLE}) {
            assertSameAsOnnxRuntime(model(List.of(tensor("x", FLOAT, 2)), List.of(node("Cast", "", List.of("x"), "T", i("to", to)),
                    node("Cast", "", List.of("T"), "Y", i("to", DOUBLE))), List.of(), tensor("Y", DOUBLE, 2), 1), floatRows("x", 2, 18 + to));
            assertSameAsOnnxRuntime(model(List.of(tensor("x", DOUBLE, 2)), List.of(node("Cast", "", List.of("x"), "T", i("to", to)),
                    node("Cast", "", List.of("T"), "Y", i("to", FLOAT))), List.of(), tensor("Y", FLOAT, 2), 1), floatRows("x", 2, 19 + to));
        }
        for (int to : new int[] {FLOAT, DOUBLE, INT32, BOOL}) {
            assertSameAsOnnxRuntime(model(List.of(tensor("x", INT64, 2)), List.of(node("Cast", "", List.of("x"), "T", i("to", to)),
                    node("Cast", "", List.of("T"), "Y", i("to", DOUBLE))), List.of(), tensor("Y", DOUBLE, 2), 1), longRows("x", 2, 20 + to));
        }
    }

    @Test
    void int32AndBoolInputsAreReadAsTheEncoderWritesThem() throws Exception {
        assertSameAsOnnxRuntime(model(List.of(tensor("x", INT32, 3)), List.of(ml("Scaler", "x", "Y", floats("offset", 0.5f, -3f, 1e9f),
                floats("scale", 3f, 0.1f, 1f))), List.of(), tensor("Y", FLOAT, 3), 1), intRows("x", 3, 23));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", INT32, 2)), List.of(node("Cast", "", List.of("x"), "Y", i("to", DOUBLE))),
                List.of(), tensor("Y", DOUBLE, 2), 1), intRows("x", 2, 24));
        List<Map<String, Object>> bools = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            bools.add(Map.of("x", new double[] {r & 1, r >> 1}));
        }
        assertSameAsOnnxRuntime(model(List.of(tensor("x", BOOL, 2)), List.of(node("Cast", "", List.of("x"), "Y", i("to", FLOAT))),
                List.of(), tensor("Y", FLOAT, 2), 1), bools);
    }

    @Test
    void arithmeticWithAConstantIsOneOperationInTheInputsType() throws Exception {
        TensorProto.Builder mean = TensorProto.newBuilder().setName("mean").setDataType(DOUBLE).addDims(3);
        TensorProto.Builder meanF = TensorProto.newBuilder().setName("mean").setDataType(FLOAT).addDims(1).addDims(3);
        for (double v : new double[] {35.367645263671875, -0.1, 2481.375244140625}) {
            mean.addDoubleData(v);
            meanF.addFloatData((float) v);
        }
        TensorProto.Builder scale = TensorProto.newBuilder().setName("scale").setDataType(DOUBLE).addDoubleData(0.3); // a scalar
        TensorProto.Builder scaleF = TensorProto.newBuilder().setName("scale").setDataType(FLOAT).addFloatData(0.3f);
        for (String op : new String[] {"Add", "Sub", "Mul", "Div"}) {
            // skl2onnx's StandardScaler on doubles: Sub(x, mean) then Div(., scale); and the constant first
            assertSameAsOnnxRuntime(model(List.of(tensor("x", DOUBLE, 3)), List.of(node(op, "", List.of("x", "mean"), "t"),
                    node(op, "", List.of("scale", "t"), "Y")), List.of(mean.build(), scale.build()), tensor("Y", DOUBLE, 3), 1),
                    floatRows("x", 3, 25));
            NodeProto constant = NodeProto.newBuilder().setOpType("Constant").addOutput("scale").addAttribute(
                    PreprocessingOpsParityTest.tensorAttribute("value", scaleF.build())).build();
            assertSameAsOnnxRuntime(model(List.of(tensor("x", FLOAT, 3)), List.of(node(op, "", List.of("mean", "x"), "t"),
                    constant, node(op, "", List.of("t", "scale"), "Y")), List.of(meanF.build()), tensor("Y", FLOAT, 3), 1),
                    floatRows("x", 3, 26));
        }
        assertEquals("ONNX op Sub of two computed values not covered (of a value and a constant is)",
                reasonFor(List.of(tensor("x", FLOAT, 1)), List.of(node("Sub", "", List.of("x", "x"), "Y")), List.of()));
        assertEquals("ONNX op Mul with a constant of dimensions [2, 1] over row shape [1] not covered",
                reasonFor(List.of(tensor("x", FLOAT, 1)), List.of(node("Mul", "", List.of("x", "c"), "Y")), List.of(
                        TensorProto.newBuilder().setName("c").setDataType(FLOAT).addDims(2).addDims(1).addFloatData(1).addFloatData(2).build())));
    }

    static AttributeProto tensorAttribute(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value).build();
    }

    @Test
    void binarizerComparesWithItsThresholdAndFailsOnNanAsOnnxRuntimeDoes() throws Exception {
        List<Map<String, Object>> rows = floatRows("x", 2, 27);
        rows.removeIf(row -> Double.isNaN(((double[]) row.get("x"))[0]) || Double.isNaN(((double[]) row.get("x"))[1]));
        assertSameAsOnnxRuntime(model(List.of(tensor("x", FLOAT, 2)), List.of(ml("Binarizer", "x", "Y", f("threshold", 0.5f))),
                List.of(), tensor("Y", FLOAT, 2), 1), rows);
        ModelProto noThreshold = model(List.of(tensor("x", FLOAT, 2)), List.of(ml("Binarizer", "x", "Y")), List.of(),
                tensor("Y", FLOAT, 2), 1);
        assertSameAsOnnxRuntime(noThreshold, rows);
        List<Map<String, Object>> nan = List.of(Map.of("x", new double[] {1, Double.NaN}));
        try (OrtPipelineOracle ort = new OrtPipelineOracle(noThreshold.toByteArray())) {
            OrtPipelineOracle.Columns columns = ort.columns(nan);
            OrtException failure = assertThrows(OrtException.class, () -> ort.run(columns));
            assertTrue(failure.getMessage().contains("is NaN"), failure.getMessage());
            OnnxTreeFeatures features = OnnxPreprocessingPlanner.plan(noThreshold.getGraph(), 15, 1, "Y",
                    OnnxPreprocessingPlanner.nodeSet()).bind(ort.encoder);
            assertThrows(ScoringException.class, () -> features.fill(columns, 0, new float[2], 0, features.newScratch()));
        }
    }

    @Test
    void featureVectorizerCastsCutsAndPadsEachInput() throws Exception {
        Random random = new Random(28);
        for (int type : new int[] {FLOAT, DOUBLE, INT64, INT32}) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int r = 0; r < 60; r++) {
                Object a = type == INT64 || type == INT32 ? new long[] {random.nextInt(), -r}
                        : new double[] {EDGE[random.nextInt(EDGE.length)], random.nextGaussian() * 1e40};
                Object b = type == INT64 ? new long[] {random.nextLong(), r, -r} : type == INT32 ? new long[] {random.nextInt(), r, -r}
                        : new double[] {EDGE[random.nextInt(EDGE.length)], r, -r};
                rows.add(Map.of("a", a, "b", b));
            }
            assertSameAsOnnxRuntime(model(List.of(tensor("a", type, 2), tensor("b", type, 3)),
                    List.of(node("FeatureVectorizer", "ai.onnx.ml", List.of("a", "b"), "Y", ints("inputdimensions", 3, 2))),
                    List.of(), tensor("Y", FLOAT, 5), 1), rows);
        }
    }

    @Test
    void reorderingOperatorsMoveValuesWithinTheRow() throws Exception {
        List<NodeProto> nodes = List.of(
                node("Reshape", "", List.of("x", "s23"), "a"),                                  // [N,6] -> [N,2,3]
                node("Gather", "", List.of("a", "g"), "b", i("axis", 2)),                       // [N,2,2]: columns 2 and 0
                node("Flatten", "", List.of("b"), "c", i("axis", 1)),                           // [N,4]
                node("Unsqueeze", "", List.of("c", "ax1"), "d"),                                // [N,1,4]
                node("Squeeze", "", List.of("d", "ax1"), "e"),                                  // [N,4]
                ml("ArrayFeatureExtractor", "e", "f").toBuilder().addInput("idx").build(),      // [N,3]: 3, 1, 3
                node("Concat", "", List.of("f", "z", "f"), "h", i("axis", -1)),                 // [N,8]
                node("Identity", "", List.of("h"), "Y"));
        List<TensorProto> constants = List.of(int64s("s23", new long[] {3}, 0, 2, 3), int64s("g", new long[] {2}, -1, 0),
                int64s("ax1", new long[] {1}, 1), int64s("idx", new long[] {3}, 3, 1, 3));
        List<Map<String, Object>> rows = new ArrayList<>();
        Random random = new Random(21);
        for (int r = 0; r < 50; r++) {
            double[] x = new double[6];
            for (int j = 0; j < 6; j++) {
                x[j] = EDGE[random.nextInt(EDGE.length)];
            }
            rows.add(Map.of("x", x, "z", new double[] {r, -r}));
        }
        assertSameAsOnnxRuntime(model(List.of(tensor("x", FLOAT, 6), tensor("z", FLOAT, 2)), nodes, constants, tensor("Y", FLOAT, 8), 1),
                rows);
    }

    @Test
    void whatOnnxRuntimeComputesAcrossRowsOrRefusesIsNotCovered() {
        assertEquals("ONNX op Concat along axis 0 of rank 2 not covered", reasonFor(List.of(tensor("x", FLOAT, 2)),
                List.of(node("Concat", "", List.of("x", "x"), "Y", i("axis", 0))), List.of()));
        assertEquals("ONNX op Reshape to [1, -1] not covered (the batch dimension must stay)", reasonFor(List.of(tensor("x", FLOAT, 2)),
                List.of(node("Reshape", "", List.of("x", "s"), "Y")), List.of(int64s("s", new long[] {2}, 1, -1))));
        assertEquals("ONNX op Normalizer on FLOAT of row shape [2, 1] not covered ([N, F] numbers are)",
                reasonFor(List.of(tensor("x", FLOAT, 2, 1)), List.of(ml("Normalizer", "x", "Y", s("norm", "L1"))), List.of()));
        assertEquals("ONNX op Scaler with 2 offsets and 2 scales for row shape [3] not covered", reasonFor(List.of(tensor("x", FLOAT, 3)),
                List.of(ml("Scaler", "x", "Y", floats("offset", 1, 2), floats("scale", 1, 2))), List.of()));
        assertEquals("ONNX op Imputer on DOUBLE with these attributes not covered", reasonFor(List.of(tensor("x", DOUBLE, 2)),
                List.of(ml("Imputer", "x", "Y", floats("imputed_value_floats", 1), f("replaced_value_float", 0))), List.of()));
        assertEquals("ONNX op Cast from STRING to FLOAT not covered", reasonFor(List.of(tensor("x", STRING, 1)),
                List.of(node("Cast", "", List.of("x"), "Y", i("to", FLOAT))), List.of()));
        assertEquals("ONNX op ArrayFeatureExtractor index -1 out of range 2", reasonFor(List.of(tensor("x", FLOAT, 2)),
                List.of(ml("ArrayFeatureExtractor", "x", "Y").toBuilder().addInput("i").build()), List.of(int64s("i", new long[] {1}, -1))));
        assertEquals("tree ensemble input of type INT64 not covered (float and double are)", reasonFor(List.of(tensor("x", INT64, 2)),
                List.of(node("Identity", "", List.of("x"), "Y")), List.of()));
    }

    @Test
    void squeezeAndUnsqueezeTakeTheirAxesAsAttributesBeforeOpset13() throws Exception {
        ModelProto model = model(List.of(tensor("x", FLOAT, 3)), List.of(node("Unsqueeze", "", List.of("x"), "u", ints("axes", 1, -1)),
                node("Squeeze", "", List.of("u"), "Y", ints("axes", 1, 3))), List.of(), tensor("Y", FLOAT, 3), 1);
        model = model.toBuilder().setOpsetImport(0, model.getOpsetImport(0).toBuilder().setVersion(11)).build();
        try (OrtPipelineOracle ort = new OrtPipelineOracle(model.toByteArray())) {
            List<Map<String, Object>> rows = floatRows("x", 3, 29);
            OrtPipelineOracle.Columns columns = ort.columns(rows);
            float[][] expected = (float[][]) ort.run(columns).get("Y");
            OnnxTreeFeatures features = OnnxPreprocessingPlanner.plan(model.getGraph(), 11, 1, "Y", OnnxPreprocessingPlanner.nodeSet())
                    .bind(ort.encoder);
            float[] row = new float[3];
            Object scratch = features.newScratch();
            for (int r = 0; r < rows.size(); r++) {
                features.fill(columns, r, row, 0, scratch);
                for (int j = 0; j < 3; j++) {
                    assertEquals(Float.floatToIntBits(expected[r][j]), Float.floatToIntBits(row[j]), "row " + r);
                }
            }
        }
        assertEquals("ONNX op Squeeze without axes not covered", reasonFor(List.of(tensor("x", FLOAT, 1)),
                List.of(node("Squeeze", "", List.of("x"), "Y")), List.of()));
    }

    private static String reasonFor(List<ValueInfoProto> inputs, List<NodeProto> nodes, List<TensorProto> constants) {
        ModelProto model = model(inputs, nodes, constants, tensor("Y", FLOAT, 1), 2);
        try {
            OnnxPreprocessingPlanner.plan(model.getGraph(), 15, 2, "Y", OnnxPreprocessingPlanner.nodeSet());
            return null;
        } catch (OnnxTreeLayout.NotCoveredException e) {
            return e.getMessage();
        }
    }
}

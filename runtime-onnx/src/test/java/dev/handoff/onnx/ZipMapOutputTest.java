package dev.handoff.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ValueType;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A default skl2onnx export (with ZipMap) scored through Handoff, which reads the probability tensor
 * in place of the ZipMap, gives exactly the probabilities and class order of the ZipMap output that
 * ONNX Runtime computes from the file as exported, on every row of every ZipMap file of the corpus.
 */
class ZipMapOutputTest {

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"BREAST_CANCER_ONNX", "IRIS_ONNX", "CHURN_PIPELINE_ONNX",
            "CHURN_LOGREG_ONNX", "HGB_MISSING_ONNX"})
    void probabilitiesAndClassOrderAreExactlyThoseOfTheZipMapOutput(CorpusModel model) throws Exception {
        List<Map<String, Object>> records = model.inputRecords();
        List<Map<String, Float>> zipMap = zipMapOutput(model, records);
        try (Scorer scorer = Scorer.load(model.modelBytes(), OnnxCorpusParityTest.optionsFor(model))) {
            assertEquals(List.of("output_label", "output_probability"), scorer.outputs().stream().map(o -> o.name()).toList());
            assertEquals(ValueType.MAP, scorer.outputs().get(1).type());
            Predictions predictions = scorer.scoreAll(records);
            assertEquals(List.of(), predictions.failures());
            for (int r = 0; r < records.size(); r++) {
                Map<String, Float> expected = zipMap.get(r);
                Prediction p = predictions.get(r);
                Map<String, Double> expectedInClassOrder = new LinkedHashMap<>();
                for (String c : scorer.classes()) {
                    expectedInClassOrder.put(c, (double) expected.get(c));
                }
                assertEquals(expected.keySet(), expectedInClassOrder.keySet(), model + " row " + r);
                assertEquals(List.copyOf(expectedInClassOrder.entrySet()), List.copyOf(p.probabilities().entrySet()), model + " row " + r);
                @SuppressWarnings("unchecked")
                Map<String, Double> output = (Map<String, Double>) p.output("output_probability");
                assertEquals(List.copyOf(expectedInClassOrder.entrySet()), List.copyOf(output.entrySet()), model + " row " + r);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"BREAST_CANCER_ONNX", "IRIS_ONNX", "CHURN_LOGREG_ONNX"})
    void classesAreInTheOrderOfTheZipMapsLabels(CorpusModel model) {
        try (Scorer scorer = Scorer.load(model.modelBytes(), OnnxCorpusParityTest.optionsFor(model))) {
            assertEquals(model.classes(), scorer.classes());
        }
    }

    /** The ZipMap maps of ONNX Runtime run directly on the file as exported, keys as canonical strings. */
    private static List<Map<String, Float>> zipMapOutput(CorpusModel model, List<Map<String, Object>> records) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // Handoff's defaults: one thread sums a tree ensemble in one order, so the sums agree to the last bit
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            return zipMapOutput(env, env.createSession(model.modelBytes(), options), model, records);
        }
    }

    private static List<Map<String, Float>> zipMapOutput(OrtEnvironment env, OrtSession created, CorpusModel model,
                                                        List<Map<String, Object>> records) throws Exception {
        try (OrtSession session = created) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            try {
                for (NodeInfo input : session.getInputInfo().values()) {
                    inputs.put(input.getName(), tensor(env, model, input, records));
                }
                try (OrtSession.Result result = session.run(inputs, java.util.Set.of("output_probability"))) {
                    List<Map<String, Float>> rows = new ArrayList<>();
                    for (OnnxValue map : ((OnnxSequence) result.get(0)).getValue()) {
                        Map<String, Float> row = new HashMap<>();
                        ((OnnxMap) map).getValue().forEach((k, v) -> row.put(String.valueOf(k), (Float) v));
                        rows.add(row);
                    }
                    return rows;
                }
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, CorpusModel model, NodeInfo input, List<Map<String, Object>> records)
            throws Exception {
        TensorInfo info = (TensorInfo) input.getInfo();
        List<String> columns = model.isSingleTensor() ? model.inputColumns() : List.of(input.getName());
        int n = records.size();
        if (info.type == ai.onnxruntime.OnnxJavaType.STRING) {
            String[] values = new String[n];
            for (int r = 0; r < n; r++) {
                values[r] = (String) records.get(r).get(input.getName());
            }
            return OnnxTensor.createTensor(env, values, new long[] {n, 1});
        }
        float[] values = new float[n * columns.size()];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < columns.size(); c++) {
                Object cell = records.get(r).get(columns.get(c));
                values[r * columns.size() + c] = cell == null ? Float.NaN : Float.parseFloat((String) cell);
            }
        }
        return OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(values), new long[] {n, columns.size()});
    }
}

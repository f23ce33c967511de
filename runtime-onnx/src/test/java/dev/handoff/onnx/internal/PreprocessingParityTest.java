package dev.handoff.onnx.internal;

import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole churn pipeline (eight inputs, Imputer, Scaler, three OneHotEncoders, Concat, Reshape, the trees, Cast and
 * ZipMap) through {@link OnnxPreprocessing} and the interpreter against ONNX Runtime running the same graph on the
 * same encoded tensors: every input.csv row, fuzzed numbers (NaN, +-0, subnormals, +-infinity, huge), values whose
 * scaled feature lands on a tree threshold and the floats around it, and unseen categories. Labels and probabilities
 * must agree bit for bit.
 */
class PreprocessingParityTest {
    private static final double[] SPECIAL = {Double.NaN, 0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Float.MIN_VALUE,
        -Float.MIN_VALUE, Float.MIN_NORMAL, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
        1e300, -1e300, 1e30, -1e30, 1e-30, 3.4028235677973366E38};
    private static final String[] NUMBERS = {"tenure_months", "monthly_charges", "total_charges", "support_calls", "age"};
    private static final String[] CATEGORIES = {"plan", "region", "payment_method"};
    private static final String[] ODD_CATEGORIES = {"", "unseen", "PLUS", " plus", "plus ", "n\u00f6rth", "\u0000"};

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"CHURN_PIPELINE_ONNX", "CHURN_PIPELINE_NOZIPMAP_ONNX"})
    void churnPipelineScoresEveryRowAndFuzzedRowAsOnnxRuntimeDoes(CorpusModel corpus) throws Exception {
        OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(corpus.modelBytes()).proto());
        assertNull(coverage.reason(), corpus + " should be covered");
        assertEquals("transformed_column", coverage.inputName());
        TreeEnsemble model = coverage.model();
        assertEquals(16, model.featureCount(), "5 scaled numbers and 3 + 4 + 4 one-hot columns");
        assertEquals(TreeEnsemble.ThresholdType.FLOAT, model.thresholdType());

        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> record : corpus.inputRecords()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String name : NUMBERS) {
                Object v = record.get(name);
                row.put(name, v == null ? Double.NaN : Double.parseDouble((String) v));
            }
            for (String name : CATEGORIES) {
                row.put(name, record.getOrDefault(name, ""));
            }
            rows.add(row);
        }
        int corpusRows = rows.size();
        Random random = new Random(14);
        rows.addAll(thresholdRows(corpus, model, rows, random));
        for (int i = 0; i < 3_000; i++) {
            Map<String, Object> row = new LinkedHashMap<>(rows.get(random.nextInt(corpusRows)));
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                if (random.nextInt(4) == 0) {
                    row.put(CATEGORIES[random.nextInt(3)], ODD_CATEGORIES[random.nextInt(ODD_CATEGORIES.length)]);
                } else {
                    row.put(NUMBERS[random.nextInt(NUMBERS.length)], SPECIAL[random.nextInt(SPECIAL.length)]);
                }
            }
            rows.add(row);
        }

        try (OrtPipelineOracle ort = new OrtPipelineOracle(corpus.modelBytes())) {
            OrtPipelineOracle.Columns columns = ort.columns(rows);
            Map<String, Object> expected = ort.run(columns);
            String labelName = corpus == CorpusModel.CHURN_PIPELINE_ONNX ? "output_label" : "label";
            String probabilityName = corpus == CorpusModel.CHURN_PIPELINE_ONNX ? "output_probability" : "probabilities";
            long[] labels = (long[]) expected.get(labelName);
            float[][] probabilities = (float[][]) expected.get(probabilityName);
            OrtTreeOracle.Answer got = OrtPipelineOracle.engine(coverage, ort.encoder, columns);
            List<String> differences = new ArrayList<>();
            for (int r = 0; r < rows.size() && differences.size() < 20; r++) {
                if (!Long.toString(labels[r]).equals(got.labels()[r])) {
                    differences.add("row " + r + " " + rows.get(r) + ": label " + labels[r] + " vs engine " + got.labels()[r]);
                }
                for (int k = 0; k < 2; k++) {
                    float want = probabilities[r][k];
                    float have = got.scores()[r * 2 + k];
                    if (Float.floatToIntBits(want) != Float.floatToIntBits(have)) {
                        differences.add("row " + r + " " + rows.get(r) + ": probability " + k + " " + want + " vs engine " + have);
                    }
                }
            }
            assertEquals(List.of(), differences, () -> String.join("\n", differences));
        }
    }

    /**
     * For each numeric feature, raw values whose imputed-and-scaled feature lands on every threshold of the trees, and
     * the raw floats a few ulps either side (the Scaler rounds, so nearby raw floats land on and around the threshold).
     */
    private static List<Map<String, Object>> thresholdRows(CorpusModel corpus, TreeEnsemble model, List<Map<String, Object>> rows,
                                                           Random random) {
        float[] offset = {35.367645f, 70.78066f, 2481.3752f, 1.5105883f, 45.28412f};
        float[] scale = {0.04742564f, 0.035066407f, 5.2692695E-4f, 0.7945508f, 0.07381711f};
        List<Map<String, Object>> out = new ArrayList<>();
        for (int f = 0; f < NUMBERS.length; f++) {
            for (int i = 0; i < model.nodeCount(); i++) {
                if (model.isLeaf(i) || model.feature(i) != f) {
                    continue;
                }
                float raw = (float) (model.value(i) / scale[f] + offset[f]);
                for (int step = -3; step <= 3; step++) {
                    float x = raw;
                    for (int s = 0; s < Math.abs(step); s++) {
                        x = step < 0 ? Math.nextDown(x) : Math.nextUp(x);
                    }
                    Map<String, Object> row = new LinkedHashMap<>(rows.get(random.nextInt(rows.size())));
                    row.put(NUMBERS[f], (double) x);
                    out.add(row);
                }
            }
        }
        assertTrue(out.size() > 100, corpus + ": threshold rows");
        return out;
    }

    @Test
    void everyCorpusOnnxFileIsCoveredOrSaysWhyNot() {
        Map<CorpusModel, String> expected = new LinkedHashMap<>();
        for (CorpusModel corpus : CorpusModel.values()) {
            if (corpus.isOnnx()) {
                expected.put(corpus, null);
            }
        }
        // the label through Identity or Cast to int64 and the probabilities through ZipMap are covered too
        expected.put(CorpusModel.BREAST_CANCER_ONNX, "ONNX op LinearClassifier not covered");
        expected.put(CorpusModel.BREAST_CANCER_NOZIPMAP_ONNX, "ONNX op LinearClassifier not covered");
        expected.put(CorpusModel.CHURN_LOGREG_ONNX, "ONNX op LinearClassifier not covered");
        expected.put(CorpusModel.CHURN_LOGREG_NOZIPMAP_ONNX, "ONNX op LinearClassifier not covered");
        expected.put(CorpusModel.DIGITS_ONNX, "ONNX op Gemm not covered");
        Map<CorpusModel, String> actual = new LinkedHashMap<>();
        for (CorpusModel corpus : expected.keySet()) {
            actual.put(corpus, reason(corpus));
        }
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"IRIS_ONNX", "HGB_MISSING_ONNX"})
    void zipMapExportsScoreAsOnnxRuntimeDoes(CorpusModel corpus) throws Exception {
        OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(corpus.modelBytes()).proto());
        assertNotNull(coverage.model(), coverage.reason());
        List<Map<String, Object>> rows = new ArrayList<>();
        Random random = new Random(corpus.ordinal());
        int features = coverage.model().featureCount();
        for (Map<String, Object> record : corpus.inputRecords()) {
            double[] x = new double[features];
            for (int f = 0; f < features; f++) {
                Object v = record.get(corpus.inputColumns().get(f));
                x[f] = v == null ? Double.NaN : Double.parseDouble((String) v);
            }
            rows.add(Map.of("input", x));
            double[] fuzzed = x.clone();
            fuzzed[random.nextInt(features)] = SPECIAL[random.nextInt(SPECIAL.length)];
            rows.add(Map.of("input", fuzzed));
        }
        try (OrtPipelineOracle ort = new OrtPipelineOracle(corpus.modelBytes())) {
            OrtPipelineOracle.Columns columns = ort.columns(rows);
            Map<String, Object> expected = ort.run(columns);
            OrtTreeOracle.Answer got = OrtPipelineOracle.engine(coverage, ort.encoder, columns);
            Object labels = expected.get("output_label");
            float[][] probabilities = (float[][]) expected.get("output_probability");
            int width = probabilities[0].length;
            for (int r = 0; r < rows.size(); r++) {
                String label = labels instanceof long[] l ? Long.toString(l[r]) : ((String[]) labels)[r];
                assertEquals(label, got.labels()[r], "row " + r);
                for (int k = 0; k < width; k++) {
                    assertEquals(Float.floatToIntBits(probabilities[r][k]), Float.floatToIntBits(got.scores()[r * width + k]),
                            "row " + r + " class " + k);
                }
            }
        }
    }

    @Test
    void aRowThroughThePreprocessingAllocatesNothing() throws Exception {
        OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(CorpusModel.CHURN_PIPELINE_ONNX.modelBytes()).proto());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> record : CorpusModel.CHURN_PIPELINE_ONNX.inputRecords()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String name : NUMBERS) {
                row.put(name, record.containsKey(name) ? Double.parseDouble((String) record.get(name)) : Double.NaN);
            }
            for (String name : CATEGORIES) {
                row.put(name, record.getOrDefault(name, "unseen"));
            }
            rows.add(row);
        }
        try (OrtPipelineOracle ort = new OrtPipelineOracle(CorpusModel.CHURN_PIPELINE_ONNX.modelBytes())) {
            OrtPipelineOracle.Columns columns = ort.columns(rows);
            OnnxTreeFeatures features = coverage.features().bind(ort.encoder);
            Object scratch = features.newScratch();
            float[] row = new float[features.featureCount()];
            // through reflection: this module does not read java.management (com.sun.management.ThreadMXBean)
            Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            java.lang.reflect.Method allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes");
            long before = (long) allocatedBytes.invoke(threads);
            for (int i = 0; i < 20_000; i++) {
                features.fill(columns, i % columns.rowCount(), row, 0, scratch);
            }
            long allocated = (long) allocatedBytes.invoke(threads) - before;
            assertTrue(allocated < 20_000, "20,000 rows allocated " + allocated + " bytes");
        }
    }

    private static String reason(CorpusModel corpus) {
        return OnnxTreeReader.read(OnnxGraph.read(corpus.modelBytes()).proto()).reason();
    }
}

package dev.handoff.onnx.internal;

import dev.handoff.internal.tree.BytecodeTrees;
import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tree engine against ONNX Runtime on the corpus tree files: every row of the case's input.csv, then
 * fuzzed rows (NaN, +-0, subnormals, +-infinity, huge magnitudes, and every threshold of the model with the
 * float one ulp either side), scored by the interpreter, by the bytecode backend and by the real session; every
 * score, probability and label must agree bit for bit.
 */
class TreeEngineCorpusParityTest {
    private static final float[] SPECIAL = {Float.NaN, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, -1e30f, 1e-30f};

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"DIABETES_ONNX", "XGBOOST_MISSING_ONNX", "HGB_MISSING_NOZIPMAP_ONNX",
            "IRIS_NOZIPMAP_ONNX"})
    void everyCorpusRowAndFuzzedRowScoresAsOnnxRuntimeDoes(CorpusModel corpus) throws Exception {
        OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(corpus.modelBytes()).proto());
        assertNull(coverage.reason(), corpus + " should be covered");
        TreeEnsemble model = coverage.model();
        assertNull(BytecodeTrees.declineReason(model), corpus + " should compile: the oracle checks the bytecode backend too");
        int features = model.featureCount();
        assertEquals(corpus.inputColumns().size(), features, corpus + ": one feature per input.csv column");

        List<float[]> rows = new ArrayList<>();
        for (Map<String, Object> record : corpus.inputRecords()) {
            float[] row = new float[features];
            for (int f = 0; f < features; f++) {
                Object v = record.get(corpus.inputColumns().get(f));
                row[f] = v == null ? Float.NaN : Float.parseFloat((String) v);
            }
            rows.add(row);
        }
        int corpusRows = rows.size();
        Random random = new Random(corpus.ordinal());
        for (int f = 0; f < features; f++) {
            TreeSet<Float> thresholds = thresholds(model, f);
            for (float t : thresholds) {
                for (float x : new float[] {Math.nextDown(t), t, Math.nextUp(t)}) {
                    float[] row = rows.get(random.nextInt(corpusRows)).clone();
                    row[f] = x;
                    rows.add(row);
                }
            }
        }
        for (int i = 0; i < 2_000; i++) {
            float[] row = rows.get(random.nextInt(corpusRows)).clone();
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                row[random.nextInt(features)] = SPECIAL[random.nextInt(SPECIAL.length)];
            }
            rows.add(row);
        }
        float[] flat = new float[rows.size() * features];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, flat, r * features, features);
        }
        try (OrtTreeOracle ort = new OrtTreeOracle(corpus.modelBytes(), coverage.inputName(), false)) {
            OrtTreeOracle.Answer batch = ort.run(flat, rows.size(), features);
            List<String> differences = OrtTreeOracle.differences(corpus.toString(), model, batch, flat, rows.size());
            assertEquals(List.of(), differences, () -> String.join("\n", differences));
            // ONNX Runtime's single-row path (one row per call) must give the batch's bits too
            for (int r = 0; r < rows.size(); r += 37) {
                float[] one = rows.get(r);
                OrtTreeOracle.Answer single = ort.run(one, 1, features);
                List<String> d = OrtTreeOracle.differences(corpus + " single row " + r, model, single, one, 1);
                assertEquals(List.of(), d, () -> String.join("\n", d));
            }
        }
        assertTrue(rows.size() > corpusRows + 2_000, "threshold rows were added");
    }

    @Test
    void graphsWithOtherOperatorsAreNotCoveredAndSayWhich() {
        // phase B covers the preprocessing ops and the Cast / Identity / ZipMap outputs (PreprocessingParityTest)
        assertEquals("ONNX op LinearClassifier not covered", reason(CorpusModel.BREAST_CANCER_NOZIPMAP_ONNX));
        assertTrue(reason(CorpusModel.DIGITS_ONNX).matches("ONNX op \\w+ not covered"), reason(CorpusModel.DIGITS_ONNX));
    }

    private static String reason(CorpusModel corpus) {
        return OnnxTreeReader.read(OnnxGraph.read(corpus.modelBytes()).proto()).reason();
    }

    private static TreeSet<Float> thresholds(TreeEnsemble model, int feature) {
        TreeSet<Float> out = new TreeSet<>();
        for (int i = 0; i < model.nodeCount(); i++) {
            if (!model.isLeaf(i) && model.feature(i) == feature) {
                out.add((float) model.value(i));
            }
        }
        return out;
    }
}

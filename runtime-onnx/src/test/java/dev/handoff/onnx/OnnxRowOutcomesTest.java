package dev.handoff.onnx;

import dev.handoff.Batch;
import dev.handoff.InvalidInputException;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.RuntimeContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.handoff.onnx.TinyOnnxModel.DYNAMIC;
import static dev.handoff.onnx.TinyOnnxModel.INT32;
import static dev.handoff.onnx.TinyOnnxModel.INT64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What happens to each row of a call on an ONNX model: a missing value the graph cannot turn into a
 * prediction rejects the row naming the missing fields, and a bad row of a batch costs only itself. What every
 * runtime does with a bad row is in {@link RuntimeContract}; this is what is ONNX's own.
 */
class OnnxRowOutcomesTest {

    /** {@code y = 2a - 3b + 0.5}, no imputer: a missing value gives NaN. */
    private static Scorer linearRegression() {
        byte[] model = TinyOnnxModel.linearRegression(DYNAMIC, 0.5f, 2f, -3f).bytes();
        return Scorer.load(model, ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(List.of("a", "b")).build()).build());
    }

    // ---- no prediction ----

    @Test
    void missingValueThatTheGraphTurnsIntoNaNRejectsTheRecordNamingTheField() {
        try (Scorer scorer = linearRegression()) {
            assertEquals(2 * 1.5 - 3 * 0.25 + 0.5, scorer.score(Map.of("a", 1.5, "b", 0.25)).value(), 1e-6);
            Map<String, Object> withNull = new HashMap<>(Map.of("a", 1.5));
            withNull.put("b", null);
            for (Map<String, ?> record : List.<Map<String, ?>>of(Map.of("a", 1.5), withNull, Map.of("a", 1.5, "b", Double.NaN),
                    Map.of("a", 1.5, "b", ""))) {
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(record));
                assertEquals("b", e.field());
                assertEquals(-1, e.row());
                assertTrue(e.getMessage().contains("no prediction") && e.getMessage().contains("'b' is missing"), e.getMessage());
            }
            InvalidInputException both = assertThrows(InvalidInputException.class, () -> scorer.score(Map.of()));
            assertEquals("a", both.field(), "the first missing field");
            assertTrue(both.getMessage().contains("fields 'a', 'b' are missing"), both.getMessage());
        }
    }

    @Test
    void rowWithoutAPredictionFailsAloneInABatch() {
        try (Scorer scorer = linearRegression()) {
            List<Map<String, Object>> records = List.of(Map.of("a", 1.0, "b", 2.0), Map.of("a", 3.0), Map.of("a", 5.0, "b", 6.0));
            Predictions rows = scorer.scoreAll(records);
            Predictions columns = scorer.score(Batch.builder(3)
                    .doubles("a", new double[] {1, 3, 5}).doubles("b", new double[] {2, Double.NaN, 6}).build());
            for (Predictions ps : List.of(rows, columns)) {
                assertEquals(3, ps.size());
                assertEquals(scorer.score(records.get(0)).value(), ps.get(0).value(), 0.0);
                assertEquals(scorer.score(records.get(2)).value(), ps.get(2).value(), 0.0);
                assertTrue(ps.get(1).failed());
                assertFalse(ps.get(1).hasValue());
                InvalidInputException e = ps.get(1).failure().orElseThrow();
                assertEquals(1, e.row());
                assertEquals("b", e.field());
                assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("no prediction"), e.getMessage());
                assertEquals(List.of(e), ps.failures());
                assertTrue(Double.isNaN(ps.values()[1]));
                assertEquals(ps.get(0).value(), ps.values()[0], 0.0);
                assertThrows(InvalidInputException.class, () -> ps.get(1).value());
            }
        }
    }

    @Test
    void missingValueUnderRejectIsRejectedBeforeTheModelRuns() {
        byte[] model = TinyOnnxModel.linearRegression(DYNAMIC, 0.5f, 2f, -3f).bytes();
        ScorerOptions options = ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(List.of("a", "b")).build()).rejectMissingValues(true).build();
        try (Scorer scorer = Scorer.load(model, options)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(Map.of("a", 1.0)));
            assertEquals("b", e.field());
            assertTrue(e.getMessage().contains("ScorerOptions.rejectMissingValues"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"BREAST_CANCER_ONNX", "BREAST_CANCER_NOZIPMAP_ONNX"})
    void classifierWithoutAnImputerGivesNoPredictionForAMissingNumber(CorpusModel model) {
        ScorerOptions options = ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(model.inputColumns()).build()).build();
        try (Scorer scorer = Scorer.load(model.modelBytes(), options)) {
            List<Map<String, Object>> records = new ArrayList<>(model.inputRecords().subList(0, 3));
            Map<String, Object> incomplete = new HashMap<>(records.get(1));
            incomplete.remove("mean radius");
            incomplete.remove("worst area");
            records.set(1, incomplete);

            InvalidInputException alone = assertThrows(InvalidInputException.class, () -> scorer.score(incomplete));
            assertEquals("mean radius", alone.field());
            assertTrue(alone.getMessage().contains("no prediction")
                    && alone.getMessage().contains("fields 'mean radius', 'worst area' are missing"), alone.getMessage());

            Predictions ps = scorer.scoreAll(records);
            assertEquals(model.expectedRows().get(0).get(0), ps.get(0).label());
            assertEquals(model.expectedRows().get(2).get(0), ps.get(2).label());
            // the good rows ran in a batch of 3: ONNX Runtime's float32 GEMM may round differently than for 1 row
            assertEquals(scorer.score(records.get(2)).probability("1"), ps.get(2).probability("1"), 1e-6);
            assertEquals(scorer.score(records.get(0)).probability("1"), ps.get(0).probability("1"), 1e-6);
            InvalidInputException e = ps.get(1).failure().orElseThrow();
            assertEquals(1, e.row());
            assertEquals("mean radius", e.field());
            assertNull(ps.labels()[1]);
            assertTrue(Double.isNaN(ps.probabilities("1")[1]));
            assertNull(ps.outputs(scorer.outputs().get(0).name()).get(1));
        }
    }

    // ---- bad rows of a batch ----

    @Test
    void int32OverflowFailsOnlyItsRow() {
        byte[] model = new TinyOnnxModel()
                .input("count", INT64, DYNAMIC, 1).output("count_out", INT64, DYNAMIC, 1).node("Identity", "count", "count_out")
                .input("small", INT32, DYNAMIC, 1).output("small_out", INT32, DYNAMIC, 1).node("Identity", "small", "small_out")
                .bytes();
        try (Scorer scorer = Scorer.load(model)) {
            List<Map<String, Object>> records = List.of(Map.of("count", 1, "small", -7), Map.of("count", 2, "small", 1L << 40),
                    Map.of("count", 3, "small", Integer.MAX_VALUE));
            Predictions rows = scorer.scoreAll(records);
            Predictions columns = scorer.score(Batch.builder(3)
                    .longs("count", new long[] {1, 2, 3}).longs("small", new long[] {-7, 1L << 40, Integer.MAX_VALUE}).build());
            for (Predictions ps : List.of(rows, columns)) {
                assertEquals(Arrays.asList(-7L, null, (long) Integer.MAX_VALUE), ps.outputs("small_out"));
                assertEquals(Arrays.asList(1L, null, 3L), ps.outputs("count_out"));
                assertEquals(scorer.score(records.get(2)).output("small_out"), ps.get(2).output("small_out"));
                InvalidInputException e = ps.get(1).failure().orElseThrow();
                assertEquals(1, e.row());
                assertEquals("small", e.field());
                assertEquals(1L << 40, e.value());
                assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("INT32"), e.getMessage());
                assertEquals(List.of(e), ps.failures());
            }
        }
    }

    @Test
    void everyRowBadGivesOneFailurePerRowAndNoPrediction() {
        try (Scorer scorer = linearRegression()) {
            Predictions ps = scorer.scoreAll(List.of(Map.of("a", "x", "b", 1), Map.of("a", 1, "b", "y")));
            assertEquals(2, ps.size());
            assertEquals(List.of("a", "b"), ps.failures().stream().map(InvalidInputException::field).toList());
            assertEquals(List.of(0, 1), ps.failures().stream().map(InvalidInputException::row).toList());
            assertTrue(Double.isNaN(ps.values()[0]) && Double.isNaN(ps.values()[1]));
        }
    }

    @Test
    void failedRowsReadAsMissingThroughEveryColumnarAccessor() {
        try (Scorer scorer = Scorer.load(CorpusModel.CHURN_LOGREG_NOZIPMAP_ONNX.modelBytes())) {
            Map<String, Object> bad = RuntimeContract.churnRecord(1);
            bad.put("age", "old");
            Predictions ps = scorer.scoreAll(List.of(RuntimeContract.churnRecord(1), bad));
            Prediction good = ps.get(0);
            assertEquals(Arrays.asList(good.label(), null), ps.outputs("label"));
            assertEquals(good.label(), good.output("label"), "an int64 label tensor reads as the canonical label");
            double[] probabilities = (double[]) good.output("probabilities");
            assertEquals(good.probability("1"), probabilities[1], 0.0);
            assertNull(ps.outputs("probabilities").get(1));
        }
    }
}

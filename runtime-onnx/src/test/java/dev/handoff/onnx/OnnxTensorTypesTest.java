package dev.handoff.onnx;

import dev.handoff.Batch;
import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerStats;
import dev.handoff.ScorerOptions;
import dev.handoff.ValueType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.handoff.onnx.TinyOnnxModel.BOOL;
import static dev.handoff.onnx.TinyOnnxModel.DOUBLE;
import static dev.handoff.onnx.TinyOnnxModel.DYNAMIC;
import static dev.handoff.onnx.TinyOnnxModel.FLOAT;
import static dev.handoff.onnx.TinyOnnxModel.INT32;
import static dev.handoff.onnx.TinyOnnxModel.INT64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Element types and shapes beyond the corpus, on models written in code. */
class OnnxTensorTypesTest {

    /** Echoes an int64, an int32, a bool and a double column through Identity nodes. */
    private static byte[] echoModel() {
        return new TinyOnnxModel()
                .input("count", INT64, DYNAMIC, 1).output("count_out", INT64, DYNAMIC, 1).node("Identity", "count", "count_out")
                .input("small", INT32, DYNAMIC, 1).output("small_out", INT32, DYNAMIC, 1).node("Identity", "small", "small_out")
                .input("flag", BOOL, DYNAMIC, 1).output("flag_out", BOOL, DYNAMIC, 1).node("Identity", "flag", "flag_out")
                .input("amount", DOUBLE, DYNAMIC, 1).output("amount_out", DOUBLE, DYNAMIC, 1).node("Identity", "amount", "amount_out")
                .bytes();
    }

    private static Map<String, Object> echoRecord() {
        Map<String, Object> record = new HashMap<>();
        record.put("count", 9_007_199_254_740_993L - 1); // 2^53: still exact through the double column
        record.put("small", "-7");
        record.put("flag", true);
        record.put("amount", 0.1);
        return record;
    }

    @Test
    void integerBooleanAndDoubleInputsAreDeclaredWithTheirTypes() {
        try (Scorer scorer = Scorer.load(echoModel())) {
            assertEquals(List.of(ValueType.INTEGER, ValueType.INTEGER, ValueType.BOOLEAN, ValueType.DOUBLE),
                    scorer.inputs().stream().map(InputField::type).toList());
            assertEquals(List.of(MissingValueTreatment.NOT_ACCEPTED, MissingValueTreatment.NOT_ACCEPTED,
                            MissingValueTreatment.NOT_ACCEPTED, MissingValueTreatment.MODEL_HANDLES),
                    scorer.inputs().stream().map(InputField::missingValues).toList(),
                    "only float and double tensors can carry a missing value (NaN)");
            assertEquals("handoff-tests", scorer.info().producer());
            assertEquals(ModelFormat.ONNX, scorer.info().format());
            assertEquals(ModelTask.OTHER, scorer.info().task(), "an int64 output without class labels is no classifier");
        }
    }

    @Test
    void integerBooleanAndDoubleValuesRoundTripAsPlainJava() {
        try (Scorer scorer = Scorer.load(echoModel())) {
            Prediction p = scorer.score(echoRecord());
            assertEquals(9_007_199_254_740_992L, p.output("count_out"));
            assertEquals(-7L, p.output("small_out"));
            assertEquals(true, p.output("flag_out"));
            assertEquals(0.1, p.output("amount_out"), "a double tensor keeps double precision");
        }
    }

    @Test
    void missingIntegerOrBooleanIsRejectedBecauseTheTensorCannotCarryIt() {
        for (String field : List.of("count", "small", "flag")) {
            Map<String, Object> absent = echoRecord();
            absent.remove(field);
            Map<String, Object> nullValue = echoRecord();
            nullValue.put(field, null);
            Map<String, Object> empty = echoRecord();
            empty.put(field, "");
            try (Scorer scorer = Scorer.load(echoModel())) {
                for (Map<String, Object> record : List.of(absent, nullValue, empty)) {
                    InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(record));
                    assertEquals(field, e.field());
                    assertTrue(e.getMessage().contains("does not accept a missing value"), e.getMessage());
                }
            }
        }
    }

    @Test
    void missingDoubleGoesToTheGraphAsNaNByDefaultAndIsRejectedUnderReject() {
        Map<String, Object> record = echoRecord();
        record.remove("amount");
        try (Scorer scorer = Scorer.load(echoModel())) {
            assertEquals(Double.NaN, scorer.score(record).output("amount_out"), "OTHER models have no prediction to miss");
        }
        ScorerOptions reject = ScorerOptions.builder().rejectMissingValues(true).build();
        try (Scorer scorer = Scorer.load(echoModel(), reject)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(record));
            assertEquals("amount", e.field());
            assertTrue(e.getMessage().contains("ScorerOptions.rejectMissingValues"), e.getMessage());
        }
    }

    @Test
    void int32InputOutOfRangeIsAnInvalidInput() {
        Map<String, Object> record = echoRecord();
        record.put("small", 1L << 40);
        try (Scorer scorer = Scorer.load(echoModel())) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(record));
            assertEquals("small", e.field());
            assertTrue(e.getMessage().contains("INT32"), e.getMessage());
        }
    }

    @Test
    void int32OverflowIsCountedAsInvalidInputFoundWhileBindingNotAsTheModelsRejection() {
        Map<String, Object> overflow = echoRecord();
        overflow.put("small", -(1L << 31) - 1);
        Map<String, Object> edge = echoRecord();
        edge.put("small", (long) Integer.MAX_VALUE);
        try (Scorer scorer = Scorer.load(echoModel())) {
            Predictions ps = scorer.scoreAll(List.of(edge, overflow));

            assertFalse(ps.get(0).failed(), "2^31 - 1 fits");
            assertEquals(1, ps.get(1).failure().orElseThrow().row());
            assertEquals(1, scorer.stats().failedRows(ScorerStats.RowFailureKind.INVALID_INPUT));
            assertEquals(0, scorer.stats().failedRows(ScorerStats.RowFailureKind.REJECTED_BY_MODEL));
        }
    }

    @Test
    void fixedBatchSizeOfOneIsScoredRowByRow() {
        byte[] model = new TinyOnnxModel()
                .input("x", FLOAT, 1, 2).output("y", FLOAT, 1, 2).node("Identity", "x", "y").bytes();
        try (Scorer scorer = Scorer.load(model)) {
            Predictions ps = scorer.scoreAll(List.of(Map.of("x", new double[] {1, 2}), Map.of("x", new double[] {3, 4}),
                    Map.of("x", new double[] {5, 6})));
            assertArrayEquals(new double[] {1, 2}, (double[]) ps.get(0).output("y"));
            assertArrayEquals(new double[] {5, 6}, (double[]) ps.get(2).output("y"));
        }
    }

    @Test
    void fixedBatchSizeScoresAnyNumberOfRowsByPaddingTheLastChunk() {
        byte[] model = TinyOnnxModel.linearRegression(4, 0.5f, 2f, -3f).bytes();
        ScorerOptions options = ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(List.of("a", "b")).build()).build();
        try (Scorer scorer = Scorer.load(model, options)) {
            assertEquals(ModelTask.REGRESSION, scorer.info().task());
            for (int n : new int[] {1, 4, 5, 9}) {
                List<Map<String, Object>> records = new ArrayList<>();
                double[] a = new double[n];
                double[] b = new double[n];
                for (int r = 0; r < n; r++) {
                    a[r] = r + 0.25;
                    b[r] = r * r / 10.0;
                    records.add(Map.of("a", a[r], "b", b[r]));
                }
                Predictions rows = scorer.scoreAll(records);
                Predictions columns = scorer.score(Batch.builder(n).doubles("a", a).doubles("b", b).build());
                assertEquals(n, rows.size());
                assertFalse(rows.hasFailures());
                for (int r = 0; r < n; r++) {
                    double alone = scorer.score(records.get(r)).value();
                    float expected = (float) a[r] * 2f + (float) b[r] * -3f + 0.5f;
                    assertEquals(expected, alone, 1e-5 * Math.max(1, Math.abs(expected)), n + " rows, row " + r);
                    assertEquals(alone, rows.get(r).value(), 0.0, n + " rows, row " + r);
                    assertEquals(alone, columns.get(r).value(), 0.0, n + " rows, row " + r);
                }
            }
        }
    }

    @Test
    void dynamicDimensionAfterTheBatchFailsAtLoadWithTheShape() {
        byte[] model = new TinyOnnxModel()
                .input("tokens", FLOAT, DYNAMIC, DYNAMIC).output("y", FLOAT, DYNAMIC, DYNAMIC).node("Identity", "tokens", "y").bytes();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(model));
        assertTrue(e.getMessage().contains("'tokens'") && e.getMessage().contains("only the batch dimension may be dynamic"),
                e.getMessage());
    }

    @Test
    void unknownOperatorFailsAtLoadSayingSo() {
        byte[] model = new TinyOnnxModel()
                .input("x", FLOAT, DYNAMIC, 1).output("y", FLOAT, DYNAMIC, 1).node("NoSuchOperator", "x", "y").bytes();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(model));
        assertEquals(ModelFormat.ONNX, e.format());
        assertTrue(e.getMessage().contains("NoSuchOperator"), e.getMessage());
        assertTrue(e.getMessage().contains("operator"), e.getMessage());
    }

    @Test
    void singleFloatOutputIsARegression() {
        byte[] model = new TinyOnnxModel()
                .input("x", FLOAT, DYNAMIC, 1).output("y", FLOAT, DYNAMIC, 1).node("Identity", "x", "y").bytes();
        try (Scorer scorer = Scorer.load(model)) {
            assertEquals(ModelTask.REGRESSION, scorer.info().task());
            assertEquals(2.5, scorer.score(Map.of("x", 2.5)).value(), 0.0);
        }
    }

    @Test
    void anInt64InputKeepsEveryDigitThroughARecordABatchAndANumericString() {
        long big = 9_007_199_254_740_993L; // 2^53 + 1: a double would make it 9007199254740992
        byte[] model = new TinyOnnxModel()
                .input("id", INT64, DYNAMIC, 1).output("id_out", INT64, DYNAMIC, 1).node("Identity", "id", "id_out")
                .bytes();
        try (Scorer scorer = Scorer.load(model)) {
            for (Object given : List.of(big, "9007199254740993", " 9007199254740993 ", new java.math.BigInteger("9007199254740993"),
                    new java.math.BigDecimal("9007199254740993.000"))) {
                assertEquals(big, scorer.score(Map.of("id", given)).output("id_out"), "id given as " + given.getClass().getSimpleName());
            }
            Predictions longs = scorer.score(Batch.builder(2).longs("id", new long[] {big, Long.MIN_VALUE}).build());
            assertEquals(big, longs.get(0).output("id_out"));
            assertEquals(Long.MIN_VALUE, longs.get(1).output("id_out"));
            Predictions strings = scorer.score(Batch.builder(1).strings("id", new String[] {"9007199254740993"}).build());
            assertEquals(big, strings.get(0).output("id_out"));

            InvalidInputException tooBig = assertThrows(InvalidInputException.class,
                    () -> scorer.score(Map.of("id", "9223372036854775808")));
            assertTrue(tooBig.getMessage().contains("outside the range of a 64-bit integer"), tooBig.getMessage());
            InvalidInputException fraction = assertThrows(InvalidInputException.class,
                    () -> scorer.score(Map.of("id", "9007199254740993.5")));
            assertTrue(fraction.getMessage().contains("not a whole number"), fraction.getMessage());
        }
    }
}

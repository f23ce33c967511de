package dev.handoff.pmml;

import dev.handoff.Batch;
import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.MissingValuePolicy;
import dev.handoff.ModelFormat;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.UnknownCategoryPolicy;
import dev.handoff.ValueType;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every PMML file of the corpus, loaded through the public API with default options, reproduces the
 * training framework's predictions for every row of its {@code input.csv}, rows with empty cells
 * included: the model's own missing-value handling (replacements, default children, surrogates,
 * compact XGBoost trees) decides. A row the framework gave no prediction for is rejected.
 */
class PmmlCorpusParityTest {
    /** Max |difference| against expected.csv per model file, printed at the end for the parity table. */
    private static final Map<String, Double> MAX_ABS_ERROR = new ConcurrentSkipListMap<>();

    static Stream<CorpusModel> pmmlModels() {
        return Stream.of(CorpusModel.values()).filter(m -> !m.isOnnx());
    }

    @AfterAll
    static void printMaxErrors() {
        MAX_ABS_ERROR.forEach((model, error) -> System.out.printf("PMML parity %-45s max abs error %.3g%n", model, error));
    }

    @ParameterizedTest
    @MethodSource("pmmlModels")
    void everyRowScoredAloneMatchesTheFramework(CorpusModel model) {
        List<Map<String, Object>> records = model.inputRecords();
        List<List<String>> expected = model.expectedRows();
        assertEquals(expected.size(), records.size(), "rows of input.csv and expected.csv");
        double maxError = 0;
        int withMissing = 0;
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            assertEquals(ModelFormat.PMML, scorer.info().format());
            for (int r = 0; r < records.size(); r++) {
                Map<String, Object> record = records.get(r);
                if (record.size() < model.inputColumns().size()) {
                    withMissing++;
                }
                if (hasNoPrediction(expected.get(r))) {
                    InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(record),
                            model + " row " + r + ": the framework gave no prediction");
                    assertEquals(-1, e.row());
                    assertNotNull(e.field(), e.getMessage());
                    assertFalse(record.containsKey(e.field()), model + " row " + r + " names " + e.field());
                    continue;
                }
                maxError = Math.max(maxError, compare(model, expected.get(r), scorer.score(record), r));
            }
        }
        MAX_ABS_ERROR.put(model.toString(), maxError);
        assertTrue(maxError <= model.tolerance(), model + ": max abs error " + maxError + " > " + model.tolerance());
        if (model == CorpusModel.XGBOOST_MISSING_PMML || model == CorpusModel.HGB_MISSING_PMML
                || model == CorpusModel.RPART_AIRQUALITY_PMML) {
            assertTrue(withMissing >= 40, model + ": only " + withMissing + " rows with a missing cell were compared");
        }
    }

    @ParameterizedTest
    @MethodSource("pmmlModels")
    void everyRowOfOneScoreAllCallMatchesTheFramework(CorpusModel model) {
        List<Map<String, Object>> records = model.inputRecords();
        List<List<String>> expected = model.expectedRows();
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            Predictions batch = scorer.scoreAll(records);
            assertEquals(records.size(), batch.size());
            assertBatchMatches(model, records, expected, batch);
        }
    }

    @ParameterizedTest
    @MethodSource("pmmlModels")
    void everyRowOfOneColumnarBatchMatchesTheFramework(CorpusModel model) {
        List<Map<String, Object>> records = model.inputRecords();
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            Predictions batch = scorer.score(columnar(scorer.inputs(), records));
            assertEquals(records.size(), batch.size());
            assertBatchMatches(model, records, model.expectedRows(), batch);
        }
    }

    private static void assertBatchMatches(CorpusModel model, List<Map<String, Object>> records,
                                           List<List<String>> expected, Predictions batch) {
        int failed = 0;
        for (int r = 0; r < records.size(); r++) {
            Prediction p = batch.get(r);
            if (hasNoPrediction(expected.get(r))) {
                assertTrue(p.failed(), model + " row " + r + ": the framework gave no prediction");
                InvalidInputException e = p.failure().orElseThrow();
                assertEquals(r, e.row());
                assertNotNull(e.field(), e.getMessage());
                assertFalse(records.get(r).containsKey(e.field()), model + " row " + r + " names " + e.field());
                failed++;
                continue;
            }
            if (p.failed()) {
                throw new AssertionError(model + " row " + r + " failed: " + p.failure().orElseThrow().getMessage());
            }
            compare(model, expected.get(r), p, r);
        }
        assertEquals(failed, batch.failures().size());
    }

    @Test
    void mtcarsRowWithMissingWeightGoesToTheModelWhichGivesNoPrediction() {
        CorpusModel model = CorpusModel.MTCARS_PMML;
        List<Map<String, Object>> records = model.inputRecords();
        int last = records.size() - 1;
        assertTrue(hasNoPrediction(model.expectedRows().get(last)), "R gave no prediction for the last row");
        assertFalse(records.get(last).containsKey("wt"));
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            InvalidInputException single = assertThrows(InvalidInputException.class, () -> scorer.score(records.get(last)));
            assertEquals("wt", single.field());
            assertNull(single.value());
            assertEquals(-1, single.row());
            assertTrue(single.getMessage().contains("no prediction"), single.getMessage());

            Predictions batch = scorer.scoreAll(records);
            assertEquals(List.of(last), batch.failures().stream().map(InvalidInputException::row).toList());
            assertEquals("wt", batch.failures().get(0).field());
            assertTrue(batch.failures().get(0).getMessage().contains("no prediction"), batch.failures().get(0).getMessage());
            assertNull(batch.labels()[last]);
            assertTrue(Double.isNaN(batch.probabilities("manual")[last]));

            // the scorer stays healthy: the row before still scores as R did
            assertEquals(model.expectedRows().get(last - 1).get(0), scorer.score(records.get(last - 1)).label());
        }
    }

    @Test
    void mtcarsRowWithMissingWeightIsRejectedAsMissingUnderRejectPolicy() {
        CorpusModel model = CorpusModel.MTCARS_PMML;
        List<Map<String, Object>> records = model.inputRecords();
        int last = records.size() - 1;
        ScorerOptions reject = ScorerOptions.builder().missingValues(MissingValuePolicy.REJECT).build();
        try (Scorer scorer = Scorer.load(model.modelBytes(), reject)) {
            InvalidInputException single = assertThrows(InvalidInputException.class, () -> scorer.score(records.get(last)));
            assertEquals("wt", single.field());
            assertTrue(single.getMessage().contains("missing-value policy REJECT"), single.getMessage());
            assertFalse(single.getMessage().contains("no prediction"), single.getMessage());

            Predictions batch = scorer.scoreAll(records);
            assertEquals(1, batch.failures().size());
            assertEquals(last, batch.failures().get(0).row());
            assertEquals("wt", batch.failures().get(0).field());
            assertEquals(model.expectedRows().get(0).get(0), batch.get(0).label());
        }
    }

    @Test
    void missingValueCasesRejectEveryIncompleteRowUnderRejectPolicy() {
        ScorerOptions reject = ScorerOptions.builder().missingValues(MissingValuePolicy.REJECT).build();
        for (CorpusModel model : List.of(CorpusModel.XGBOOST_MISSING_PMML, CorpusModel.HGB_MISSING_PMML,
                CorpusModel.RPART_AIRQUALITY_PMML)) {
            List<Map<String, Object>> records = model.inputRecords();
            try (Scorer scorer = Scorer.load(model.modelBytes(), reject)) {
                Predictions batch = scorer.scoreAll(records);
                for (int r = 0; r < records.size(); r++) {
                    boolean incomplete = records.get(r).size() < model.inputColumns().size();
                    assertEquals(incomplete, batch.get(r).failed(), model + " row " + r);
                    if (incomplete) {
                        String field = batch.get(r).failure().orElseThrow().field();
                        assertNotNull(field, model + " row " + r);
                        assertFalse(records.get(r).containsKey(field), model + " row " + r + " names " + field);
                    } else {
                        compare(model, model.expectedRows().get(r), batch.get(r), r);
                    }
                }
            }
        }
    }

    @Test
    void churnRowsWithUnseenCategoriesMatchScikitLearnUnderDefaultOptions() {
        for (CorpusModel model : List.of(CorpusModel.CHURN_PIPELINE_PMML, CorpusModel.CHURN_LOGREG_PMML)) {
            List<Map<String, Object>> records = model.inputRecords();
            assertEquals("crypto", records.get(0).get("payment_method"));
            assertEquals("central", records.get(1).get("region"));
            assertEquals("gold", records.get(2).get("plan"));
            try (Scorer scorer = Scorer.load(model.modelBytes())) {
                for (int r = 0; r <= 2; r++) {
                    compare(model, model.expectedRows().get(r), scorer.score(records.get(r)), r);
                }
            }
        }
    }

    @Test
    void churnUnseenCategoryIsRejectedUnderErrorPolicy() {
        CorpusModel model = CorpusModel.CHURN_PIPELINE_PMML;
        ScorerOptions strict = ScorerOptions.builder().unknownCategories(UnknownCategoryPolicy.ERROR).build();
        try (Scorer scorer = Scorer.load(model.modelBytes(), strict)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(model.inputRecords().get(0)));
            assertEquals("payment_method", e.field());
            assertEquals("crypto", e.value());
            assertTrue(e.getMessage().contains("bank_transfer"), e.getMessage());
        }
    }

    @Test
    void churnRowsWithMissingNumbersAreImputedByThePmml() {
        for (CorpusModel model : List.of(CorpusModel.CHURN_PIPELINE_PMML, CorpusModel.CHURN_LOGREG_PMML)) {
            List<Map<String, Object>> records = model.inputRecords();
            assertFalse(records.get(3).containsKey("tenure_months"));
            assertFalse(records.get(4).containsKey("total_charges"));
            try (Scorer scorer = Scorer.load(model.modelBytes())) {
                for (int r = 3; r <= 4; r++) {
                    double error = compare(model, model.expectedRows().get(r), scorer.score(records.get(r)), r);
                    assertTrue(error <= model.tolerance(), model + " row " + r + ": " + error);
                }
            }
        }
    }

    /** An expected.csv row of empty cells: the framework returned NA. */
    private static boolean hasNoPrediction(List<String> expectedRow) {
        return expectedRow.stream().allMatch(String::isEmpty);
    }

    /** The records as a columnar batch: numbers parsed to doubles (NaN where absent), strings as they are (null where absent). */
    private static Batch columnar(List<InputField> inputs, List<Map<String, Object>> records) {
        int n = records.size();
        Batch.Builder batch = Batch.builder(n);
        for (InputField field : inputs) {
            if (field.type() == ValueType.STRING) {
                String[] column = new String[n];
                for (int r = 0; r < n; r++) {
                    column[r] = (String) records.get(r).get(field.name());
                }
                batch.strings(field.name(), column);
            } else {
                double[] column = new double[n];
                for (int r = 0; r < n; r++) {
                    Object cell = records.get(r).get(field.name());
                    column[r] = cell == null ? Double.NaN : Double.parseDouble((String) cell);
                }
                batch.doubles(field.name(), column);
            }
        }
        return batch.build();
    }

    /** Asserts the label and every number of the row within tolerance; returns the largest |difference|. */
    private static double compare(CorpusModel model, List<String> row, Prediction p, int r) {
        List<String> columns = model.expectedColumns();
        double maxError = 0;
        for (int c = 0; c < columns.size(); c++) {
            String column = columns.get(c);
            String cell = row.get(c);
            if (column.equals("label")) {
                assertEquals(cell, p.label(), model + " row " + r + " label");
                continue;
            }
            double expected = Double.parseDouble(cell);
            double actual = column.equals("value") ? p.value()
                    : p.probability(column.substring("probability(".length(), column.length() - 1));
            double error = Math.abs(expected - actual);
            assertTrue(error <= model.tolerance(), model + " row " + r + " " + column + ": expected " + expected
                    + ", got " + actual);
            maxError = Math.max(maxError, error);
        }
        return maxError;
    }
}

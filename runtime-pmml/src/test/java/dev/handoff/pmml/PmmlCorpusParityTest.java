package dev.handoff.pmml;

import dev.handoff.Batch;
import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.ModelFormat;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.UnknownCategoryPolicy;
import dev.handoff.ValueType;
import dev.handoff.Verification;
import dev.handoff.VerificationReport;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.IntPredicate;
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
        Verification golden = model.verification();
        List<Map<String, Object>> records = golden.inputs();
        List<Prediction> scored = new ArrayList<>();
        int withMissing = 0;
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            assertEquals(ModelFormat.PMML, scorer.info().format());
            for (int r = 0; r < records.size(); r++) {
                Map<String, Object> record = records.get(r);
                if (record.size() < model.inputColumns().size()) {
                    withMissing++;
                }
                if (golden.cases().get(r).noPrediction()) {
                    InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(record),
                            model + " row " + r + ": the framework gave no prediction");
                    assertEquals(-1, e.row());
                    assertNotNull(e.field(), e.getMessage());
                    assertFalse(record.containsKey(e.field()), model + " row " + r + " names " + e.field());
                    continue;
                }
                scored.add(scorer.score(record));
            }
        }
        VerificationReport report = golden.select(r -> !golden.cases().get(r).noPrediction()).compare(scored);
        assertTrue(report.passed(), model + ":\n" + report);
        MAX_ABS_ERROR.put(model.toString(), report.maxAbsoluteError());
        if (model == CorpusModel.XGBOOST_MISSING_PMML || model == CorpusModel.HGB_MISSING_PMML
                || model == CorpusModel.RPART_AIRQUALITY_PMML) {
            assertTrue(withMissing >= 40, model + ": only " + withMissing + " rows with a missing cell were compared");
        }
    }

    @ParameterizedTest
    @MethodSource("pmmlModels")
    void everyRowOfOneScoreAllCallMatchesTheFramework(CorpusModel model) {
        Verification golden = model.verification();
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            Predictions batch = scorer.scoreAll(golden.inputs());
            assertEquals(golden.cases().size(), batch.size());
            assertBatchMatches(model, golden, batch);
        }
    }

    @ParameterizedTest
    @MethodSource("pmmlModels")
    void everyRowOfOneColumnarBatchMatchesTheFramework(CorpusModel model) {
        Verification golden = model.verification();
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            Predictions batch = scorer.score(columnar(scorer.inputs(), golden.inputs()));
            assertEquals(golden.cases().size(), batch.size());
            assertBatchMatches(model, golden, batch);
        }
    }

    /** Every row as the framework answered (the library's comparison), and each row without a prediction names a missing field. */
    private static void assertBatchMatches(CorpusModel model, Verification golden, Predictions batch) {
        VerificationReport report = golden.compare(batch.asList());
        assertTrue(report.passed(), model + ":\n" + report);
        for (InvalidInputException e : batch.failures()) {
            assertNotNull(e.field(), e.getMessage());
            assertFalse(golden.inputs().get(e.row()).containsKey(e.field()), model + " row " + e.row() + " names " + e.field());
        }
        assertEquals(report.casesWithoutPrediction(), batch.failures().size());
    }

    @Test
    void mtcarsRowWithMissingWeightGoesToTheModelWhichGivesNoPrediction() {
        CorpusModel model = CorpusModel.MTCARS_PMML;
        List<Map<String, Object>> records = model.inputRecords();
        int last = records.size() - 1;
        assertTrue(model.verification().cases().get(last).noPrediction(), "R gave no prediction for the last row");
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
        ScorerOptions reject = ScorerOptions.builder().rejectMissingValues(true).build();
        try (Scorer scorer = Scorer.load(model.modelBytes(), reject)) {
            InvalidInputException single = assertThrows(InvalidInputException.class, () -> scorer.score(records.get(last)));
            assertEquals("wt", single.field());
            assertTrue(single.getMessage().contains("ScorerOptions.rejectMissingValues"), single.getMessage());
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
        ScorerOptions reject = ScorerOptions.builder().rejectMissingValues(true).build();
        for (CorpusModel model : List.of(CorpusModel.XGBOOST_MISSING_PMML, CorpusModel.HGB_MISSING_PMML,
                CorpusModel.RPART_AIRQUALITY_PMML)) {
            List<Map<String, Object>> records = model.inputRecords();
            IntPredicate complete = r -> records.get(r).size() == model.inputColumns().size();
            try (Scorer scorer = Scorer.load(model.modelBytes(), reject)) {
                Predictions batch = scorer.scoreAll(records);
                List<Prediction> scored = new ArrayList<>();
                for (int r = 0; r < records.size(); r++) {
                    assertEquals(!complete.test(r), batch.get(r).failed(), model + " row " + r);
                    if (!complete.test(r)) {
                        String field = batch.get(r).failure().orElseThrow().field();
                        assertNotNull(field, model + " row " + r);
                        assertFalse(records.get(r).containsKey(field), model + " row " + r + " names " + field);
                    } else {
                        scored.add(batch.get(r));
                    }
                }
                VerificationReport report = model.verification().select(complete).compare(scored);
                assertTrue(report.passed(), model + ":\n" + report);
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
                List<Prediction> scored = List.of(scorer.score(records.get(0)), scorer.score(records.get(1)), scorer.score(records.get(2)));
                VerificationReport report = model.verification().select(r -> r <= 2).compare(scored);
                assertTrue(report.passed(), model + ":\n" + report);
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
                List<Prediction> scored = List.of(scorer.score(records.get(3)), scorer.score(records.get(4)));
                VerificationReport report = model.verification().select(r -> r == 3 || r == 4).compare(scored);
                assertTrue(report.passed(), model + ":\n" + report);
            }
        }
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
}

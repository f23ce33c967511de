package dev.handoff.pmml;

import dev.handoff.InvalidInputException;
import dev.handoff.MissingFieldPolicy;
import dev.handoff.ModelFormat;
import dev.handoff.ModelTask;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.UnknownCategoryPolicy;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every PMML file of the corpus, loaded through the public API, reproduces the training framework's
 * predictions for every row of its {@code input.csv}.
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
    void everyRowMatchesTheFrameworkWithinTolerance(CorpusModel model) {
        List<Map<String, Object>> records = model.inputRecords();
        List<List<String>> expected = model.expectedRows();
        List<String> columns = model.expectedColumns();
        assertEquals(expected.size(), records.size(), "rows of input.csv and expected.csv");
        double maxError = 0;
        int compared = 0;
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            assertEquals(ModelFormat.PMML, scorer.info().format());
            for (int r = 0; r < records.size(); r++) {
                List<String> row = expected.get(r);
                if (row.stream().allMatch(String::isEmpty)) {
                    continue; // the framework gave no prediction; pinned by its own test
                }
                Prediction p = scorer.score(records.get(r));
                maxError = Math.max(maxError, compare(model, columns, row, p, r));
                compared++;
            }
        }
        MAX_ABS_ERROR.put(model.toString(), maxError);
        assertTrue(compared > 100, "compared " + compared + " rows of " + model);
        assertTrue(maxError <= model.tolerance(), model + ": max abs error " + maxError + " > " + model.tolerance());
    }

    @ParameterizedTest
    @MethodSource("pmmlModels")
    void aBatchOfRecordsGivesTheSamePredictionsAsSingleRecords(CorpusModel model) {
        List<Map<String, Object>> records = new ArrayList<>();
        List<List<String>> expected = model.expectedRows();
        for (int r = 0; r < expected.size(); r++) {
            if (!expected.get(r).stream().allMatch(String::isEmpty)) {
                records.add(model.inputRecords().get(r));
            }
        }
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            Predictions batch = scorer.scoreAll(records);
            assertEquals(records.size(), batch.size());
            for (int r = 0; r < records.size(); r++) {
                Prediction single = scorer.score(records.get(r));
                if (scorer.info().task() == ModelTask.CLASSIFICATION) {
                    assertEquals(single.label(), batch.get(r).label(), "row " + r);
                    assertEquals(single.probabilities(), batch.get(r).probabilities(), "row " + r);
                } else {
                    assertEquals(single.value(), batch.get(r).value(), "row " + r);
                }
            }
        }
    }

    @Test
    void mtcarsRowWithMissingWeightIsRejectedNamingTheFieldUnderDefaultOptions() {
        CorpusModel model = CorpusModel.MTCARS_PMML;
        int last = model.inputRecords().size() - 1;
        assertTrue(model.expectedRows().get(last).stream().allMatch(String::isEmpty), "R gave no prediction for the last row");
        assertFalse(model.inputRecords().get(last).containsKey("wt"));
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(model.inputRecords().get(last)));
            assertEquals("wt", e.field());
            assertNull(e.value());
        }
    }

    @Test
    void mtcarsRowWithMissingWeightHasNoPredictionUnderAsMissing() {
        CorpusModel model = CorpusModel.MTCARS_PMML;
        List<Map<String, Object>> records = model.inputRecords();
        int last = records.size() - 1;
        ScorerOptions asMissing = ScorerOptions.builder().missingFields(MissingFieldPolicy.AS_MISSING).build();
        try (Scorer scorer = Scorer.load(model.modelBytes(), asMissing)) {
            InvalidInputException single = assertThrows(InvalidInputException.class, () -> scorer.score(records.get(last)));
            assertEquals("wt", single.field());
            assertTrue(single.getMessage().contains("no prediction"), single.getMessage());

            InvalidInputException batch = assertThrows(InvalidInputException.class, () -> scorer.scoreAll(records));
            assertEquals(last, batch.row());
            assertEquals("wt", batch.field());

            // the scorer stays healthy: the row before still scores as R did
            assertEquals(model.expectedRows().get(last - 1).get(0), scorer.score(records.get(last - 1)).label());
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
                    compare(model, model.expectedColumns(), model.expectedRows().get(r), scorer.score(records.get(r)), r);
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
                    double error = compare(model, model.expectedColumns(), model.expectedRows().get(r), scorer.score(records.get(r)), r);
                    assertTrue(error <= model.tolerance(), model + " row " + r + ": " + error);
                }
            }
        }
    }

    /** Asserts the label and returns the largest |difference| of the numbers in the row. */
    private static double compare(CorpusModel model, List<String> columns, List<String> row, Prediction p, int r) {
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

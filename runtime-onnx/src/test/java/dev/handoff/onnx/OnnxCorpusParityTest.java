package dev.handoff.onnx;

import dev.handoff.Batch;
import dev.handoff.InputField;
import dev.handoff.ModelFormat;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.ValueType;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every ONNX file of the corpus, scored through the public API under default options, gives the
 * training framework's answers on every row: labels identical, probabilities and values within the
 * case's suggested tolerance. Rows with empty cells go in as missing values (NaN in the float
 * tensors), which the graph routes itself (an Imputer, or tree default directions). The only rows
 * exempt are the documented float32-fragile rows of {@code sklearn_churn_pipeline}.
 */
class OnnxCorpusParityTest {

    static ScorerOptions optionsFor(CorpusModel model) {
        ScorerOptions.Builder options = ScorerOptions.builder();
        if (model.isSingleTensor()) {
            options.featureNames(model.inputColumns());
        }
        if (model == CorpusModel.DIGITS_ONNX) {
            options.classes(model.classes()); // PyTorch exports no class labels: label = argmax
        }
        return options.build();
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, mode = EnumSource.Mode.MATCH_ALL, names = ".*_ONNX")
    void scoringAllRecordsReproducesTheFrameworksPredictions(CorpusModel model) {
        try (Scorer scorer = Scorer.load(model.modelBytes(), optionsFor(model))) {
            assertEquals(ModelFormat.ONNX, scorer.info().format());
            List<Map<String, Object>> records = model.inputRecords();
            Predictions predictions = scorer.scoreAll(records);
            assertEquals(records.size(), predictions.size());
            assertEquals(List.of(), predictions.failures(), model + ": every row has a prediction");
            List<Prediction> rows = new ArrayList<>();
            predictions.forEach(rows::add);
            compare(model, rows, "scoreAll");
        }
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, mode = EnumSource.Mode.MATCH_ALL, names = ".*_ONNX")
    void scoringEachRecordAloneReproducesTheFrameworksPredictions(CorpusModel model) {
        try (Scorer scorer = Scorer.load(model.modelBytes(), optionsFor(model))) {
            List<Prediction> rows = new ArrayList<>();
            for (Map<String, Object> record : model.inputRecords()) {
                rows.add(scorer.score(record)); // throws for a row without a prediction
            }
            compare(model, rows, "score(Map)");
        }
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, mode = EnumSource.Mode.MATCH_ALL, names = ".*_ONNX")
    void scoringTheColumnsWithNaNForEmptyCellsReproducesTheFrameworksPredictions(CorpusModel model) {
        try (Scorer scorer = Scorer.load(model.modelBytes(), optionsFor(model))) {
            Predictions predictions = scorer.score(batchOf(model, scorer.inputs()));
            assertEquals(List.of(), predictions.failures(), model + ": every row has a prediction");
            List<Prediction> rows = new ArrayList<>();
            predictions.forEach(rows::add);
            compare(model, rows, "score(Batch)");
        }
    }

    /** The rows of input.csv as columns: numbers as doubles with NaN for an empty cell, strings with null. */
    private static Batch batchOf(CorpusModel model, List<InputField> inputs) {
        List<Map<String, Object>> records = model.inputRecords();
        int n = records.size();
        Batch.Builder batch = Batch.builder(n);
        for (InputField field : inputs) {
            if (field.type() == ValueType.STRING) {
                batch.strings(field.name(), records.stream().map(r -> (String) r.get(field.name())).toArray(String[]::new));
            } else {
                batch.doubles(field.name(), records.stream()
                        .mapToDouble(r -> r.containsKey(field.name()) ? Double.parseDouble((String) r.get(field.name())) : Double.NaN)
                        .toArray());
            }
        }
        return batch.build();
    }

    private static void compare(CorpusModel model, List<Prediction> predictions, String how) {
        List<String> columns = model.expectedColumns();
        List<List<String>> expected = model.expectedRows();
        assertEquals(expected.size(), predictions.size());
        double maxError = 0;
        double maxErrorOnMissingRows = 0;
        int rowsWithMissing = 0;
        int fragileRowsOff = 0;
        List<Map<String, Object>> records = model.inputRecords();
        int inputCount = model.inputColumns().size();
        for (int r = 0; r < expected.size(); r++) {
            Prediction p = predictions.get(r);
            int row = r;
            assertFalse(p.failed(), () -> model + " " + how + " row " + row + " failed: " + p.failure().orElseThrow().getMessage());
            double rowError = 0;
            for (int c = 0; c < columns.size(); c++) {
                String column = columns.get(c);
                String cell = expected.get(r).get(c);
                if (column.equals("label")) {
                    if (!model.isFloat32Fragile(r)) {
                        assertEquals(cell, p.label(), model + " " + how + " row " + r + " label");
                    }
                } else if (column.equals("value")) {
                    rowError = Math.max(rowError, error(Double.parseDouble(cell), p.value()));
                } else if (column.startsWith("probability(")) {
                    String label = column.substring("probability(".length(), column.length() - 1);
                    rowError = Math.max(rowError, error(Double.parseDouble(cell), p.probability(label)));
                } else {
                    fail("unexpected expected.csv column " + column);
                }
            }
            boolean hasMissing = records.get(r).size() < inputCount;
            rowsWithMissing += hasMissing ? 1 : 0;
            if (model.isFloat32Fragile(r)) {
                if (rowError > model.tolerance()) {
                    fragileRowsOff++;
                }
                continue;
            }
            maxError = Math.max(maxError, rowError);
            if (hasMissing) {
                maxErrorOnMissingRows = Math.max(maxErrorOnMissingRows, rowError);
            }
            assertTrue(rowError <= model.tolerance(), model + " " + how + " row " + r + (hasMissing ? " (with missing cells)" : "")
                    + " differs by " + rowError + ", more than the tolerance " + model.tolerance());
        }
        System.out.printf("PARITY %s %s: %d rows (%d with missing cells), max abs error %.3g (rows with missing cells %.3g), "
                + "float32-fragile rows beyond the tolerance (not checked): %d%n", model, how, expected.size(), rowsWithMissing, maxError, maxErrorOnMissingRows,
                fragileRowsOff);
    }

    /** NaN against a number is an infinite error, so that a NaN never passes a tolerance check. */
    private static double error(double expected, double actual) {
        double e = Math.abs(expected - actual);
        return Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
    }
}

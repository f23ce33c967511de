package dev.handoff.onnx;

import dev.handoff.Batch;
import dev.handoff.InputField;
import dev.handoff.ModelFormat;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.ValueType;
import dev.handoff.Verification;
import dev.handoff.VerificationReport;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            options.runtime(OnnxOptions.builder().featureNames(model.inputColumns()).build());
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

    /**
     * The predictions against expected.csv through the one comparison of the library ({@link Verification#compare}),
     * with the case's suggested tolerance; the documented float32-fragile rows are left out.
     */
    private static void compare(CorpusModel model, List<Prediction> predictions, String how) {
        Verification golden = model.verification();
        assertEquals(golden.cases().size(), predictions.size());
        List<Prediction> kept = new ArrayList<>();
        for (int r = 0; r < predictions.size(); r++) {
            if (!model.isFloat32Fragile(r)) {
                kept.add(predictions.get(r));
            }
        }
        VerificationReport report = golden.select(r -> !model.isFloat32Fragile(r)).compare(kept);
        assertTrue(report.passed(), model + " " + how + ":\n" + report);
        System.out.printf("PARITY %s %s: %d rows compared, max abs error %.3g%n", model, how, report.casesRun(), report.maxAbsoluteError());
    }
}

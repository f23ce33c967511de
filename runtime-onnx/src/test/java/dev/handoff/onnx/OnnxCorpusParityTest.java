package dev.handoff.onnx;

import dev.handoff.ModelFormat;
import dev.handoff.ModelTask;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every ONNX file of the corpus, scored through the public API, gives the training framework's
 * answers: labels identical, probabilities and values within the case's suggested tolerance.
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
    void scoringInputCsvReproducesTheFrameworksPredictions(CorpusModel model) {
        try (Scorer scorer = Scorer.load(model.modelBytes(), optionsFor(model))) {
            assertEquals(ModelFormat.ONNX, scorer.info().format());
            List<Map<String, Object>> records = model.inputRecords();
            Predictions predictions = scorer.scoreAll(records);
            assertEquals(records.size(), predictions.size());

            List<String> columns = model.expectedColumns();
            List<List<String>> expected = model.expectedRows();
            double maxError = 0;
            double maxErrorOffFragileRows = 0;
            int fragileRowsOff = 0;
            for (int r = 0; r < expected.size(); r++) {
                Prediction p = predictions.get(r);
                double rowError = 0;
                for (int c = 0; c < columns.size(); c++) {
                    String column = columns.get(c);
                    String cell = expected.get(r).get(c);
                    if (column.equals("label")) {
                        if (!model.isFloat32Fragile(r)) {
                            assertEquals(cell, p.label(), model + " row " + r + " label");
                        }
                    } else if (column.equals("value")) {
                        rowError = Math.max(rowError, Math.abs(Double.parseDouble(cell) - p.value()));
                    } else {
                        String label = column.substring("probability(".length(), column.length() - 1);
                        rowError = Math.max(rowError, Math.abs(Double.parseDouble(cell) - p.probability(label)));
                    }
                }
                maxError = Math.max(maxError, rowError);
                if (model.isFloat32Fragile(r)) {
                    if (rowError > model.tolerance()) {
                        fragileRowsOff++;
                    }
                } else {
                    maxErrorOffFragileRows = Math.max(maxErrorOffFragileRows, rowError);
                    assertTrue(rowError <= model.tolerance(), model + " row " + r + " differs by " + rowError
                            + ", more than the tolerance " + model.tolerance());
                }
            }
            System.out.printf("PARITY %s: %d rows, max abs error %.3g (outside float32-fragile rows %.3g, fragile rows off: %d)%n",
                    model, expected.size(), maxError, maxErrorOffFragileRows, fragileRowsOff);
        }
    }

    /** ONNX Runtime's kernels may sum in another order for another batch size: float32 rounding, no more. */
    private static final double BATCH_SIZE_ROUNDING = 1e-6;

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, mode = EnumSource.Mode.MATCH_ALL, names = ".*_ONNX")
    void singleRecordScoringAgreesWithBatchScoring(CorpusModel model) {
        try (Scorer scorer = Scorer.load(model.modelBytes(), optionsFor(model))) {
            List<Map<String, Object>> records = model.inputRecords().subList(0, 10);
            Predictions batch = scorer.scoreAll(records);
            for (int r = 0; r < records.size(); r++) {
                Prediction single = scorer.score(records.get(r));
                if (scorer.info().task() == ModelTask.REGRESSION) {
                    assertEquals(batch.get(r).value(), single.value(), BATCH_SIZE_ROUNDING * Math.abs(single.value()));
                } else {
                    assertEquals(batch.get(r).label(), single.label());
                    for (String label : scorer.classes()) {
                        assertEquals(batch.get(r).probability(label), single.probability(label), BATCH_SIZE_ROUNDING);
                    }
                }
            }
        }
    }
}

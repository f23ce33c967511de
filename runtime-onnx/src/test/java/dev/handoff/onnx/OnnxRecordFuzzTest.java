package dev.handoff.onnx;

import dev.handoff.InputField;
import dev.handoff.Scorer;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.RecordFuzzing;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded hostile records and batches through every corpus ONNX model (200 records each;
 * {@code mvn verify -Pfuzz} sends 5,000): only predictions and InvalidInputException come back. A
 * single-tensor model is fuzzed twice: by column names ({@code featureNames}) and as one array per row.
 */
class OnnxRecordFuzzTest {

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, mode = EnumSource.Mode.MATCH_ALL, names = ".*_ONNX")
    @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard
    void hostileRecordsGetPredictionsOrInvalidInput(CorpusModel model) {
        int records = RecordFuzzing.recordsPerModel(200);
        try (Scorer scorer = Scorer.load(model.modelBytes(), OnnxCorpusParityTest.optionsFor(model))) {
            check(model, "by name", RecordFuzzing.run(scorer, model.inputRecords(), records, model.ordinal()));
        }
        if (model.isSingleTensor()) {
            try (Scorer scorer = Scorer.load(model.modelBytes())) {
                check(model, "as arrays", RecordFuzzing.run(scorer, asArrays(scorer, model), records, model.ordinal() + 1000L));
            }
        }
    }

    private static void check(CorpusModel model, String how, RecordFuzzing.Summary summary) {
        System.out.println("ONNX record fuzzing " + model + " " + how + ": " + summary.calls() + " calls, awaiting record guards "
                + summary.awaitingGuard());
        assertEquals(List.of(), summary.violations(), () -> String.join("\n", summary.violations()));
    }

    /** The corpus rows as one double[] per row under the tensor's name (empty cells NaN). */
    private static List<Map<String, Object>> asArrays(Scorer scorer, CorpusModel model) {
        InputField tensor = scorer.inputs().get(0);
        List<String> columns = model.inputColumns();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> record : model.inputRecords()) {
            double[] values = new double[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                Object cell = record.get(columns.get(c));
                values[c] = cell == null ? Double.NaN : Double.parseDouble(cell.toString());
            }
            rows.add(Map.of(tensor.name(), values));
        }
        return rows;
    }
}

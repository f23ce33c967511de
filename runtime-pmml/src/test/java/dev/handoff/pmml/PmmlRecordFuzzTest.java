package dev.handoff.pmml;

import dev.handoff.Scorer;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.RecordFuzzing;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded hostile records and batches through every corpus PMML model (200 records each;
 * {@code mvn verify -Pfuzz} sends 5,000): only predictions and InvalidInputException come back.
 */
class PmmlRecordFuzzTest {

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, mode = EnumSource.Mode.MATCH_ALL, names = ".*_PMML")
    @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard
    void hostileRecordsGetPredictionsOrInvalidInput(CorpusModel model) {
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            RecordFuzzing.Summary summary = RecordFuzzing.run(scorer, model.inputRecords(),
                    RecordFuzzing.recordsPerModel(200), model.ordinal());
            System.out.println("PMML record fuzzing " + model + ": " + summary.calls() + " calls, awaiting record guards "
                    + summary.awaitingGuard());
            assertEquals(List.of(), summary.violations(), () -> String.join("\n", summary.violations()));
        }
    }
}

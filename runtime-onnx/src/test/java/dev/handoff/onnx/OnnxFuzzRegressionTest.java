package dev.handoff.onnx;

import dev.handoff.ModelLoadException;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.ModelMutator;
import dev.handoff.testing.ScorerContract;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mutants that a 5,000-per-file fuzzing run ({@code -Pfuzz}) found hanging forever inside ONNX
 * Runtime's tree-ensemble kernel (one edited byte in a node id): each is now refused at load by the
 * tree-ensemble guard, or scores within the contract.
 */
class OnnxFuzzRegressionTest {

    @ParameterizedTest
    @CsvSource({
            "DIABETES_ONNX, 6003799", "DIABETES_ONNX, 6003874",
            "HGB_MISSING_ONNX, 18001458", "HGB_MISSING_ONNX, 18004381", "HGB_MISSING_ONNX, 18004827",
            "HGB_MISSING_NOZIPMAP_ONNX, 19000811", "HGB_MISSING_NOZIPMAP_ONNX, 19000991"})
    void mutantThatOnceHungIsRefusedAtLoadOrScoresWithinTheContract(CorpusModel model, long seed) {
        ModelMutator.Mutant mutant = ModelMutator.mutate(model.modelBytes(), seed, ModelMutator.Kind.BINARY);
        ScorerOptions options = OnnxCorpusParityTest.optionsFor(model).toBuilder().callTimeout(Duration.ofSeconds(10)).build();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Scorer scorer;
            try {
                scorer = Scorer.load(mutant.bytes(), options);
            } catch (ModelLoadException refused) {
                assertTrue(refused.getMessage().contains("ONNX"), refused.getMessage());
                return;
            }
            try (scorer) {
                List<Map<String, Object>> records = model.inputRecords().subList(0, 4);
                for (Map<String, Object> record : records) {
                    Throwable escaped = ScorerContract.scoreOne(scorer, record);
                    assertTrue(escaped == null || escaped instanceof dev.handoff.ScoringException, String.valueOf(escaped));
                }
                Throwable escaped = ScorerContract.scoreAll(scorer, records);
                assertTrue(escaped == null || escaped instanceof dev.handoff.ScoringException, String.valueOf(escaped));
            }
        }, () -> model + " mutant " + seed + " (" + mutant.description() + ") hung");
    }
}

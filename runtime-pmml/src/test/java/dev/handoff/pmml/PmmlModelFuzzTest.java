package dev.handoff.pmml;

import dev.handoff.ScorerOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.ModelFuzzing;
import dev.handoff.testing.ModelMutator;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded mutants of every corpus PMML file (200 each; {@code mvn verify -Pfuzz} runs 5,000): each is
 * refused with a ModelLoadException, or scores the corpus rows within the contract.
 */
class PmmlModelFuzzTest {

    @Test
    void everyMutantIsRefusedAtLoadOrScoresWithinTheContract() throws InterruptedException {
        List<CorpusModel> files = Arrays.stream(CorpusModel.values()).filter(m -> !m.isOnnx()).toList();
        int mutations = ModelFuzzing.mutationsPerFile(200);
        ModelFuzzing.Summary summary = ModelFuzzing.run(files, mutations, ModelMutator.Kind.XML, m -> ScorerOptions.defaults());
        System.out.println("PMML model fuzzing: " + summary.counts() + " over " + files.size() + " files");

        assertEquals(files.size() * mutations, summary.total());
        assertEquals(List.of(), summary.findings(), () -> summary.findings().size() + " findings:\n" + summary.findings());
        // the mutants reach both sides: refused ones, and ones that score
        assertTrue(summary.counts().get(ModelFuzzing.Outcome.REFUSED_AT_LOAD) > 0, summary.counts().toString());
        assertTrue(summary.counts().get(ModelFuzzing.Outcome.SCORED) > 0, summary.counts().toString());
    }
}

package dev.handoff.onnx;

import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.ModelFuzzing;
import dev.handoff.testing.ModelMutator;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded byte-level mutants of every corpus ONNX file (200 each; {@code mvn verify -Pfuzz} runs
 * 5,000): each is refused with a ModelLoadException, or scores the corpus rows within the contract.
 */
class OnnxModelFuzzTest {

    @Test
    void everyMutantIsRefusedAtLoadOrScoresWithinTheContract() throws InterruptedException {
        List<CorpusModel> files = Arrays.stream(CorpusModel.values()).filter(CorpusModel::isOnnx).toList();
        int mutations = ModelFuzzing.mutationsPerFile(200);
        ModelFuzzing.Summary summary = ModelFuzzing.run(files, mutations, ModelMutator.Kind.BINARY,
                OnnxCorpusParityTest::optionsFor);
        System.out.println("ONNX model fuzzing: " + summary.counts() + " over " + files.size() + " files");

        assertEquals(files.size() * mutations, summary.total());
        assertEquals(List.of(), summary.findings(), () -> summary.findings().size() + " findings:\n" + summary.findings());
        assertTrue(summary.counts().get(ModelFuzzing.Outcome.REFUSED_AT_LOAD) > 0, summary.counts().toString());
        assertTrue(summary.counts().get(ModelFuzzing.Outcome.SCORED) > 0, summary.counts().toString());
    }
}

package dev.handoff.benchmarks;

import dev.handoff.Prediction;
import dev.handoff.Scorer;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java example of the README, as it is printed there, on the churn model it names. */
class ReadmeExampleTest {

    @TempDir
    Path dir;

    @Test
    void readmeExampleScoresTheChurnModel() throws Exception {
        Files.move(CorpusModel.CHURN_LOGREG_ONNX.copyModelTo(dir), dir.resolve("churn.onnx"));
        Path churnModel = dir.resolve("churn.onnx");

        // ---- README snippet begins ----
        try (Scorer scorer = Scorer.load(churnModel)) {
            Prediction p = scorer.score(Map.of(
                    "tenure_months", 2, "monthly_charges", 83.31, "total_charges", 181.21,
                    "support_calls", 4, "age", 19,
                    "plan", "basic", "region", "south", "payment_method", "card"));
            String label = p.label();                        // "1": this customer is likely to churn
            double churn = p.probability("1");               // 0.87
            Map<String, Double> all = p.probabilities();     // {0=0.13, 1=0.87}, in scorer.classes() order
        // ---- README snippet ends ----

            assertEquals("1", label);
            assertEquals(0.8704319023969916, churn, 1e-5); // row 13 of the corpus case: scikit-learn's probability
            assertEquals(List.of("0", "1"), List.copyOf(all.keySet()));
            assertEquals(1.0, all.get("0") + all.get("1"), 1e-6);
        }
    }

    /** Keeps the README honest: its Java example is the snippet above, line for line (code only). */
    @Test
    void readmeShowsTheSnippetThatThisTestRuns() {
        ReadmeSnippets.assertReadmeShows(Path.of("src/test/java/dev/handoff/benchmarks/ReadmeExampleTest.java"),
                code -> code.replace("Scorer.load(churnModel)", "Scorer.load(Path.of(\"churn.onnx\"))"));
    }
}

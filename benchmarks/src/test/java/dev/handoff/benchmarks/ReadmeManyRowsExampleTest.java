package dev.handoff.benchmarks;

import dev.handoff.Prediction;
import dev.handoff.Scorer;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Many rows" example, as it is printed there: a stream of records, a bad one among them. */
class ReadmeManyRowsExampleTest {

    @TempDir
    Path dir;

    @Test
    void readmeStreamExampleScoresEveryRecordAndKeepsTheBadOnesApart() throws Exception {
        Files.move(CorpusModel.CHURN_LOGREG_ONNX.copyModelTo(dir), dir.resolve("churn.onnx"));
        Path churnModel = dir.resolve("churn.onnx");
        Map<String, Object> customer = Map.of(
                "tenure_months", 2, "monthly_charges", 83.31, "total_charges", 181.21,
                "support_calls", 4, "age", 19,
                "plan", "basic", "region", "south", "payment_method", "card");
        Map<String, Object> bad = new HashMap<>(customer);
        bad.put("age", "nineteen");
        List<Map<String, Object>> customers = IntStream.range(0, 3_000)
                .mapToObj(i -> i == 1_500 ? bad : customer).toList();
        List<Double> churn = new ArrayList<>();
        List<String> rejected = new ArrayList<>();

        // ---- README snippet begins ----
        try (Scorer scorer = Scorer.load(churnModel);
             Stream<Prediction> outcomes = scorer.score(customers.stream())) {   // 1,024 records per model call
            outcomes.forEach(p -> {
                if (p.failed()) {
                    rejected.add(p.failure().get().getMessage());             // "... in row 1500: value 'nineteen' ..."
                } else {
                    churn.add(p.probability("1"));
                }
            });
        }
        // ---- README snippet ends ----

        assertEquals(2_999, churn.size());
        assertEquals(0.8704319023969916, churn.get(0), 1e-5);
        assertEquals(1, rejected.size());
        assertTrue(rejected.get(0).contains("'age' in row 1500"), rejected.get(0));
    }

    @Test
    void readmeShowsTheSnippetThatThisTestRuns() {
        ReadmeSnippets.assertReadmeShows(Path.of("src/test/java/dev/handoff/benchmarks/ReadmeManyRowsExampleTest.java"),
                code -> code.replace("Scorer.load(churnModel)", "Scorer.load(Path.of(\"churn.onnx\"))"));
    }
}

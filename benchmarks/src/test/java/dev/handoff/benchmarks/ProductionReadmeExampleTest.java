package dev.handoff.benchmarks;

import dev.handoff.ScorerStats.InputStats;
import dev.handoff.InvalidInputException;
import dev.handoff.ModelInfo;
import dev.handoff.ReloadingScorer;
import dev.handoff.ReloadingScorer.ReloadResult.Outcome;
import dev.handoff.ScorerStats.RowFailureKind;
import dev.handoff.ScorerOptions;
import dev.handoff.ScorerStats;
import dev.handoff.ScoringListener;
import dev.handoff.testing.CorpusModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Running a model in production" examples, as printed there, on the churn models of the corpus. */
class ProductionReadmeExampleTest {

    @TempDir
    Path models;

    // ---- README listener begins ----
    /** Feeds Micrometer: call latency, rows, failed rows by kind, reloads. */
    static final class MicrometerScoringListener implements ScoringListener {
        private final MeterRegistry registry;
        private final Timer calls;
        private final Counter rows;
        private final Counter reloads;
        private final Counter rejectedReloads;

        MicrometerScoringListener(MeterRegistry registry) {
            this.registry = registry;
            this.calls = Timer.builder("handoff.calls").register(registry);
            this.rows = registry.counter("handoff.rows");
            this.reloads = registry.counter("handoff.reloads", "outcome", "accepted");
            this.rejectedReloads = registry.counter("handoff.reloads", "outcome", "rejected");
        }

        @Override
        public void callFinished(ModelInfo model, int rows, int failedRows, long nanos) {
            calls.record(nanos, TimeUnit.NANOSECONDS);
            this.rows.increment(rows);
        }

        @Override
        public void rowRejected(ModelInfo model, InvalidInputException failure, RowFailureKind kind) {
            registry.counter("handoff.rows.failed", "kind", kind.name()).increment();
        }

        @Override
        public void reloadSucceeded(ModelInfo previous, ModelInfo current) {
            reloads.increment();
        }

        @Override
        public void reloadRejected(ModelInfo serving, String candidate, String reason) {
            rejectedReloads.increment();
        }
    }
    // ---- README listener ends ----

    /** What the data scientist drops in the folder, model last (written aside, then moved in one step). */
    private void drop(CorpusModel model, CorpusModel answers, Path dir) throws Exception {
        Files.move(answers.copyInputTo(models), dir.resolve("input.csv"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(answers.copyExpectedTo(models), dir.resolve("expected.csv"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(model.copyModelTo(models), dir.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void dailyHandoffTakesAVerifiedModelRefusesAnotherAndFeedsMicrometer() throws Exception {
        Path churn = Files.createDirectory(models.resolve("churn"));
        drop(CorpusModel.CHURN_LOGREG_ONNX, CorpusModel.CHURN_LOGREG_ONNX, churn);
        MeterRegistry registry = new SimpleMeterRegistry();
        List<Map<String, Object>> records = CorpusModel.CHURN_LOGREG_ONNX.inputRecords();

        Path dir = churn;
        // ---- README handoff begins ----
        ReloadingScorer scorer = ReloadingScorer.builder(dir.resolve("model.onnx"))
                .verificationFiles(dir.resolve("input.csv"), dir.resolve("expected.csv"))
                .checkEvery(Duration.ofMinutes(1))
                .options(ScorerOptions.builder().listener(new MicrometerScoringListener(registry)).build())
                .build();                   // throws ModelLoadException if today's model does not load or verify
        // ---- README handoff ends ----
        try (scorer) {
            scorer.scoreAll(records);
            scorer.scoreAll(List.of(Map.of("tenure_months", "abc")));

            // the next day: a retrained export with the same answers is taken ...
            drop(CorpusModel.CHURN_LOGREG_NOZIPMAP_ONNX, CorpusModel.CHURN_LOGREG_NOZIPMAP_ONNX, churn);
            assertEquals(Outcome.RELOADED, scorer.reload().outcome());
            // ... a model whose answers are not those of its expected.csv is refused, the previous one keeps serving
            drop(CorpusModel.CHURN_PIPELINE_ONNX, CorpusModel.CHURN_LOGREG_ONNX, churn);
            assertEquals(Outcome.REJECTED, scorer.reload().outcome());
            assertEquals(2, scorer.serving().version());

            // ---- README stats begin ----
            ScorerStats stats = scorer.stats();
            long rows = stats.rows();                                 // since the first model was loaded
            double failedShare = (double) stats.failedRows() / Math.max(1, rows);
            Duration p99 = stats.latency().p99();
            InputStats payment = stats.inputs().get("payment_method");
            long missing = payment.missing();                         // rows without a payment method
            // ---- README stats end ----

            assertEquals(201, rows);
            assertEquals(1.0 / 201, failedShare, 1e-12);
            assertTrue(p99.compareTo(stats.latency().max()) <= 0);
            assertEquals(records.stream().filter(r -> !r.containsKey("payment_method")).count(), missing);
            assertEquals(1, stats.failedRows(RowFailureKind.INVALID_INPUT));
        }
        assertEquals(2, registry.get("handoff.calls").timer().count());
        assertEquals(201, registry.get("handoff.rows").counter().count());
        assertEquals(1, registry.get("handoff.rows.failed").tag("kind", "INVALID_INPUT").counter().count());
        assertEquals(1, registry.get("handoff.reloads").tag("outcome", "accepted").counter().count());
        assertEquals(1, registry.get("handoff.reloads").tag("outcome", "rejected").counter().count());
    }

    /** Keeps the README honest: its production examples are the snippets above, line for line (code only). */
    @Test
    void readmeShowsTheSnippetsThatThisTestRuns() throws Exception {
        String source = Files.readString(Path.of("src/test/java/dev/handoff/benchmarks/ProductionReadmeExampleTest.java"));
        String readme = Files.readString(Path.of("../README.md"));
        for (String part : List.of("listener", "handoff", "stats")) {
            String begin = "// ---- README " + part + " begin";
            String end = "// ---- README " + part + " end";
            String snippet = source.substring(source.indexOf(begin), source.indexOf(end));
            snippet = snippet.substring(snippet.indexOf('\n') + 1);
            for (String line : snippet.split("\n")) {
                String code = codeOf(line).replace("static final class", "final class");
                if (!code.isEmpty() && !code.startsWith("/**")) {
                    assertTrue(readme.lines().anyMatch(l -> codeOf(l).equals(code)), "README.md lacks the line: " + code);
                }
            }
        }
    }

    private static String codeOf(String line) {
        int comment = line.indexOf("//");
        return (comment < 0 ? line : line.substring(0, comment)).strip();
    }
}

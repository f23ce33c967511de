package dev.handoff;

import dev.handoff.ReloadingScorer.ReloadResult;
import dev.handoff.ReloadingScorer.ReloadResult.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A changed model file that passes the gate shadows the serving model first, and serves only if it agreed. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // hang guard
class ReloadingScorerShadowTest {
    private static final int ROWS = 20;

    @TempDir
    Path dir;
    private ClassLoader saved;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void setUp() throws Exception {
        saved = GatedRuntime.install(Files.createDirectory(dir.resolve("runtime")));
        savedErr = System.err; // slf4j-simple looks System.err up at every line
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() {
        GatedRuntime.release.countDown();
        System.setErr(savedErr);
        Thread.currentThread().setContextClassLoader(saved);
    }

    private Path write(String name, String content) throws Exception {
        Path aside = Files.writeString(dir.resolve(name + ".tmp"), content);
        return Files.move(aside, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private ReloadingScorer shadowing(Path model) {
        return ReloadingScorer.builder(model).shadowBeforeServing(1.0, ROWS, Duration.ofHours(1), ModelComparison.builder().build())
                .build();
    }

    /** Scores ROWS records (x = 0..9, which the line model takes), each answered by the serving model (y = 1 + 2x). */
    private static void scoreRows(Scorer scorer) {
        for (int i = 0; i < ROWS; i++) {
            assertEquals(1 + 2 * (i % 10), scorer.score(Map.of("x", i % 10)).value());
        }
    }

    /** Checks until the shadowing ends (the candidate compares its rows on a background thread). */
    private static ReloadResult reloadUntilShadowingEnds(ReloadingScorer scorer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ReloadResult result = scorer.reload();
        while (result.outcome() == Outcome.SHADOWING && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            result = scorer.reload();
        }
        return result;
    }

    @Test
    void aCandidateThatAgreedWhileShadowingServesAfterItsRows() throws Exception {
        Path model = write("model.pmml", GatedRuntime.model(1, ""));
        try (ReloadingScorer scorer = shadowing(model)) {
            write("model.pmml", GatedRuntime.model(1, "retrained")); // other bytes, the same answers

            assertEquals(Outcome.SHADOWING, scorer.reload().outcome());
            assertEquals(1, scorer.serving().version());
            scoreRows(scorer);

            ReloadResult result = reloadUntilShadowingEnds(scorer);
            assertEquals(Outcome.RELOADED, result.outcome(), result.reason());
            assertEquals(2, scorer.serving().version());
        }
    }

    @Test
    void aCandidateThatDifferedWhileShadowingIsRejectedWithTheFigures() throws Exception {
        Path model = write("model.pmml", GatedRuntime.model(1, ""));
        try (ReloadingScorer scorer = shadowing(model)) {
            write("model.pmml", GatedRuntime.model(2, "")); // y = 2 + 2x: every value off by 1

            assertEquals(Outcome.SHADOWING, scorer.reload().outcome());
            scoreRows(scorer); // answered by the serving model while the candidate shadows

            ReloadResult result = reloadUntilShadowingEnds(scorer);
            assertEquals(Outcome.REJECTED, result.outcome(), result.reason());
            assertTrue(result.reason().contains("20 rows compared (minimum 20), value 0/20 max abs 1.00"), result.reason());
            assertEquals(1, scorer.serving().version());
            assertEquals(3.0, scorer.score(Map.of("x", 1)).value());
            List<String> warnings = log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(" WARN ")).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("value 0/20 max abs 1.00"), warnings.get(0));
            assertEquals(Outcome.REJECTED, scorer.reload().outcome()); // the same file is not tried again
        }
    }

    @Test
    void promoteCandidateSwapsTheShadowingCandidateInAtOnce() throws Exception {
        Path model = write("model.pmml", GatedRuntime.model(1, ""));
        try (ReloadingScorer scorer = shadowing(model)) {
            assertEquals(Outcome.UNCHANGED, scorer.promoteCandidate().outcome());
            write("model.pmml", GatedRuntime.model(2, ""));
            assertEquals(Outcome.SHADOWING, scorer.reload().outcome());

            assertEquals(Outcome.RELOADED, scorer.promoteCandidate().outcome());

            assertEquals(2, scorer.serving().version());
            assertEquals(4.0, scorer.score(Map.of("x", 1)).value());
        }
    }
}

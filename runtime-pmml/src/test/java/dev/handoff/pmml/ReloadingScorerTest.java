package dev.handoff.pmml;

import dev.handoff.ModelInfo;
import dev.handoff.ModelLoadException;
import dev.handoff.ReloadingScorer;
import dev.handoff.ReloadingScorer.ReloadResult.Outcome;
import dev.handoff.ScorerOptions;
import dev.handoff.ScoringListener;
import dev.handoff.Verification;
import dev.handoff.VerificationCase;
import dev.handoff.testing.PmmlDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hot reload gate on real PMML models: y = a + b x regressions whose answers tell which model served. */
class ReloadingScorerTest {

    @TempDir
    Path dir;

    /** A regression y = intercept + slope * x, optionally with a second input z it ignores. */
    static String line(int intercept, int slope, boolean withZ) {
        PmmlDocument line = PmmlDocument.line(intercept, slope).description("y = " + intercept + " + " + slope + "x");
        return (withZ ? line.input("z") : line).text();
    }

    static final String A = line(1, 2, false);
    static final String B = line(3, 4, false);
    static final String CORRUPT = A.substring(0, A.length() / 2);

    /** Replaces the file in one step, as a deployment tool should (write aside, then move). */
    private Path write(Path file, String content) throws IOException {
        Path aside = Files.writeString(dir.resolve(file.getFileName() + ".tmp"), content, StandardCharsets.UTF_8);
        return Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Records reload events. */
    private static final class Events implements ScoringListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch reloaded = new CountDownLatch(1);

        @Override
        public void reloadSucceeded(ModelInfo previous, ModelInfo current) {
            events.add("reloaded " + current.description());
            reloaded.countDown();
        }

        @Override
        public void reloadRejected(ModelInfo serving, String candidate, String reason) {
            events.add("rejected, serving " + serving.description() + ": " + reason);
        }
    }

    @Test
    void fourThreadsScoreWithoutAFailedCallWhileTheFileIsSwapped50TimesBetweenTwoModelsAndACorruptOne() throws Exception {
        Path file = write(dir.resolve("model.pmml"), A);
        Events events = new Events();
        int threads = 4;
        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicLong calls = new AtomicLong();
        List<String> wrong = new CopyOnWriteArrayList<>();
        CountDownLatch everyThreadScored = new CountDownLatch(threads);
        try (ReloadingScorer scorer = ReloadingScorer.builder(file).options(ScorerOptions.builder().listener(events).build()).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> scorers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                scorers.add(pool.submit(() -> {
                    boolean first = true;
                    while (swapping.get() || first) {
                        double x = ThreadLocalRandom.current().nextInt(100);
                        double y = scorer.score(Map.of("x", x)).value(); // any exception fails the future
                        if (y != 1 + 2 * x && y != 3 + 4 * x) {
                            wrong.add("x = " + x + " gave " + y);
                        }
                        calls.incrementAndGet();
                        if (first) {
                            everyThreadScored.countDown();
                            first = false;
                        }
                    }
                    return null;
                }));
            }
            assertTrue(everyThreadScored.await(1, TimeUnit.MINUTES));
            List<Outcome> outcomes = new ArrayList<>();
            for (int swap = 0; swap < 50; swap++) {
                String content = swap % 2 == 1 ? CORRUPT : (swap / 2) % 2 == 0 ? B : A; // B, corrupt, A, corrupt, B, ...
                write(file, content);
                outcomes.add(scorer.reload().outcome());
            }
            swapping.set(false);
            for (Future<?> f : scorers) {
                f.get(1, TimeUnit.MINUTES);
            }
            pool.shutdown();

            assertEquals(List.of(), wrong);
            assertTrue(calls.get() >= threads, "calls: " + calls.get());
            assertEquals(25, outcomes.stream().filter(o -> o == Outcome.RELOADED).count(), outcomes.toString());
            assertEquals(25, outcomes.stream().filter(o -> o == Outcome.REJECTED).count(), outcomes.toString());
            assertEquals(26, scorer.serving().version());
            assertEquals("y = 3 + 4x", scorer.info().description(), "the last valid file, B, serves");
            assertEquals("26", scorer.info().metadata().get(ReloadingScorer.VERSION_KEY));
            assertEquals(25, events.events.stream().filter(e -> e.startsWith("reloaded")).count());
            assertEquals(25, events.events.stream().filter(e -> e.startsWith("rejected") && e.contains("it does not load")).count());
            assertEquals(calls.get(), scorer.stats().calls(), "stats count across every model served");
        }
    }

    @Test
    void candidateThatFailsVerificationNeverServesAndIsNotTriedAgainUntilItChanges() throws Exception {
        Path file = write(dir.resolve("model.pmml"), A);
        Events events = new Events();
        List<String> loads = new CopyOnWriteArrayList<>();
        ScoringListener counting = new ScoringListener() {
            @Override
            public void modelLoaded(ModelInfo model, long loadNanos) {
                loads.add(model.description());
            }

            @Override
            public void reloadRejected(ModelInfo serving, String candidate, String reason) {
                events.reloadRejected(serving, candidate, reason);
            }
        };
        Verification golden = Verification.of(List.of(VerificationCase.builder(Map.of("x", 1)).value(3).build(),
                VerificationCase.builder(Map.of("x", 2)).value(5).build()));
        try (ReloadingScorer scorer = ReloadingScorer.builder(file).options(ScorerOptions.builder().listener(counting).build())
                .verification(golden).build()) {
            write(file, B);

            ReloadingScorer.ReloadResult first = scorer.reload();
            ReloadingScorer.ReloadResult again = scorer.reload();

            assertEquals(Outcome.REJECTED, first.outcome());
            assertTrue(first.reason().contains("it fails its verification: FAILED: 2 of 2 cases"), first.reason());
            assertEquals(first, again, "the same candidate is not tried again");
            assertEquals(List.of("y = 1 + 2x", "y = 3 + 4x"), loads, "loaded once at build, once as the candidate");
            assertEquals(1, events.events.size(), events.events.toString());
            assertEquals(5.0, scorer.score(Map.of("x", 2)).value(), "A keeps serving");
            assertEquals(1, scorer.serving().version());

            write(file, line(1, 2, false).replace("y = 1 + 2x", "retrained, same answers"));
            assertEquals(Outcome.RELOADED, scorer.reload().outcome());
            assertEquals(2, scorer.serving().version());
        }
    }

    @Test
    void firstModelThatFailsItsVerificationIsNotServedAtAll() throws Exception {
        Path file = write(dir.resolve("model.pmml"), B);
        Verification golden = Verification.of(List.of(VerificationCase.builder(Map.of("x", 1)).value(3).build()));

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ReloadingScorer.builder(file).verification(golden).build());

        assertTrue(e.getMessage().contains("fails its verification"), e.getMessage());
    }

    @Test
    void candidateWithOtherInputsIsRejectedAsIncompatible() throws Exception {
        Path file = write(dir.resolve("model.pmml"), A);
        try (ReloadingScorer scorer = ReloadingScorer.builder(file).build()) {
            write(file, line(1, 2, true));

            ReloadingScorer.ReloadResult result = scorer.reload();

            assertEquals(Outcome.REJECTED, result.outcome());
            assertEquals("it is not compatible with the serving model: it has the new inputs [z]", result.reason());
            assertEquals(3.0, scorer.score(Map.of("x", 1)).value());
        }
    }

    @Test
    void sameContentWrittenAgainIsNotAReload() throws Exception {
        Path file = write(dir.resolve("model.pmml"), A);
        try (ReloadingScorer scorer = ReloadingScorer.builder(file).build()) {
            write(file, A);

            assertEquals(Outcome.UNCHANGED, scorer.reload().outcome());
            assertEquals(1, scorer.serving().version());
        }
    }

    @Test
    void daySwapOfAKubernetesStyleSymlinkIsDetectedByTheScheduledCheck() throws Exception {
        // /config/model.pmml -> ..data/model.pmml, ..data -> ..day1; the update points ..data at ..day2
        Path day1 = Files.createDirectory(dir.resolve("..day1"));
        Path day2 = Files.createDirectory(dir.resolve("..day2"));
        write(day1.resolve("model.pmml"), A);
        write(day2.resolve("model.pmml"), B);
        Path data = Files.createSymbolicLink(dir.resolve("..data"), day1.getFileName());
        Path model = Files.createSymbolicLink(dir.resolve("model.pmml"), Path.of("..data", "model.pmml"));
        Events events = new Events();
        try (ReloadingScorer scorer = ReloadingScorer.builder(model).checkEvery(Duration.ofMillis(20))
                .options(ScorerOptions.builder().listener(events).build()).build()) {
            assertEquals(3.0, scorer.score(Map.of("x", 1)).value());

            Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), day2.getFileName());
            Files.move(next, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            assertTrue(events.reloaded.await(1, TimeUnit.MINUTES), "the swap was not detected: " + events.events);
            assertEquals(7.0, scorer.score(Map.of("x", 1)).value());
            assertEquals(2, scorer.serving().version());
        }
    }

    @Test
    void verificationFilesChangedAfterARejectionMakeTheModelACandidateAgain() throws Exception {
        Path file = write(dir.resolve("model.pmml"), A);
        Path input = write(dir.resolve("input.csv"), "x\n1\n2\n");
        Path expected = write(dir.resolve("expected.csv"), "value\n3.0\n5.0\n");
        try (ReloadingScorer scorer = ReloadingScorer.builder(file).verificationFiles(input, expected).build()) {
            write(file, B); // dropped before its expected answers
            assertEquals(Outcome.REJECTED, scorer.reload().outcome());

            write(expected, "value\n7.0\n11.0\n");

            assertEquals(Outcome.RELOADED, scorer.reload().outcome());
            assertEquals(7.0, scorer.score(Map.of("x", 1)).value());
        }
    }

    @Test
    void callsAfterCloseAreRefused() throws Exception {
        Path file = write(dir.resolve("model.pmml"), A);
        ReloadingScorer scorer = ReloadingScorer.builder(file).build();
        scorer.close();

        assertThrows(IllegalStateException.class, () -> scorer.score(Map.of("x", 1)));
        assertThrows(IllegalStateException.class, scorer::reload);
        assertFalse(scorer.toString().isEmpty());
        scorer.close();
    }
}

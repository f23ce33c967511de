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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reload gate against candidates that misbehave while they are checked (slow, held, throwing an Error), on
 * a test runtime the test holds with latches: every failure is one rejection, the candidate is closed, checking
 * goes on, and close() never waits for a check.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // hang guard
class ReloadingScorerGateTest {
    /** y = 1 + 2x at x = 1. */
    private static final Verification GOLDEN = Verification.of(List.of(VerificationCase.builder(Map.of("x", 1.0)).value(3).build()));

    @TempDir
    Path dir;
    private ClassLoader saved;
    private final Events events = new Events();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream savedErr;

    private static final class Events implements ScoringListener {
        final List<String> told = new CopyOnWriteArrayList<>();
        final CountDownLatch rejected = new CountDownLatch(1);
        final CountDownLatch reloaded = new CountDownLatch(1);

        @Override
        public void reloadSucceeded(ModelInfo previous, ModelInfo current) {
            told.add("reloaded " + current.description());
            reloaded.countDown();
        }

        @Override
        public void reloadRejected(ModelInfo serving, String candidate, String reason) {
            told.add("rejected: " + reason);
            rejected.countDown();
        }
    }

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

    private List<String> warnings() {
        return log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(" WARN ")).toList();
    }

    private Path write(String name, String content) throws Exception {
        Path aside = Files.writeString(dir.resolve(name + ".tmp"), content);
        return Files.move(aside, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private ReloadingScorer.Builder builder(Path model, ScorerOptions.Builder options) {
        return ReloadingScorer.builder(model).options(options.listener(events).build());
    }

    /** Waits for the loader's count of closed models to reach the loads (a candidate may be closed on another thread). */
    private static void awaitEveryModelClosed() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (GatedRuntime.CLOSED.get() < GatedRuntime.LOADED.get() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertEquals(GatedRuntime.LOADED.get(), GatedRuntime.CLOSED.get(), "models loaded and closed");
    }

    /**
     * The check is held to its own deadline, not to the per-request callTimeout: a verification call held past
     * the call timeout (by the gate, however fast the machine) passes, and the candidate is loaded once.
     */
    @Test
    void verificationIsNotHeldToTheCallTimeoutAndLoadsTheCandidateOnce() throws Exception {
        Duration callTimeout = Duration.ofMillis(50);
        Path model = write("model.pmml", GatedRuntime.model(1, ""));
        try (ReloadingScorer scorer = builder(model, ScorerOptions.builder().callTimeout(callTimeout)).verification(GOLDEN).build()) {
            write("model.pmml", GatedRuntime.model(1, "gated"));
            CompletableFuture<ReloadResult> reload = CompletableFuture.supplyAsync(scorer::reload);
            assertTrue(GatedRuntime.entered.await(1, TimeUnit.MINUTES), "the candidate's verification never started");
            long heldUntil = System.nanoTime() + 2 * callTimeout.toNanos(); // the verification call outlasts the call timeout
            while (System.nanoTime() < heldUntil) {
                LockSupport.parkNanos(heldUntil - System.nanoTime());
            }
            GatedRuntime.release.countDown();

            ReloadResult result = reload.get(1, TimeUnit.MINUTES);

            assertEquals(Outcome.RELOADED, result.outcome(), String.valueOf(result.reason()));
            assertEquals(2, scorer.serving().version());
            assertEquals(2, GatedRuntime.LOADED.get(), "the serving model, then the candidate once");
            assertEquals(List.of(), warnings());
        }
        awaitEveryModelClosed();
    }

    @Test
    void verificationSlowerThanTheCheckTimeoutRejectsTheCandidateOnceAndClosesIt() throws Exception {
        GatedRuntime.slowNanos = TimeUnit.MILLISECONDS.toNanos(1_500); // past the timeout on any machine
        Path model = write("model.pmml", GatedRuntime.model(1, ""));
        try (ReloadingScorer scorer = builder(model, ScorerOptions.builder()).checkTimeout(Duration.ofSeconds(1))
                .verification(GOLDEN).build()) {
            write("model.pmml", GatedRuntime.model(1, "slow"));

            ReloadResult first = scorer.reload();
            ReloadResult again = scorer.reload(); // a timeout is tried once more at the next check, without a second WARN
            ReloadResult third = scorer.reload(); // then not before the file changes: each try is a load

            assertEquals(Outcome.REJECTED, first.outcome());
            assertTrue(first.reason().startsWith("its verification ran past the check timeout of 1000 ms "
                    + "(ReloadingScorer.Builder.checkTimeout; "), first.reason());
            assertEquals(Outcome.REJECTED, again.outcome());
            assertSame(again, third);
            assertEquals(3, GatedRuntime.LOADED.get(), "the serving model, then the candidate twice");
            assertEquals(2, GatedRuntime.CLOSED.get(), "both candidates closed");
            assertEquals(1, events.told.size(), events.told.toString());
            assertEquals(1, warnings().size(), warnings().toString());
            assertEquals(3.0, scorer.score(Map.of("x", 1.0)).value());
            assertEquals(1, scorer.serving().version());
        }
        awaitEveryModelClosed();
    }

    @Test
    void firstModelWhoseVerificationRunsPastTheCheckTimeoutIsAModelLoadExceptionAndIsClosed() throws Exception {
        GatedRuntime.slowNanos = TimeUnit.MILLISECONDS.toNanos(1_500); // past the timeout on any machine
        Path model = write("model.pmml", GatedRuntime.model(1, "slow"));

        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> builder(model, ScorerOptions.builder()).checkTimeout(Duration.ofSeconds(1)).verification(GOLDEN).build());

        assertTrue(e.getMessage().contains("its verification ran past the check timeout of 1000 ms"), e.getMessage());
        assertInstanceOf(ScoringTimeoutException.class, e.getCause());
        assertEquals(1, GatedRuntime.CLOSED.get(), "the first model is closed, not left to the cleaner");
    }

    @Test
    void checkTimeoutRefusesANegativeDuration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReloadingScorer.builder(dir.resolve("model.pmml")).checkTimeout(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("checkTimeout must not be negative"), e.getMessage());
    }

    @Test
    void errorWhileScoringTheGoldenCasesRejectsOnceAndTheScheduledCheckGoesOn() throws Exception {
        Path model = write("model.pmml", GatedRuntime.model(1, ""));
        try (ReloadingScorer scorer = builder(model, ScorerOptions.builder()).verification(GOLDEN).checkEvery(Duration.ofMillis(5)).build()) {
            write("model.pmml", GatedRuntime.model(1, "error"));
            assertTrue(events.rejected.await(1, TimeUnit.MINUTES), "the Error was not reported");

            write("model.pmml", GatedRuntime.model(1, "retrained"));

            assertTrue(events.reloaded.await(1, TimeUnit.MINUTES), "checking stopped after the Error: " + events.told);
            assertEquals(List.of("rejected: checking it failed: java.lang.OutOfMemoryError: simulated by the test runtime",
                    "reloaded <PMML intercept=\"1\" retrained/>"), events.told);
            assertEquals(1, warnings().size(), warnings().toString());
            assertEquals(2, scorer.serving().version());
        }
        awaitEveryModelClosed();
    }

    @Test
    void errorWhileReadingTheGoldenCasesRejectsOnceAndTheScheduledCheckGoesOn() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        Supplier<Verification> hugeOnSecondRead = () -> {
            if (reads.incrementAndGet() == 2) {
                throw new OutOfMemoryError("Java heap space (simulated: a verification file too large for the heap)");
            }
            return GOLDEN;
        };
        Path model = write("model.pmml", GatedRuntime.model(1, ""));
        try (ReloadingScorer scorer = builder(model, ScorerOptions.builder()).verification(hugeOnSecondRead)
                .checkEvery(Duration.ofMillis(5)).build()) {
            write("model.pmml", GatedRuntime.model(1, "second"));
            assertTrue(events.rejected.await(1, TimeUnit.MINUTES), "the Error was not reported");

            write("model.pmml", GatedRuntime.model(1, "third"));

            assertTrue(events.reloaded.await(1, TimeUnit.MINUTES), "checking stopped after the Error: " + events.told);
            assertEquals("rejected: its verification cases cannot be read: java.lang.OutOfMemoryError: Java heap space (simulated: a "
                    + "verification file too large for the heap)", events.told.get(0));
            assertEquals(1, warnings().size(), warnings().toString());
            assertEquals(2, scorer.serving().version());
        }
        awaitEveryModelClosed();
    }

    @Test
    void closeDuringALongVerificationReturnsAndNothingIsSwappedInOrToldAfterwards() throws Exception {
        Path model = write("model.pmml", GatedRuntime.model(1, ""));
        ReloadingScorer scorer = builder(model, ScorerOptions.builder()).verification(GOLDEN).build();
        write("model.pmml", GatedRuntime.model(1, "gated"));
        CompletableFuture<ReloadResult> reload = CompletableFuture.supplyAsync(scorer::reload);
        assertTrue(GatedRuntime.entered.await(1, TimeUnit.MINUTES), "the candidate's verification never started");

        scorer.close(); // the hang guard fails the test if close() waits for the held verification

        GatedRuntime.release.countDown();
        ExecutionException e = assertThrows(ExecutionException.class, () -> reload.get(1, TimeUnit.MINUTES));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(List.of(), events.told, "nothing is told after close() began");
        assertEquals(1, scorer.serving().version());
        assertEquals(List.of(), warnings());
        awaitEveryModelClosed();
    }

    @Test
    void twoDifferentUnreadableCandidatesWithTheSameMessageAreBothReported() throws Exception {
        Path model = write("model.pmml", GatedRuntime.model(1, ""));
        try (ReloadingScorer scorer = builder(model, ScorerOptions.builder()).build()) {
            Files.delete(model);
            Files.move(Files.createDirectory(dir.resolve("day1")), model); // a deploy script that unpacked into the wrong place
            ReloadResult first = scorer.reload();
            ReloadResult same = scorer.reload();
            Files.move(Files.createDirectory(dir.resolve("day2")), model, StandardCopyOption.REPLACE_EXISTING);
            ReloadResult second = scorer.reload();

            assertEquals(Outcome.REJECTED, first.outcome());
            assertEquals("unreadable: it is a directory, not a file", first.reason());
            assertSame(first, same, "the same files are not tried again");
            assertEquals(first.reason(), second.reason(), "two candidates, one message");
            assertEquals(2, events.told.size(), events.told.toString());
            assertEquals(2, warnings().size(), warnings().toString());
            assertEquals(3.0, scorer.score(Map.of("x", 1.0)).value());
        }
    }

    @Test
    void permissionChangeAloneMakesARejectedCandidateACandidateAgain() throws Exception {
        // as chmod 644 after a chmod 000 rejection: neither size, modification time nor path changes
        java.util.concurrent.atomic.AtomicBoolean expectedShipped = new java.util.concurrent.atomic.AtomicBoolean();
        Verification retrained = Verification.of(List.of(VerificationCase.builder(Map.of("x", 1.0)).value(7).build()));
        Path model = write("model.pmml", GatedRuntime.model(1, ""));
        try (ReloadingScorer scorer = builder(model, ScorerOptions.builder())
                .verification(() -> expectedShipped.get() ? retrained : GOLDEN).checkEvery(Duration.ofMillis(5)).build()) {
            Path aside = Files.writeString(dir.resolve("aside"), GatedRuntime.model(5, ""));
            Files.setPosixFilePermissions(aside, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.move(aside, model, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertTrue(events.rejected.await(1, TimeUnit.MINUTES), "the candidate was not checked");
            expectedShipped.set(true);

            Files.setPosixFilePermissions(model, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

            assertTrue(events.reloaded.await(1, TimeUnit.MINUTES), "the permission change was not seen: " + events.told);
            assertEquals(7.0, scorer.score(Map.of("x", 1.0)).value());
        }
    }

    @Test
    void verificationSettersRefuseEachOther() {
        Path model = dir.resolve("model.pmml");
        ReloadingScorer.Builder builder = ReloadingScorer.builder(model).verification(GOLDEN);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> builder.verificationFiles(dir.resolve("input.csv"), dir.resolve("expected.csv")));

        assertEquals("verificationFiles(Path, Path) cannot be combined with verification(Verification), called before: give the "
                + "golden cases one way", e.getMessage());
        assertThrows(IllegalStateException.class, () -> builder.verification(() -> GOLDEN));
        builder.verification(GOLDEN); // the same setter again replaces, as any setter does
    }
}

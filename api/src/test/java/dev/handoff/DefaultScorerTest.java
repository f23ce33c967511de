package dev.handoff;

import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.ScoringEngine;
import dev.handoff.spi.OutputColumns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scorer around a runtime: closing protocol and output shaping, with a model written in the test. */
class DefaultScorerTest {
    /** The scorers a test leaves open, closed after it: a dropped one's Cleaner WARN would land in a later test's log. */
    private final List<DefaultScorer> opened = new ArrayList<>();

    private DefaultScorer open(DefaultScorer scorer) {
        opened.add(scorer);
        return scorer;
    }

    @AfterEach
    void closeEveryScorer() {
        opened.forEach(DefaultScorer::close);
    }


    /** Softmax-free "classifier": the probabilities are the inputs x and 1 - x; blocks while {@link #gate} is closed. */
    private static final class FakeModel implements ScoringEngine {
        final AtomicInteger closes = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch released = new CountDownLatch(1);
        final AtomicInteger stops = new AtomicInteger();
        final AtomicBoolean closedWhileScoring = new AtomicBoolean();
        volatile boolean scoring;
        volatile CountDownLatch entered = new CountDownLatch(0);
        volatile CountDownLatch gate = new CountDownLatch(0);
        private final boolean labels;

        FakeModel(boolean labels) {
            this.labels = labels;
        }

        @Override
        public void stopRunningCalls() {
            stops.incrementAndGet();
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("<test>", ModelFormat.ONNX, ModelTask.CLASSIFICATION, "test", "", "00", Map.of());
        }

        @Override
        public List<InputField> inputs() {
            return List.of(InputField.scalar("x", ValueType.DOUBLE, MissingValueTreatment.MODEL_HANDLES),
                    InputField.scalar("n", ValueType.INTEGER, MissingValueTreatment.MODEL_HANDLES));
        }

        @Override
        public List<OutputField> outputs() {
            List<OutputField> outputs = new java.util.ArrayList<>(List.of(new OutputField("p", ValueType.DOUBLE, List.of(2L)),
                    new OutputField("n", ValueType.INTEGER, List.of()), new OutputField("dist", ValueType.MAP, List.of())));
            if (labels) {
                outputs.add(0, new OutputField("label", ValueType.STRING, List.of()));
            }
            return outputs;
        }

        @Override
        public List<String> classes() {
            return List.of("no", "yes");
        }

        @Override
        public void score(InputColumns columns, OutputColumns out) {
            scoring = true;
            try {
                entered.countDown();
                gate.await();
                calls.incrementAndGet();
                double[] x = columns.doubles(0);
                long[] n = columns.longs(1);
                double[] p = new double[x.length * 2];
                long[] l = new long[x.length];
                Object[] counts = new Object[x.length];
                for (int r = 0; r < x.length; r++) {
                    p[2 * r] = 1 - x[r];      // NaN in, NaN out: no prediction, as a graph without an imputer
                    p[2 * r + 1] = x[r];
                    l[r] = 7;                  // an int64 label tensor
                    counts[r] = columns.isMissing(1, r) ? null : Integer.valueOf((int) n[r]); // as JPMML decodes an integer
                }
                OutputColumns b = out.probabilities(p).output("p", p).output("n", counts)
                        .output("dist", p);
                for (int r = 0; r < x.length; r++) {
                    if (x[r] == 0.125) {
                        b.noPrediction(r, "the model says so");
                    }
                }
                if (labels) {
                    b.output("label", l).labelOutput("label");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                scoring = false;
            }
        }

        @Override
        public void close() {
            if (scoring) {
                closedWhileScoring.set(true);
            }
            closes.incrementAndGet();
            released.countDown();
        }
    }

    @Test
    void closeWaitsForTheInFlightCallBeforeReleasingTheModel() throws Exception {
        FakeModel model = new FakeModel(true);
        DefaultScorer scorer = new DefaultScorer(model, ScorerOptions.defaults());
        model.entered = new CountDownLatch(1);
        model.gate = new CountDownLatch(1);
        AtomicReference<Prediction> result = new AtomicReference<>();
        Thread caller = new Thread(() -> result.set(scorer.score(Map.of("x", 0.25))));
        caller.start();
        assertTrue(model.entered.await(1, TimeUnit.MINUTES));

        Thread closer = new Thread(scorer::close);
        closer.start();
        while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive()) {
            Thread.onSpinWait(); // bounded: the closer either parks waiting for the call or (wrongly) finishes
        }
        assertTrue(closer.isAlive(), "close() returned while a call was in flight");
        assertEquals(0, model.closes.get(), "the model must not be closed while a call is in flight");

        model.gate.countDown();
        caller.join(60_000);
        closer.join(60_000);
        assertEquals(0.25, result.get().probability("yes"), 0.0);
        assertEquals("7", result.get().label());
        assertEquals(1, model.closes.get());
        assertFalse(model.closedWhileScoring.get());
        assertThrows(IllegalStateException.class, () -> scorer.score(Map.of("x", 0.5)));
        scorer.close();
        assertEquals(1, model.closes.get(), "close is idempotent");
    }

    @Test
    void callsThatArriveWhileCloseWaitsFailAtOnceInsteadOfBlocking() throws Exception {
        FakeModel model = new FakeModel(true);
        DefaultScorer scorer = open(new DefaultScorer(model, ScorerOptions.defaults()));
        model.entered = new CountDownLatch(1);
        model.gate = new CountDownLatch(1);
        Thread caller = new Thread(() -> scorer.score(Map.of("x", 0.25)));
        caller.start();
        assertTrue(model.entered.await(1, TimeUnit.MINUTES));
        Thread closer = new Thread(scorer::close);
        closer.start();
        while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive()) {
            Thread.onSpinWait();
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> scorer.score(Map.of("x", 0.5)));
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
        model.gate.countDown();
        caller.join(60_000);
        closer.join(60_000);
        assertEquals(1, model.calls.get(), "the refused call never reached the model");
        assertEquals(1, model.closes.get());
    }

    @Test
    void closeGivesUpWaitingAfterItsTimeoutAndTheLastCallReleasesTheModel() throws Exception {
        FakeModel model = new FakeModel(true);
        DefaultScorer scorer = new DefaultScorer(model, ScorerOptions.builder().closeTimeout(java.time.Duration.ofMillis(50)).build());
        model.entered = new CountDownLatch(1);
        model.gate = new CountDownLatch(1);
        AtomicReference<Prediction> result = new AtomicReference<>();
        Thread caller = new Thread(() -> result.set(scorer.score(Map.of("x", 0.25))));
        caller.start();
        assertTrue(model.entered.await(1, TimeUnit.MINUTES));

        scorer.close(); // returns after the timeout although the call is still running
        assertEquals(0, model.closes.get(), "a running call must never see its model released");
        assertEquals(1, model.stops.get(), "the runtime was asked to stop the call still running");
        assertThrows(IllegalStateException.class, () -> scorer.score(Map.of("x", 0.5)));

        model.gate.countDown();
        caller.join(60_000);
        assertEquals(0.25, result.get().probability("yes"), 0.0, "the running call finished on its model");
        assertEquals(1, model.closes.get(), "the last call out released the model");
        assertFalse(model.closedWhileScoring.get());
    }

    @Test
    void aCallThatReturnsAfterItsCallTimeoutThrowsScoringTimeoutAndTheNextCallScores() throws Exception {
        FakeModel model = new FakeModel(true);
        DefaultScorer scorer = open(new DefaultScorer(model, ScorerOptions.builder().callTimeout(java.time.Duration.ofMillis(1)).build()));
        model.entered = new CountDownLatch(1);
        model.gate = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                scorer.score(Map.of("x", 0.25));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        assertTrue(model.entered.await(1, TimeUnit.MINUTES));
        long entered = System.nanoTime();
        while (System.nanoTime() - entered < 2_000_000) { // the call is held past its 1 ms deadline
            Thread.onSpinWait();
        }
        model.gate.countDown();
        caller.join(60_000);

        ScoringTimeoutException e = assertInstanceOf(ScoringTimeoutException.class, thrown.get());
        assertEquals(1, e.timeoutMillis());
        assertTrue(e.getMessage().contains("more than the call timeout of 1 ms"), e.getMessage());
        DefaultScorer patient = open(new DefaultScorer(model, ScorerOptions.builder().callTimeout(java.time.Duration.ofMinutes(5)).build()));
        assertEquals(0.25, patient.score(Map.of("x", 0.25)).probability("yes"), 0.0);
        assertEquals(0, model.stops.get(), "a deadline alone never stops calls through close's hook");
    }

    /** A scorer that has scored once and is then dropped: nothing refers to it after this returns. */
    private static void scoreOnceAndDrop(FakeModel model, boolean close) {
        DefaultScorer scorer = new DefaultScorer(model, ScorerOptions.defaults());
        assertEquals(0.25, scorer.score(Map.of("x", 0.25)).probability("yes"), 0.0);
        if (close) {
            scorer.close();
        }
    }

    /**
     * Collects garbage until the model is released, for at most a minute (the latch, not a pause, decides);
     * then whether the condition holds.
     */
    private static boolean collectUntil(FakeModel model, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            System.gc();
            model.released.await(10, TimeUnit.MILLISECONDS); // gives the cleaner thread its turn
        }
        return condition.getAsBoolean();
    }

    @Test
    void aScorerDroppedWithoutCloseHasItsModelReleasedOnceItIsCollected() throws Exception {
        FakeModel model = new FakeModel(true);

        scoreOnceAndDrop(model, false);

        assertTrue(collectUntil(model, () -> model.closes.get() == 1), "the cleaner released the dropped scorer's model");
        assertEquals(1, model.calls.get());
    }

    @Test
    void aClosedScorerThatIsCollectedIsNotReleasedTwice() throws Exception {
        FakeModel closed = new FakeModel(true);
        FakeModel dropped = new FakeModel(true);

        scoreOnceAndDrop(closed, true);
        scoreOnceAndDrop(dropped, false);

        // the dropped scorer's release shows that the cleaner has run over both
        assertTrue(collectUntil(dropped, () -> dropped.closes.get() == 1));
        assertEquals(1, closed.closes.get());
    }

    @Test
    void closeRacingManyCallersNeverReleasesTheModelUnderACall() throws Exception {
        for (int round = 0; round < 200; round++) {
            FakeModel model = new FakeModel(true);
            DefaultScorer scorer = new DefaultScorer(model, ScorerOptions.defaults());
            int threads = 4;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> callers = new java.util.ArrayList<>();
            AtomicInteger unexpected = new AtomicInteger();
            for (int t = 0; t < threads; t++) {
                Thread caller = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 1_000; i++) {
                            scorer.score(Map.of("x", 0.25));
                        }
                    } catch (IllegalStateException closed) {
                        // the only allowed way out once close() has begun
                    } catch (Throwable other) {
                        unexpected.incrementAndGet();
                    }
                });
                caller.start();
                callers.add(caller);
            }
            start.countDown();
            scorer.close();
            for (Thread caller : callers) {
                caller.join(60_000);
            }
            assertEquals(0, unexpected.get());
            assertFalse(model.closedWhileScoring.get(), "round " + round);
            assertEquals(1, model.closes.get(), "round " + round);
        }
    }

    @Test
    void probabilitiesWithoutLabelsGetArgmaxLabelsInClassOrder() {
        DefaultScorer scorer = open(new DefaultScorer(new FakeModel(false), ScorerOptions.defaults()));
        Predictions ps = scorer.scoreAll(List.of(Map.of("x", 0.9), Map.of("x", 0.1), Map.of("x", 0.5)));
        assertArrayEquals(new String[] {"yes", "no", "no"}, ps.labels(), "ties go to the first class, as numpy.argmax");
        assertArrayEquals(new double[] {0.9, 0.1, 0.5}, ps.probabilities("yes"), 0.0);
        assertEquals(List.of("no", "yes"), List.copyOf(ps.get(0).probabilities().keySet()));
    }

    @Test
    void askingForWhatTheModelDoesNotGiveSaysWhatItGives() {
        DefaultScorer scorer = open(new DefaultScorer(new FakeModel(true), ScorerOptions.defaults()));
        Prediction p = scorer.score(Map.of("x", 0.3));
        IllegalArgumentException unknownClass = assertThrows(IllegalArgumentException.class, () -> p.probability("maybe"));
        assertTrue(unknownClass.getMessage().contains("[no, yes]"), unknownClass.getMessage());
        NullPointerException nullClass = assertThrows(NullPointerException.class, () -> p.probability(null));
        assertTrue(nullClass.getMessage().contains("[no, yes]"), nullClass.getMessage());
        IllegalArgumentException unknownOutput = assertThrows(IllegalArgumentException.class, () -> p.output("q"));
        assertTrue(unknownOutput.getMessage().contains("[label, p, n, dist]"), unknownOutput.getMessage());
        UnsupportedOperationException value = assertThrows(UnsupportedOperationException.class, p::value);
        assertTrue(value.getMessage().contains("CLASSIFICATION"), value.getMessage());
        assertTrue(p.hasLabel());
        assertTrue(p.hasProbabilities());
        assertFalse(p.hasValue());
        assertFalse(p.failed());
        assertArrayEquals(new double[] {0.7, 0.3}, (double[]) p.output("p"), 1e-15);
    }

    @Test
    void outputsReadAsTheJavaTypeTheirFieldDeclaresWhateverTheRuntimeColumn() {
        DefaultScorer scorer = open(new DefaultScorer(new FakeModel(true), ScorerOptions.defaults()));
        Prediction p = scorer.score(Map.of("x", 0.3, "n", 4));
        assertEquals("7", p.label(), "an int64 label reads as its canonical string");
        assertEquals("7", p.output("label"));
        assertEquals(4L, p.output("n"), "an Integer from the runtime reads as the Long an INTEGER output promises");
        assertEquals(Map.of("no", 0.7, "yes", 0.3).keySet(), ((Map<?, ?>) p.output("dist")).keySet());
        assertEquals(List.of("no", "yes"), List.copyOf(((Map<?, ?>) p.output("dist")).keySet()), "a map output is in class order");
        assertEquals(0.3, (Double) ((Map<?, ?>) p.output("dist")).get("yes"), 1e-15);
        assertEquals(null, scorer.score(Map.of("x", 0.3)).output("n"), "an output without a value reads null");
    }

    @Test
    void aBatchKeepsItsGoodRowsAndGivesEachBadRowItsOwnFailure() {
        FakeModel model = new FakeModel(true);
        DefaultScorer scorer = open(new DefaultScorer(model, ScorerOptions.defaults()));
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        records.add(Map.of("x", 0.9));
        records.add(Map.of("x", "abc"));            // does not bind
        records.add(Map.of("n", 3));                // x missing: the model gives NaN, no prediction
        records.add(Map.of("x", 0.2));
        records.add(Map.of("x", "0.125"));          // the runtime says there is no prediction
        Predictions ps = scorer.scoreAll(records);
        assertEquals(1, model.calls.get(), "one runtime call for the batch");
        assertEquals(5, ps.size());
        assertTrue(ps.hasFailures());
        assertEquals(List.of(1, 2, 4), ps.failures().stream().map(InvalidInputException::row).toList());
        assertEquals(0.9, ps.get(0).probability("yes"), 0.0);
        assertEquals(0.2, ps.get(3).probability("yes"), 0.0);
        assertEquals(0.8, ps.get(3).probabilities().get("no"), 1e-15);
        assertEquals(5, ps.outputs("p").size());
        assertEquals(null, ps.outputs("p").get(1));

        InvalidInputException unparsable = ps.get(1).failure().orElseThrow();
        assertEquals("x", unparsable.field());
        assertTrue(unparsable.getMessage().contains("row 1") && unparsable.getMessage().contains("not a number"), unparsable.getMessage());
        InvalidInputException noPrediction = ps.get(2).failure().orElseThrow();
        assertEquals("x", noPrediction.field());
        assertEquals(2, noPrediction.row());
        assertTrue(noPrediction.getMessage().contains("no prediction") && noPrediction.getMessage().contains("'x' is missing"),
                noPrediction.getMessage());
        assertTrue(ps.get(4).failure().orElseThrow().getMessage().contains("the model says so"));

        assertTrue(ps.get(2).failed());
        assertFalse(ps.get(2).hasLabel());
        InvalidInputException thrown = assertThrows(InvalidInputException.class, () -> ps.get(2).label());
        assertNotSame(noPrediction, thrown, "a stored failure is thrown as a fresh exception");
        assertSame(noPrediction, thrown.getCause());
        assertEquals(noPrediction.getMessage(), thrown.getMessage());
        thrown.addSuppressed(new IllegalStateException("the caller's own"));
        assertEquals(0, noPrediction.getSuppressed().length, "what the caller does to it never reaches the stored one");
        assertNotSame(thrown, assertThrows(InvalidInputException.class, () -> ps.get(2).value()));
        assertArrayEquals(new String[] {"7", null, null, "7", null}, ps.labels());
        double[] yes = ps.probabilities("yes");
        assertEquals(0.9, yes[0], 0.0);
        assertTrue(Double.isNaN(yes[1]) && Double.isNaN(yes[2]) && Double.isNaN(yes[4]));
        assertEquals(0.2, yes[3], 0.0);
        assertEquals(java.util.Arrays.asList("7", null, null, "7", null), ps.outputs("label"));
    }

    @Test
    void aColumnarBatchKeepsItsGoodRowsToo() {
        DefaultScorer scorer = open(new DefaultScorer(new FakeModel(true), ScorerOptions.defaults()));
        Predictions ps = scorer.score(Batch.builder(3).strings("x", new String[] {"0.1", "oops", "0.3"}).build());
        assertEquals(List.of(1), ps.failures().stream().map(InvalidInputException::row).toList());
        assertArrayEquals(new double[] {0.1, Double.NaN, 0.3}, ps.probabilities("yes"), 0.0);
    }

    @Test
    void aSingleRecordWithoutAPredictionThrowsWithoutARow() {
        DefaultScorer scorer = open(new DefaultScorer(new FakeModel(true), ScorerOptions.defaults()));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(Map.of("n", 1)));
        assertEquals(-1, e.row());
        assertEquals("x", e.field());
        assertTrue(e.getMessage().startsWith("Invalid input for field 'x': the model gives no prediction for this row"), e.getMessage());
    }

    @Test
    void anEmptyBatchGivesEmptyPredictionsWithoutCallingTheModel() {
        FakeModel model = new FakeModel(true);
        DefaultScorer scorer = open(new DefaultScorer(model, ScorerOptions.defaults()));
        assertEquals(0, scorer.scoreAll(List.of()).size());
        Predictions empty = scorer.score(Batch.builder(0).build());
        assertEquals(0, empty.size());
        assertEquals(0, empty.labels().length);
        assertEquals(0, empty.probabilities("yes").length);
        assertEquals(List.of(), empty.outputs("p"));
        assertEquals(0, model.calls.get());
    }

    @Test
    void aBatchOfOnlyBadRowsGivesOnlyFailuresWithoutCallingTheModel() {
        FakeModel model = new FakeModel(true);
        DefaultScorer scorer = open(new DefaultScorer(model, ScorerOptions.defaults()));
        Predictions ps = scorer.scoreAll(List.of(Map.of("x", "a"), Map.of("x", "b")));
        assertEquals(2, ps.failures().size());
        assertArrayEquals(new String[] {null, null}, ps.labels());
        assertArrayEquals(new double[] {Double.NaN, Double.NaN}, ps.probabilities("yes"), 0.0);
        assertEquals(java.util.Arrays.asList(null, null), ps.outputs("p"));
        assertEquals(0, model.calls.get());
    }

    @Test
    void predictionsAreIndependentOfLaterCallsAndCopiesCannotChangeThem() {
        DefaultScorer scorer = open(new DefaultScorer(new FakeModel(true), ScorerOptions.defaults()));
        Predictions ps = scorer.scoreAll(List.of(Map.of("x", 0.2)));
        ps.probabilities("yes")[0] = 99;
        ps.labels()[0] = "changed";
        assertEquals(0.2, ps.get(0).probability("yes"), 0.0);
        assertEquals("7", ps.get(0).label());
        assertArrayEquals(new double[] {0.8, 0.2}, (double[]) ps.outputs("p").get(0), 1e-15);
    }

    @Test
    void aRuntimeThatThrowsOutsideTheContractGivesAScoringExceptionAndStaysUsable() {
        FakeModel healthy = new FakeModel(true);
        ScoringEngine broken = new ScoringEngine() {
            private int calls;

            @Override
            public ModelInfo info() {
                return healthy.info();
            }

            @Override
            public List<InputField> inputs() {
                return healthy.inputs();
            }

            @Override
            public List<OutputField> outputs() {
                return healthy.outputs();
            }

            @Override
            public List<String> classes() {
                return healthy.classes();
            }

            @Override
            public void score(InputColumns columns, OutputColumns out) {
                if (calls++ == 0) {
                    throw new ArrayIndexOutOfBoundsException("a bug in the runtime");
                }
                healthy.score(columns, out);
            }

            @Override
            public void close() {
            }
        };
        DefaultScorer scorer = open(new DefaultScorer(broken, ScorerOptions.defaults()));
        ScoringException e = assertThrows(ScoringException.class, () -> scorer.score(Map.of("x", 0.3)));
        assertTrue(e.getMessage().contains("a bug in the runtime"), e.getMessage());
        assertTrue(e.getCause() instanceof ArrayIndexOutOfBoundsException);
        assertEquals(0.3, scorer.score(Map.of("x", 0.3)).probability("yes"), 0.0, "the next call is scored");
    }
}

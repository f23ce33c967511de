package dev.handoff;

import dev.handoff.spi.InputColumns;
import dev.handoff.spi.LoadedModel;
import dev.handoff.spi.ScoredRows;
import org.junit.jupiter.api.Test;

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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scorer around a runtime: closing protocol and output shaping, with a model written in the test. */
class DefaultScorerTest {

    /** Softmax-free "classifier": the probabilities are the inputs x and 1 - x; blocks while {@link #gate} is closed. */
    private static final class FakeModel implements LoadedModel {
        final AtomicInteger closes = new AtomicInteger();
        final AtomicBoolean closedWhileScoring = new AtomicBoolean();
        volatile boolean scoring;
        volatile CountDownLatch entered = new CountDownLatch(0);
        volatile CountDownLatch gate = new CountDownLatch(0);
        private final boolean labels;

        FakeModel(boolean labels) {
            this.labels = labels;
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("<test>", ModelFormat.ONNX, ModelTask.CLASSIFICATION, "test", "", "00", Map.of());
        }

        @Override
        public List<InputField> inputs() {
            return List.of(InputField.scalar("x", ValueType.DOUBLE, true));
        }

        @Override
        public List<OutputField> outputs() {
            return List.of(new OutputField("p", ValueType.DOUBLE, List.of(2L)));
        }

        @Override
        public List<String> classes() {
            return List.of("no", "yes");
        }

        @Override
        public ScoredRows score(InputColumns columns) {
            scoring = true;
            try {
                entered.countDown();
                gate.await();
                double[] x = columns.doubles(0);
                double[] p = new double[x.length * 2];
                String[] l = new String[x.length];
                for (int r = 0; r < x.length; r++) {
                    p[2 * r] = 1 - x[r];
                    p[2 * r + 1] = x[r];
                    l[r] = "from-model";
                }
                ScoredRows.Builder b = ScoredRows.builder(x.length).probabilities(p)
                        .output("p", r -> new double[] {p[2 * r], p[2 * r + 1]});
                return labels ? b.labels(l).build() : b.build();
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
        while (closer.getState() != Thread.State.WAITING && closer.isAlive()) {
            Thread.onSpinWait(); // bounded: the closer either blocks on the lock or (wrongly) finishes
        }
        assertEquals(0, model.closes.get(), "the model must not be closed while a call is in flight");

        model.gate.countDown();
        caller.join(60_000);
        closer.join(60_000);
        assertEquals(0.25, result.get().probability("yes"), 0.0);
        assertEquals(1, model.closes.get());
        assertFalse(model.closedWhileScoring.get());
        assertThrows(IllegalStateException.class, () -> scorer.score(Map.of("x", 0.5)));
        scorer.close();
        assertEquals(1, model.closes.get(), "close is idempotent");
    }

    @Test
    void probabilitiesWithoutLabelsGetArgmaxLabelsInClassOrder() {
        DefaultScorer scorer = new DefaultScorer(new FakeModel(false), ScorerOptions.defaults());
        Predictions ps = scorer.scoreAll(List.of(Map.of("x", 0.9), Map.of("x", 0.1), Map.of("x", 0.5)));
        assertArrayEquals(new String[] {"yes", "no", "no"}, ps.labels(), "ties go to the first class, as numpy.argmax");
        assertArrayEquals(new double[] {0.9, 0.1, 0.5}, ps.probabilities("yes"), 0.0);
        assertEquals(List.of("no", "yes"), List.copyOf(ps.get(0).probabilities().keySet()));
    }

    @Test
    void askingForWhatTheModelDoesNotGiveSaysWhatItGives() {
        DefaultScorer scorer = new DefaultScorer(new FakeModel(true), ScorerOptions.defaults());
        Prediction p = scorer.score(Map.of("x", 0.3));
        IllegalArgumentException unknownClass = assertThrows(IllegalArgumentException.class, () -> p.probability("maybe"));
        assertTrue(unknownClass.getMessage().contains("[no, yes]"), unknownClass.getMessage());
        IllegalArgumentException unknownOutput = assertThrows(IllegalArgumentException.class, () -> p.output("q"));
        assertTrue(unknownOutput.getMessage().contains("[p]"), unknownOutput.getMessage());
        IllegalStateException value = assertThrows(IllegalStateException.class, p::value);
        assertTrue(value.getMessage().contains("CLASSIFICATION"), value.getMessage());
        assertArrayEquals(new double[] {0.7, 0.3}, (double[]) p.output("p"), 1e-15);
        assertEquals("from-model", p.label());
    }

    @Test
    void predictionsAreIndependentOfLaterCallsAndCopiesCannotChangeThem() {
        DefaultScorer scorer = new DefaultScorer(new FakeModel(true), ScorerOptions.defaults());
        Predictions ps = scorer.scoreAll(List.of(Map.of("x", 0.2)));
        ps.probabilities("yes")[0] = 99;
        ps.labels()[0] = "changed";
        assertEquals(0.2, ps.get(0).probability("yes"), 0.0);
        assertEquals("from-model", ps.get(0).label());
        assertArrayEquals(new double[] {0.8, 0.2}, (double[]) ps.outputs("p").get(0), 1e-15);
    }
}

package dev.handoff;

import dev.handoff.ScorerStats.RowFailureKind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoringListenerTest {

    /** Writes each event as a line. */
    private static final class Recording implements ScoringListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void callFinished(ModelInfo model, int rows, int failedRows, long nanos) {
            events.add("finished " + rows + " rows, " + failedRows + " failed" + (nanos > 0 ? "" : ", no time"));
        }

        @Override
        public void callFailed(ModelInfo model, RuntimeException failure, long nanos) {
            events.add("failed " + failure.getClass().getSimpleName());
        }

        @Override
        public void rowRejected(ModelInfo model, InvalidInputException failure, RowFailureKind kind) {
            events.add("rejected row " + failure.row() + " " + kind);
        }
    }

    private static Map<String, Object> x(Object value) {
        Map<String, Object> r = new HashMap<>();
        r.put("x", value);
        return r;
    }

    @Test
    void everyFailedRowIsToldWithItsKindBeforeTheCallFinishes() {
        Recording listener = new Recording();
        try (Scorer scorer = new DefaultScorer(new LineModel(1), ScorerOptions.builder().listener(listener).stats(false).build())) {
            scorer.scoreAll(List.of(x(1), x("abc"), x(null), x(13)));
            assertThrows(InvalidInputException.class, () -> scorer.score(x("abc")));
            assertThrows(InvalidInputException.class, () -> scorer.score(Batch.builder(1).booleans("plan", new boolean[] {true}).build()));
        }

        assertEquals(List.of("rejected row 1 INVALID_INPUT", "rejected row 2 NO_PREDICTION", "rejected row 3 REJECTED_BY_MODEL",
                "finished 4 rows, 3 failed",
                "rejected row -1 INVALID_INPUT", "finished 1 rows, 1 failed",
                "failed InvalidInputException"), listener.events);
    }

    /**
     * A load that fails tells nothing. A load that succeeds tells {@code modelLoaded} once with the scorer's model
     * before any call event: asserted on each runtime's real models by
     * {@code RuntimeContract.theListenerIsToldTheLoadOnceThenEveryCallWithItsRejectedRows} (this module has no runtime).
     */
    @Test
    void aLoadThatFailsTellsTheListenerNothing() {
        List<String> loaded = new CopyOnWriteArrayList<>();
        ScoringListener listener = new ScoringListener() {
            @Override
            public void modelLoaded(ModelInfo model, long loadNanos) {
                loaded.add(model.source());
            }
        };
        ScorerOptions options = ScorerOptions.builder().listener(listener).build();
        // no runtime on the api's class path: the loader fails before telling anyone
        assertThrows(ModelLoadException.class, () -> Scorer.load(new byte[] {1, 2, 3}, options));
        assertEquals(List.of(), loaded);
        assertEquals(listener, options.listener());
        assertEquals(ScoringListener.NONE, ScorerOptions.defaults().listener());
    }

    @Test
    void listenerThatThrowsNeverBreaksACallAndIsLoggedOnce() {
        ScoringListener broken = new ScoringListener() {
            @Override
            public void callFinished(ModelInfo model, int rows, int failedRows, long nanos) {
                throw new IllegalStateException("metrics backend down");
            }

            @Override
            public void rowRejected(ModelInfo model, InvalidInputException failure, RowFailureKind kind) {
                throw new AssertionError("a test double's assertion");
            }

            @Override
            public String toString() {
                return "BrokenListener";
            }
        };
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (Scorer scorer = new DefaultScorer(new LineModel(1), ScorerOptions.builder().listener(broken).build())) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (int i = 0; i < 5; i++) {
                assertEquals(3.0, scorer.score(x(1)).value());
                assertEquals(1, scorer.scoreAll(List.of(x(1), x("abc"))).failures().size());
            }
            assertEquals(10, scorer.stats().calls(), "the stats went on too");
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, log.split("ScoringListener BrokenListener threw", -1).length - 1, log);
        assertTrue(log.contains("WARN"), log);
        assertTrue(log.contains("metrics backend down"), log);
    }
}

package dev.handoff;

import dev.handoff.ScorerStats.RowFailureKind;
import dev.handoff.ScorerStats.InputStats;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Scorer#stats()} on a model written in the test (y = 1 + 2x, x declared in [0, 10], plan in {basic, plus}). */
class ScorerStatsTest {

    private static Map<String, Object> row(Object x, Object plan) {
        Map<String, Object> r = new HashMap<>();
        r.put("x", x);
        r.put("plan", plan);
        return r;
    }

    @Test
    void countsCallsRowsFailedRowsByKindAndPerInputValues() {
        try (Scorer scorer = new DefaultScorer(new LineModel(1), ScorerOptions.defaults())) {
            Predictions ps = scorer.scoreAll(List.of(
                    row(1, "basic"),        // scored
                    row("abc", "basic"),    // INVALID_INPUT: x is not a number
                    row(null, "plus"),      // NO_PREDICTION: x missing, the model gives NaN
                    row(13, "basic"),       // REJECTED_BY_MODEL, and outside [0, 10]
                    row(20, "gold"),        // scored; x outside [0, 10], plan unseen
                    row(2, "gold"),         // scored; plan unseen
                    row(3, null)));         // scored; plan missing
            assertEquals(3, ps.failures().size());
            assertThrows(InvalidInputException.class, () -> scorer.score(row("x", "basic")));

            ScorerStats stats = scorer.stats();

            assertTrue(stats.recorded());
            assertEquals(2, stats.calls());
            assertEquals(8, stats.rows());
            assertEquals(4, stats.failedRows());
            assertEquals(Map.of(RowFailureKind.INVALID_INPUT, 2L, RowFailureKind.REJECTED_BY_MODEL, 1L, RowFailureKind.NO_PREDICTION, 1L),
                    stats.failedRowsByKind());
            assertEquals(List.of("x", "plan"), List.copyOf(stats.inputs().keySet()));
            InputStats x = stats.inputs().get("x");
            assertEquals(1, x.missing());
            assertEquals(3, x.invalid()); // "abc", "x", and 13 refused by the model
            assertEquals(2, x.outOfRange()); // 13 and 20
            assertEquals("[0.0, 10.0]", x.declaredRange().orElseThrow().toString());
            InputStats plan = stats.inputs().get("plan");
            assertEquals(1, plan.missing());
            assertEquals(0, plan.invalid());
            assertEquals(2, plan.unseenCategories());
            assertEquals(Map.of("gold", 2L), plan.topUnseenCategories());
            assertTrue(plan.declaredRange().isEmpty());
        }
    }

    @Test
    void unknownCategoryRejectedUnderErrorIsCountedAsInvalidAndUnseen() {
        ScorerOptions error = ScorerOptions.builder().unknownCategories(UnknownCategoryPolicy.ERROR).build();
        try (Scorer scorer = new DefaultScorer(new LineModel(1), error)) {
            scorer.scoreAll(List.of(row(1, "gold"), row(1, "gold"), row(1, "silver"), row(1, "basic")));

            InputStats plan = scorer.stats().inputs().get("plan");
            assertEquals(3, plan.invalid());
            assertEquals(3, plan.unseenCategories());
            assertEquals(List.of("gold", "silver"), List.copyOf(plan.topUnseenCategories().keySet()), "most frequent first");
        }
    }

    @Test
    void callThatThrowsForTheWholeBatchIsAFailedCall() {
        try (Scorer scorer = new DefaultScorer(new LineModel(1), ScorerOptions.defaults())) {
            Batch wrongType = Batch.builder(1).booleans("plan", new boolean[] {true}).build();
            assertThrows(InvalidInputException.class, () -> scorer.score(wrongType));

            ScorerStats stats = scorer.stats();
            assertEquals(1, stats.failedCalls());
            assertEquals(0, stats.calls());
        }
    }

    @Test
    void latencyPercentilesAreOrderedAndCountEveryCall() {
        try (Scorer scorer = new DefaultScorer(new LineModel(1), ScorerOptions.defaults())) {
            for (int i = 0; i < 200; i++) {
                scorer.score(row(i % 10, "basic"));
            }
            ScorerStats.Latency latency = scorer.stats().latency();

            assertEquals(200, latency.count());
            assertTrue(latency.p50().compareTo(Duration.ZERO) > 0, latency.toString());
            assertTrue(latency.p50().compareTo(latency.p90()) <= 0, latency.toString());
            assertTrue(latency.p90().compareTo(latency.p99()) <= 0, latency.toString());
            assertTrue(latency.p99().compareTo(latency.max()) <= 0, latency.toString());
        }
    }

    @Test
    void statsOffRecordNothing() {
        try (Scorer scorer = new DefaultScorer(new LineModel(1), ScorerOptions.builder().stats(false).build())) {
            scorer.score(row(1, "basic"));

            ScorerStats stats = scorer.stats();
            assertFalse(stats.recorded());
            assertEquals(0, stats.calls());
            assertEquals(Map.of(), stats.inputs());
        }
    }

    @Test
    void callsFromFourThreadsAreAllCounted() throws Exception {
        int threads = 4;
        int callsEach = 2_000;
        try (Scorer scorer = new DefaultScorer(new LineModel(1), ScorerOptions.defaults())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsEach; i++) {
                        scorer.score(row(i % 12, i % 3 == 0 ? "gold" : "plus")); // 10, 11 out of range; every third unseen
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(1, TimeUnit.MINUTES);
            }
            pool.shutdown();

            ScorerStats stats = scorer.stats();
            assertEquals(threads * callsEach, stats.calls());
            assertEquals(threads * callsEach, stats.latency().count());
            long outside = 0;
            long unseen = 0;
            for (int i = 0; i < callsEach; i++) {
                outside += i % 12 == 11 ? 1 : 0;
                unseen += i % 3 == 0 ? 1 : 0;
            }
            assertEquals(threads * outside, stats.inputs().get("x").outOfRange());
            assertEquals(threads * unseen, stats.inputs().get("plan").topUnseenCategories().get("gold"));
        }
    }

    @Test
    void scorerImplementedByAUserHasNoStats() {
        assertEquals(ScorerStats.none(), ScorerStats.none());
        assertFalse(ScorerStats.none().recorded());
        assertEquals(0, ScorerStats.none().failedRows(RowFailureKind.NO_PREDICTION));
    }
}

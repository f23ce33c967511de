package dev.handoff;

import dev.handoff.spi.InputColumns;
import dev.handoff.spi.OutputColumns;
import dev.handoff.spi.ScoringEngine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShadowScorerTest {

    private static Scorer line(double intercept) {
        return new DefaultScorer(new LineModel(intercept), ScorerOptions.defaults());
    }

    /** A line model whose scoring waits at a gate (after saying it entered), or throws when told to. */
    private static final class GatedLine implements ScoringEngine {
        final LineModel line = new LineModel(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate;
        final boolean fails;

        GatedLine(CountDownLatch gate, boolean fails) {
            this.gate = gate;
            this.fails = fails;
        }

        @Override
        public ModelInfo info() {
            return line.info();
        }

        @Override
        public List<InputField> inputs() {
            return line.inputs();
        }

        @Override
        public List<OutputField> outputs() {
            return line.outputs();
        }

        @Override
        public List<String> classes() {
            return List.of();
        }

        @Override
        public void score(InputColumns columns, OutputColumns rows) {
            entered.countDown();
            if (fails) {
                throw new IllegalStateException("the candidate broke");
            }
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            line.score(columns, rows);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void everySampledRowIsComparedExactlyOnceUnderFourThreads() throws Exception {
        AtomicInteger told = new AtomicInteger();
        ScoringListener listener = new ScoringListener() {
            @Override
            public void shadowCompared(ModelInfo serving, ModelInfo candidate, boolean agreed, boolean candidateFailed) {
                told.incrementAndGet();
            }
        };
        ShadowScorer shadow = ShadowScorer.builder(line(1), line(1.5)).sampleRate(1.0).queueCapacity(100_000).threads(2)
                .closeTimeout(Duration.ofMinutes(1)).listener(listener).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> calls = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            calls.add(pool.submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    assertEquals(1 + 2 * (i % 10), shadow.score(Map.of("x", i % 10)).value());
                }
                shadow.scoreAll(List.of(Map.of("x", 1), Map.of("x", 13))); // x = 13 is refused by both
                return null;
            }));
        }
        for (Future<?> f : calls) {
            f.get();
        }
        pool.shutdown();
        shadow.close();

        ShadowScorer.Stats stats = shadow.shadowStats();
        assertEquals(8_008, stats.sampled());
        assertEquals(0, stats.dropped());
        assertEquals(8_008, stats.comparison().rows());
        assertEquals(4, stats.comparison().failedByBoth());
        assertEquals(8_004, stats.comparison().output("value").orElseThrow().compared());
        assertEquals(0.5, stats.comparison().output("value").orElseThrow().maxAbsolute(), 1e-12);
        assertEquals(8_008, told.get());
        assertFalse(stats.comparison().agrees());
    }

    @Test
    void aFullQueueDropsAndCountsTheSampleWithoutBlockingTheCall() {
        CountDownLatch gate = new CountDownLatch(1);
        GatedLine gated = new GatedLine(gate, false);
        try (ShadowScorer shadow = ShadowScorer.builder(line(1), new DefaultScorer(gated, ScorerOptions.defaults()))
                .sampleRate(1.0).queueCapacity(2).closeTimeout(Duration.ofMinutes(1)).build()) {
            shadow.score(Map.of("x", 1));
            awaitQuietly(gated.entered); // the worker holds the first sample at the gate
            for (int i = 0; i < 7; i++) {
                assertEquals(3.0, shadow.score(Map.of("x", 1)).value()); // answered while the candidate is stuck
            }
            ShadowScorer.Stats stats = shadow.shadowStats();
            assertEquals(8, stats.sampled());
            assertEquals(2, stats.pending());
            assertEquals(5, stats.dropped());
            gate.countDown();
        }
    }

    @Test
    void aFailingCandidateNeverReachesTheCallerAndIsCounted() {
        GatedLine broken = new GatedLine(new CountDownLatch(0), true);
        ShadowScorer shadow = ShadowScorer.builder(line(1), new DefaultScorer(broken, ScorerOptions.defaults()))
                .sampleRate(1.0).closeTimeout(Duration.ofMinutes(1)).build();
        for (int i = 0; i < 50; i++) {
            assertEquals(3.0, shadow.score(Map.of("x", 1)).value());
        }
        shadow.close();

        ModelComparison.Report report = shadow.shadowStats().comparison();
        assertEquals(50, report.failedOnlyByB());
        assertTrue(report.oneSidedRows().get(0).failure().contains("the candidate broke"), report.oneSidedRows().toString());
        assertFalse(report.agrees());
    }

    @Test
    void closeReturnsWithinItsTimeoutWhileTheCandidateIsStuckAndClosesWhatItOwns() {
        CountDownLatch gate = new CountDownLatch(1);
        GatedLine gated = new GatedLine(gate, false);
        Scorer serving = line(1);
        ShadowScorer shadow = ShadowScorer.builder(serving, new DefaultScorer(gated, ScorerOptions.defaults()))
                .sampleRate(1.0).closeTimeout(Duration.ofMillis(50)).build();
        shadow.score(Map.of("x", 1));
        shadow.score(Map.of("x", 2));
        awaitQuietly(gated.entered);

        assertTimeoutPreemptively(Duration.ofSeconds(30), shadow::close); // would hang on the gate without the timeout

        assertThrows(IllegalStateException.class, () -> shadow.score(Map.of("x", 1)));
        assertThrows(IllegalStateException.class, () -> serving.score(Map.of("x", 1)));
        assertEquals(1, shadow.shadowStats().dropped()); // the second sample never reached the candidate
        gate.countDown();
    }

    @Test
    void closeLeavesScorersItDoesNotOwnOpen() {
        try (Scorer serving = line(1); Scorer candidate = line(1)) {
            ShadowScorer shadow = ShadowScorer.builder(serving, candidate).closesModels(false).build();
            shadow.close();
            assertEquals(3.0, serving.score(Map.of("x", 1)).value());
            assertEquals(3.0, candidate.score(Map.of("x", 1)).value());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}

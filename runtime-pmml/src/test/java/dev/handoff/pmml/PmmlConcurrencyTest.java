package dev.handoff.pmml;

import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One PMML scorer shared by many threads, closed under load, and loaded and closed over and over. */
class PmmlConcurrencyTest {
    private static final int THREADS = 8;

    @Test
    void manyThreadsGetTheSameAnswersAsOneThread() throws Exception {
        CorpusModel model = CorpusModel.CHURN_PIPELINE_PMML;
        List<Map<String, Object>> records = model.inputRecords();
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            Predictions reference = scorer.scoreAll(records);
            String[] labels = reference.labels();
            double[] p1 = reference.probabilities("1");

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int offset = t;
                    results.add(pool.submit(() -> {
                        start.await();
                        int checked = 0;
                        for (int round = 0; round < 3; round++) {
                            for (int i = 0; i < records.size(); i++) {
                                int r = (i + offset * 25) % records.size(); // threads work on different rows at once
                                Prediction p = scorer.score(records.get(r));
                                assertEquals(labels[r], p.label(), "row " + r);
                                assertEquals(p1[r], p.probability("1"), 0.0, "row " + r);
                                checked++;
                            }
                            Predictions batch = scorer.scoreAll(records);
                            assertArrayEquals(labels, batch.labels());
                            assertArrayEquals(p1, batch.probabilities("1"), 0.0);
                        }
                        return checked;
                    }));
                }
                for (Future<Integer> f : results) {
                    assertEquals(3 * records.size(), f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closeWhileScoringLetsEachCallSucceedOrFailWithIllegalState() throws Exception {
        CorpusModel model = CorpusModel.IRIS_PMML;
        List<Map<String, Object>> records = model.inputRecords();
        Scorer scorer = Scorer.load(model.modelBytes());
        String expected0 = scorer.score(records.get(0)).label();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicInteger succeeded = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try {
            CountDownLatch everyoneScored = new CountDownLatch(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    boolean counted = false;
                    while (true) {
                        try {
                            Prediction p = scorer.score(records.get(0));
                            assertEquals(expected0, p.label());
                            succeeded.incrementAndGet();
                        } catch (IllegalStateException closed) {
                            refused.incrementAndGet();
                            return null;
                        } finally {
                            if (!counted) {
                                counted = true;
                                everyoneScored.countDown();
                            }
                        }
                    }
                }));
            }
            everyoneScored.await();
            scorer.close();
            for (Future<?> w : workers) {
                w.get(); // rethrows anything other than the IllegalStateException each worker ends with
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(succeeded.get() >= THREADS, "succeeded " + succeeded.get());
        assertEquals(THREADS, refused.get());
        IllegalStateException after = assertThrows(IllegalStateException.class, () -> scorer.score(records.get(0)));
        assertTrue(after.getMessage().contains("closed"), after.getMessage());
        scorer.close(); // idempotent
    }

    @Test
    void loadingAndClosingManyTimesKeepsWorking() {
        CorpusModel model = CorpusModel.CHURN_LOGREG_PMML;
        byte[] bytes = model.modelBytes();
        Map<String, Object> record = model.inputRecords().get(10);
        String expected = model.expectedRows().get(10).get(0);
        for (int i = 0; i < 200; i++) {
            try (Scorer scorer = Scorer.load(bytes)) {
                assertEquals(expected, scorer.score(record).label(), "iteration " + i);
            }
        }
    }
}

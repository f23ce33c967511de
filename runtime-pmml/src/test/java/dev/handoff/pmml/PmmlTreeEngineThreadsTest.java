package dev.handoff.pmml;

import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One compiled-tree scorer shared by four threads, each scoring the corpus rows one at a time and as batches, gives
 * every thread the answers one thread gets: the per-thread scratch is never shared.
 */
class PmmlTreeEngineThreadsTest {

    @Test
    void fourThreadsOnOneScorerGetTheSingleThreadAnswers() throws Exception {
        CorpusModel model = CorpusModel.CHURN_PIPELINE_PMML;
        List<Map<String, Object>> rows = model.inputRecords();
        try (Scorer scorer = Scorer.load(model.modelBytes())) {
            String expected = render(scorer.scoreAll(rows));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<List<String>>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        List<String> seen = new ArrayList<>();
                        for (int round = 0; round < 20; round++) {
                            seen.add(render(scorer.scoreAll(rows)));
                            StringBuilder single = new StringBuilder();
                            for (Map<String, Object> row : rows) {
                                single.append(render(scorer.scoreAll(List.of(row))));
                            }
                            seen.add(single.toString());
                        }
                        return seen;
                    }));
                }
                start.countDown();
                for (Future<List<String>> f : results) {
                    for (String s : f.get()) {
                        assertEquals(expected, s);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static String render(Predictions predictions) {
        StringBuilder b = new StringBuilder();
        predictions.forEach(p -> b.append(p.failed() ? "failed" : p.label() + p.probabilities()).append('\n'));
        return b.toString();
    }
}

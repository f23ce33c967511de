package dev.handoff.benchmarks.jmh;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's two sides differ only in whether stats are recorded. */
class StatsOverheadBenchmarkTest {

    @Test
    void statsOnScorerCountsTheBenchmarkCallsAndStatsOffScorerRecordsNothing() {
        Blackhole blackhole = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        for (String model : new String[] {"sklearn_logreg_breast_cancer/model_nozipmap.onnx", "sklearn_logreg_breast_cancer/model.pmml"}) {
            StatsOverheadBenchmark on = benchmark(model, true);
            StatsOverheadBenchmark off = benchmark(model, false);
            try {
                RowCursor cursor = new RowCursor();
                for (int i = 0; i < on.rows().size(); i++) {
                    on.score(cursor, blackhole);
                    off.score(cursor, blackhole);
                }
                assertEquals(on.rows().size(), on.scorer().stats().calls(), model);
                assertEquals(0, on.scorer().stats().failedRows(), model);
                assertTrue(on.scorer().stats().recorded());
                assertFalse(off.scorer().stats().recorded());
                assertEquals(0, off.scorer().stats().calls());
            } finally {
                on.close();
                off.close();
            }
        }
        blackhole.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
    }

    private static StatsOverheadBenchmark benchmark(String model, boolean stats) {
        StatsOverheadBenchmark b = new StatsOverheadBenchmark();
        b.model = model;
        b.stats = stats;
        b.load();
        return b;
    }
}

package dev.handoff.benchmarks;

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
        for (String format : new String[] {"onnx", "pmml"}) {
            StatsOverheadBenchmark on = benchmark(format, true);
            StatsOverheadBenchmark off = benchmark(format, false);
            try {
                RowCursor cursor = new RowCursor();
                for (int i = 0; i < on.rows().size(); i++) {
                    on.score(cursor, blackhole);
                    off.score(cursor, blackhole);
                }
                assertEquals(on.rows().size(), on.scorer().stats().calls(), format);
                assertEquals(0, on.scorer().stats().failedRows(), format);
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

    private static StatsOverheadBenchmark benchmark(String format, boolean stats) {
        StatsOverheadBenchmark b = new StatsOverheadBenchmark();
        b.model = BenchmarkModels.BREAST_CANCER;
        b.format = format;
        b.stats = stats;
        b.load();
        return b;
    }
}

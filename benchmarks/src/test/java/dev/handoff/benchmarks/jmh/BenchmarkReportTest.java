package dev.handoff.benchmarks.jmh;

import dev.handoff.benchmarks.jmh.BenchmarkReport.Score;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's columns and target lines from scores built in code: the three sides (Handoff as loaded by default,
 * {@code compiledTrees(false)}, the raw call), the engine per file, the speed-ups and the issue's thresholds.
 */
class BenchmarkReportTest {
    private static final String XGB_ONNX = "xgboost_diabetes_missing/model.onnx";
    private static final String XGB_PMML = "xgboost_diabetes_missing/model.pmml";
    private static final String RPART = "r_rpart_airquality/model.pmml";
    private static final String GLM = "r_glm_mtcars/model.pmml";

    private static BenchmarkReport report() {
        BenchmarkReport report = BenchmarkReport.empty(Map.of(
                XGB_ONNX, "compiled trees (bytecode; 100 trees, 2360 nodes)",
                XGB_PMML, "compiled trees (bytecode; 100 trees, 2600 nodes)",
                RPART, "compiled trees (bytecode; 1 trees, 21 nodes)",
                GLM, "runtime (PMML GeneralRegressionModel not covered)"));
        // ONNX: Handoff 1 µs, runtime 6 µs, raw 7 µs; two threads 1.9x one; batch 0.5 against 2 µs a row
        sides(report, "Onnx", XGB_ONNX, 1, 6, 7, 700, 1500);
        report.put("OnnxRowBenchmark.handoffOneThread", XGB_ONNX, null, new Score(1.0, 1.0, 700));
        report.put("OnnxRowBenchmark.handoffTwoThreads", XGB_ONNX, null, new Score(1.9, 1.9, 700));
        report.put("OnnxRowBenchmark.rawOneThread", XGB_ONNX, null, new Score(0.15, 0.15, 1500));
        report.put("OnnxRowBenchmark.rawTwoThreads", XGB_ONNX, null, new Score(0.24, 0.24, 1500));
        batches(report, "Onnx", XGB_ONNX, 0.5, 2);
        // PMML ensemble: 15x JPMML only; rpart: 2.5x
        sides(report, "Pmml", XGB_PMML, 2, 28, 30, 800, 14000);
        sides(report, "Pmml", RPART, 0.4, 0.8, 1.0, 600, 1000);
        // a runtime-served file: its runtime row (measured by mistake) is not read
        sides(report, "Pmml", GLM, 1.0, 1.0, 0.9, 2000, 1400);
        return report;
    }

    private static void sides(BenchmarkReport report, String prefix, String model, double handoff, double runtime, double raw,
            double handoffBytes, double rawBytes) {
        report.put(prefix + "RowBenchmark.handoff", model, null, new Score(handoff, 3 * handoff, handoffBytes));
        report.put(prefix + "RowBenchmark.runtime", model, null, new Score(runtime, 3 * runtime, rawBytes));
        report.put(prefix + "RowBenchmark.raw", model, null, new Score(raw, 3 * raw, rawBytes));
    }

    private static void batches(BenchmarkReport report, String prefix, String model, double handoffPerRow, double rawPerRow) {
        for (int rows : new int[] {1, 64, 1024}) {
            report.put(prefix + "BatchBenchmark.handoff", model, Integer.toString(rows), new Score(handoffPerRow * rows, 0, 40.0 * rows));
            report.put(prefix + "BatchBenchmark.runtime", model, Integer.toString(rows), new Score(3 * handoffPerRow * rows, 0, 80.0 * rows));
            report.put(prefix + "BatchBenchmark.raw", model, Integer.toString(rows), new Score(rawPerRow * rows, 0, 1500.0 * rows));
        }
    }

    @Test
    void singleRowTableHasTheThreeSidesTheEngineAndTheSpeedUps() {
        String md = report().markdown("test");
        assertTrue(md.contains("| " + XGB_ONNX + " | compiled | 1.00 | 6.00 | 7.00 | 7.00× | 6.00× | 3.00 | 21.0 | 700 | 1500 | 1500 | 1.90 | 1.60 |\n"), md);
        assertTrue(md.contains("| " + GLM + " | runtime | 1.00 | – | 0.90 | 0.90× | – | 3.00 | 2.70 | 2000 | – | 1400 | – | – |\n"), md);
    }

    @Test
    void batchTableHasTheRuntimeSideAndPerRowFigures() {
        String md = report().markdown("test");
        assertTrue(md.contains("| " + XGB_ONNX + " | compiled | 0.50 / 2.00 | 0.50 / 2.00 | 0.50 | 1.50 | 2.00 | 4.00× | 3.00× | 40 | 1500 |\n"), md);
    }

    @Test
    void summaryTableHasTheThreeSidesForSingleRowsAndBatchesOfFilesWithBoth() {
        String summary = report().summary();
        assertTrue(summary.contains("| " + XGB_ONNX + " | compiled | 1.00 | 6.00 | 7.00 | 7.00× | 6.00× | 0.50 | 1.50 | 2.00 | 4.00× |\n"), summary);
        assertEquals(3, summary.lines().count(), "a header, its rule and the one file with batches: " + summary);
    }

    @Test
    void targetsCountTheFilesThatMeetTheIssuesThresholdsAndMarkTheOthers() {
        String md = report().markdown("test");
        assertTrue(md.contains("- Single row ≥ 5× ONNX Runtime (raw / Handoff) on every ONNX tree file: 1 of 1 files ("
                + XGB_ONNX + " 7.00×)\n"), md);
        assertTrue(md.contains("- Single row ≥ 20× JPMML-Evaluator on every PMML tree-ensemble file: 0 of 1 files ("
                + XGB_PMML + " 15.0× ✗)\n"), md);
        assertTrue(md.contains("- Single tree (rpart) ≥ 2× JPMML-Evaluator: 1 of 1 files (" + RPART + " 2.50×)\n"), md);
        assertTrue(md.contains("- Batch of 1024 ≥ 2× ONNX Runtime's batch call on every ONNX tree file: 1 of 1 files ("
                + XGB_ONNX + " 4.00×)\n"), md);
        assertTrue(md.contains("- 2 threads ≥ 1.8× 1 thread on one shared scorer, files the engine serves: 1 of 3 files ("
                + XGB_ONNX + " 1.90×, " + XGB_PMML + " – ✗, " + RPART + " – ✗)\n"), md);
        assertTrue(md.contains("- Files the runtime serves: Handoff within 5% of the raw call, single row (raw / Handoff ≥ 0.95): 0 of 1 files ("
                + GLM + " 0.90× (runtime) ✗)\n"), md);
    }

    @Test
    void speedUpsAreRawOverHandoffAndScalingIsTwoThreadsOverOne() {
        BenchmarkReport report = report();
        assertEquals(7.0, report.singleSpeedup(XGB_ONNX), 1e-12);
        assertEquals(4.0, report.batchSpeedup(XGB_ONNX), 1e-12);
        assertEquals(1.9, report.scaling(XGB_ONNX, "handoff"), 1e-12);
        assertTrue(Double.isNaN(report.batchSpeedup(GLM)), "no batch measured for " + GLM);
        assertTrue(report.compiled(XGB_PMML));
        assertEquals("runtime", report.engine(GLM));
    }
}

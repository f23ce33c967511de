package dev.handoff.benchmarks;

import dev.handoff.Prediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Array;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two sides of each benchmark score the same model on the same rows and agree, so the comparison is fair. */
class SingleRowBenchmarksTest {

    @ParameterizedTest
    @ValueSource(strings = {BenchmarkModels.IRIS, BenchmarkModels.BREAST_CANCER})
    void handoffAndDirectOnnxRuntimeGiveTheSameLabelsAndProbabilities(String model) throws Exception {
        OnnxSingleRowBenchmark benchmark = new OnnxSingleRowBenchmark();
        benchmark.model = model;
        benchmark.load();
        try {
            List<Map<String, Object>> rows = benchmark.rows();
            assertEquals(model.equals(BenchmarkModels.IRIS) ? 150 : 143, rows.size());
            for (Map<String, Object> row : rows) {
                Prediction handoff = benchmark.scoreWithHandoff(row);
                OnnxSingleRowBenchmark.OnnxOutputs direct = benchmark.scoreWithOnnxRuntime(row);
                assertEquals(String.valueOf(Array.get(direct.labels(), 0)), handoff.label(), row.toString());
                List<Double> probabilities = List.copyOf(handoff.probabilities().values());
                for (int k = 0; k < probabilities.size(); k++) {
                    assertEquals(direct.probabilities()[k], probabilities.get(k), 1e-7, row.toString());
                }
            }
        } finally {
            benchmark.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {BenchmarkModels.IRIS, BenchmarkModels.BREAST_CANCER})
    void handoffAndDirectJpmmlGiveTheSameLabelsAndProbabilities(String model) throws Exception {
        PmmlSingleRowBenchmark benchmark = new PmmlSingleRowBenchmark();
        benchmark.model = model;
        benchmark.load();
        try {
            for (Map<String, Object> row : benchmark.rows()) {
                Prediction handoff = benchmark.scoreWithHandoff(row);
                Map<String, ?> direct = benchmark.scoreWithJpmml(row);
                assertEquals(String.valueOf(direct.get(benchmark.targetName())), handoff.label(), row.toString());
                for (Map.Entry<String, Double> p : handoff.probabilities().entrySet()) {
                    assertEquals(((Number) direct.get("probability(" + p.getKey() + ")")).doubleValue(), p.getValue(), 1e-12,
                            row + " " + p.getKey());
                }
            }
        } finally {
            benchmark.close();
        }
    }

    @Test
    void rowCursorCyclesThroughEveryRow() {
        RowCursor cursor = new RowCursor();

        List<Integer> rows = List.of(cursor.next(3), cursor.next(3), cursor.next(3), cursor.next(3));

        assertEquals(List.of(0, 1, 2, 0), rows);
    }
}

package dev.handoff.benchmarks.jmh;

import dev.handoff.Prediction;
import dev.handoff.Predictions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sides of {@link TreeScoringBenchmark} score the same rows and agree (the compiled engine, the runtime behind
 * the same API, and the batch the benchmark builds), so its ratios compare like with like; and every benchmark method
 * runs (once, with tiny settings: timings are read from a real run, never asserted here).
 */
class TreeScoringBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"xgboost_diabetes_missing/model.onnx", "sklearn_rf_iris/model_nozipmap.onnx", "sklearn_churn_pipeline/model.pmml",
        "r_rpart_airquality/model.pmml"})
    void compiledAndRuntimeScorersGiveTheSameAnswersOnTheBenchmarkRowsAndBatch(String name) throws Exception {
        TreeScoringBenchmark benchmark = new TreeScoringBenchmark();
        benchmark.model = name;
        benchmark.load();
        try {
            assertTrue(benchmark.records.size() > 100, name + " has its rows");
            for (Map<String, Object> record : benchmark.records) {
                assertAgree(benchmark.runtime.handoff, benchmark.runtime.scorer().score(record),
                        benchmark.compiled.scorer().score(record), name + " " + record);
            }
            Predictions runtime = benchmark.runtime.scorer().score(benchmark.batch);
            Predictions compiled = benchmark.compiled.scorer().score(benchmark.batch);
            assertEquals(TreeScoringBenchmark.BATCH, compiled.size());
            for (int r = 0; r < compiled.size(); r++) {
                assertAgree(benchmark.runtime.handoff, runtime.get(r), compiled.get(r), name + " batch row " + r);
            }
        } finally {
            benchmark.close();
        }
    }

    /**
     * Within 1e-6: the engine gives the runtime's raw scores to the bit, but ONNX Runtime's {@code expf} and Java's
     * {@code exp} may differ in the last place of a probability.
     */
    private static void assertAgree(HandoffSide side, Prediction want, Prediction got, String message) {
        if (!side.classifier) {
            assertEquals(want.value(), got.value(), 1e-6 * Math.abs(want.value()), message);
            return;
        }
        assertEquals(want.label(), got.label(), message);
        for (String c : side.classes) {
            assertEquals(want.probability(c), got.probability(c), 1e-6, message + " class " + c);
        }
    }

    @Test
    void everyBenchmarkMethodRunsOnAnOnnxAndAPmmlFile() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("dev\\.handoff\\.benchmarks\\.jmh\\.TreeScoringBenchmark\\.")
                .param("model", "sklearn_rf_iris/model_nozipmap.onnx", "r_rpart_airquality/model.pmml")
                .forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(20))
                .shouldFailOnError(true)
                .build()).run();
        Set<String> methods = new TreeSet<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            methods.add(label.substring(label.lastIndexOf('.') + 1));
        }
        assertEquals(12, results.size(), "6 methods on 2 files");
        assertEquals(Set.of("compiledRow", "runtimeRow", "rawRow", "compiledBatch1024", "runtimeBatch1024", "rawBatch1024"), methods);
    }
}

package dev.handoff.benchmarks.jmh;

import dev.handoff.Prediction;
import dev.handoff.Predictions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two sides of each benchmark score the same rows of the same model and agree, so the comparison
 * is fair; and the suite's benchmark methods run and report (each once, with tiny settings: timings
 * are read from a real run, never asserted here).
 */
class BenchmarkSuiteTest {

    static Stream<String> onnxFiles() {
        return CorpusFile.ONNX.stream();
    }

    static Stream<String> pmmlFiles() {
        return CorpusFile.PMML.stream();
    }

    @ParameterizedTest
    @MethodSource("onnxFiles")
    void handoffAndTheRawOnnxRuntimeCallGiveTheSameAnswersOnEveryRowAndBatch(String name) throws Exception {
        try (RawOnnx raw = new RawOnnx(CorpusFile.of(name))) {
            ModelState state = new ModelState(name, raw.isSingleTensor());
            try {
                assertTrue(state.records.size() > 100, name + " has its rows");
                for (Map<String, Object> record : state.records) {
                    Prediction p = state.scorer().score(record);
                    assertAgree(state, p, raw.row(record), 0, name + " " + record);
                }
                int n = 64;
                Object[] columns = state.file.columns(n);
                Predictions ps = state.scorer().score(HandoffSide.batch(state.file, columns, n));
                Object[] direct = raw.batch(columns, n);
                for (int r = 0; r < n; r++) {
                    assertAgree(state, ps.get(r), direct, r, name + " batch row " + r);
                }
            } finally {
                state.close();
            }
        }
    }

    /** Handoff's label and probabilities (or value) against the raw outputs' row {@code r}. */
    private static void assertAgree(ModelState state, Prediction p, Object[] raw, int r, String message) {
        if (!state.handoff.classifier) {
            assertEquals(((float[][]) raw[0])[r][0], p.value(), 1e-6 * Math.abs(p.value()), message);
            return;
        }
        Object probabilities = raw[raw.length - 1];
        for (int k = 0; k < state.handoff.classes.length; k++) {
            String c = state.handoff.classes[k];
            double expected = probabilities instanceof List<?> maps
                    ? ((Map<?, ?>) maps.get(r)).entrySet().stream().filter(e -> String.valueOf(e.getKey()).equals(c))
                            .map(e -> ((Number) e.getValue()).doubleValue()).findFirst().orElseThrow()
                    : ((float[][]) probabilities)[r][k];
            assertEquals(expected, p.probability(c), 0.0, message + " class " + c);
        }
    }

    @ParameterizedTest
    @MethodSource("pmmlFiles")
    void handoffAndTheRawJpmmlCallGiveTheSameAnswersOnEveryRow(String name) throws Exception {
        RawPmml raw = new RawPmml(CorpusFile.of(name));
        ModelState state = new ModelState(name, false);
        try {
            Object[] columns = state.file.columns(state.records.size());
            for (int r = 0; r < state.records.size(); r++) {
                Prediction p = state.scorer().score(state.records.get(r));
                Map<String, ?> byRecord = raw.row(state.records.get(r));
                assertEquals(byRecord, raw.row(columns, r), name + " row " + r + ": the raw batch reads the same values");
                if (state.handoff.classifier) {
                    for (String c : state.handoff.classes) {
                        assertEquals(((Number) byRecord.get("probability(" + c + ")")).doubleValue(), p.probability(c), 1e-12, name + " " + c);
                    }
                } else {
                    Object target = byRecord.values().iterator().next();
                    assertEquals(((Number) target).doubleValue(), p.value(), 1e-9, name + " row " + r);
                }
            }
        } finally {
            state.close();
        }
    }

    /** Each benchmark method of the runtime's two classes, once per model file, in this JVM. */
    private static Collection<RunResult> runOnce(String runtime, String... models) throws Exception {
        return new Runner(new OptionsBuilder()
                .include("dev\\.handoff\\.benchmarks\\.jmh\\." + runtime + "(Row|Batch)Benchmark\\.")
                .param("model", models)
                .param("rows", "64")
                .forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(20))
                .shouldFailOnError(true)
                .build()).run();
    }

    @Test
    void everyBenchmarkMethodRunsAndTheReportHasItsTableAndChart(@TempDir Path dir) throws Exception {
        List<RunResult> results = new java.util.ArrayList<>(runOnce("Onnx", "sklearn_rf_iris/model.onnx", "sklearn_rf_iris/model_nozipmap.onnx"));
        results.addAll(runOnce("Pmml", "r_glm_mtcars/model.pmml"));

        assertEquals(2 * 7 + 1 * 7 + 2 * 3 + 1 * 3, results.size(), "7 row and 3 batch methods per model file");
        Map<String, String> engines = new java.util.LinkedHashMap<>();
        for (String model : List.of("sklearn_rf_iris/model.onnx", "sklearn_rf_iris/model_nozipmap.onnx", "r_glm_mtcars/model.pmml")) {
            engines.put(model, BenchmarkSuite.engine(model));
        }
        assertTrue(engines.get("sklearn_rf_iris/model_nozipmap.onnx").startsWith("compiled trees ("), engines.toString());
        assertTrue(engines.get("r_glm_mtcars/model.pmml").startsWith("runtime ("), engines.toString());
        BenchmarkReport report = BenchmarkReport.of(results, engines);
        String md = report.markdown("test");
        assertTrue(md.contains("| sklearn_rf_iris/model_nozipmap.onnx | compiled | "), md);
        assertTrue(md.contains("| r_glm_mtcars/model.pmml | runtime | "), md);
        assertTrue(md.contains("- r_glm_mtcars/model.pmml: " + engines.get("r_glm_mtcars/model.pmml") + "\n"), md);
        Path png = dir.resolve("chart.png");
        report.chart(png, "test");
        byte[] header = Arrays.copyOf(Files.readAllBytes(png), 4);
        assertEquals(List.of((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G'), List.of(header[0], header[1], header[2], header[3]));
    }
}

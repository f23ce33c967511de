package dev.handoff.benchmarks.jmh;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the whole JMH suite (every corpus model file, both runtimes; Handoff as loaded by default, which is the
 * compiled tree engine where it covers the model, Handoff with {@code compiledTrees(false)} on the files the engine
 * serves, and the hand-written runtime call; single rows, batches, one and two threads; allocation per operation)
 * and writes
 * {@code jmh.json}, {@code benchmarks.md} (the table) and {@code benchmarks.png} (the chart).
 *
 * <pre>{@code
 * java -cp benchmarks/target/handoff.jar dev.handoff.benchmarks.jmh.BenchmarkSuite quick target/benchmarks
 * }</pre>
 *
 * <p>A third argument, model files separated by commas, measures only those. {@code quick} (about 8 minutes on 2
 * cores): every benchmark in this JVM, one 0.3 s warm-up iteration (three 0.5 s for the single-row and the 1- and
 * 2-thread benchmarks) and five 0.2 s measured iterations each, a GC before each model file's benchmarks; the
 * {@code compiledTrees(false)} batch only at 1,024 rows. {@code full}: a fresh JVM per benchmark, three
 * 1 s warm-up and five 1 s measured iterations (about 35 minutes). The files are measured one at a
 * time, Handoff and raw back to back; ratios within one run are what count on a noisy machine.
 */
public final class BenchmarkSuite {
    private BenchmarkSuite() {
    }

    private static ChainedOptionsBuilder options(String mode) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .shouldFailOnError(true);
        if (mode.equals("quick")) {
            // five iterations, whose median is reported
            return options.forks(0)
                    .warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                    .measurementIterations(5).measurementTime(TimeValue.milliseconds(200));
        }
        return options.forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1));
    }

    /**
     * One JMH run of the benchmarks matching {@code include} on one model file ({@code rows}: only that batch size, or all
     * of them). {@code longWarmup}: the single-row and the 1- and 2-thread benchmarks, which get a longer warm-up in quick
     * mode. Their loops are compiled afresh: with 0.3 s, one thread was measured still warming up ("2 threads / 1" read
     * up to 4.7 on 2 cores), and in this one JVM a compiled tree model's code, measured after other models', was still
     * being recompiled (gbr PMML 1.41 µs after 0.3 s, 0.58 µs after 4 s, as when measured alone).
     */
    private static void run(String mode, Path out, String model, List<RunResult> results, List<String> jsonParts, String include,
            String rows, boolean longWarmup) throws RunnerException, IOException {
        Path part = Files.createTempFile(out, "jmh-part", ".json");
        ChainedOptionsBuilder options = options(mode).include(include).param("model", model).result(part.toString());
        if (rows != null) {
            options.param("rows", rows);
        }
        if (longWarmup && mode.equals("quick")) {
            options.warmupIterations(3).warmupTime(TimeValue.milliseconds(500));
        }
        results.addAll(new Runner(options.build()).run());
        String text = Files.readString(part).strip();
        if (text.length() > 2) {
            jsonParts.add(text.substring(1, text.length() - 1).strip()); // the objects inside [ ... ]
        }
        Files.delete(part);
    }

    /** The engine that serves each corpus file as loaded by default ({@code handoff.engine}), in suite order. */
    static Map<String, String> engines() {
        Map<String, String> engines = new LinkedHashMap<>();
        for (String model : CorpusFile.ONNX) {
            engines.put(model, engine(model));
        }
        for (String model : CorpusFile.PMML) {
            engines.put(model, engine(model));
        }
        return engines;
    }

    /** The engine that serves one corpus file as the benchmarks load it by default: {@code compiled trees (...)} or {@code runtime (...)}. */
    static String engine(String model) {
        CorpusFile file = CorpusFile.of(model);
        if (!file.isOnnx()) {
            try (HandoffSide side = new HandoffSide(file, false)) {
                return side.engine();
            }
        }
        try (RawOnnx raw = new RawOnnx(file); HandoffSide side = new HandoffSide(file, raw.isSingleTensor())) {
            return side.engine();
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException("cannot load " + model + " into ONNX Runtime", e);
        }
    }

    static boolean compiled(String engine) {
        return engine != null && engine.startsWith("compiled");
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String mode = args.length > 0 ? args[0] : "quick";
        Path out = Path.of(args.length > 1 ? args[1] : "target/benchmarks");
        if (!mode.equals("quick") && !mode.equals("full")) {
            System.err.println("usage: BenchmarkSuite [quick|full] [output folder] [model files, comma-separated: all if absent]");
            System.exit(2);
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // quick mode runs in this JVM
        Files.createDirectories(out);
        Path json = out.resolve("jmh.json");
        List<RunResult> results = new ArrayList<>();
        List<String> jsonParts = new ArrayList<>();
        List<String> only = args.length > 2 ? List.of(args[2].split(",")) : null;
        Map<String, String> engines = engines();
        System.out.println("Engines: " + engines);
        // one model file at a time, so that the Handoff and raw runs of a file are seconds apart, not minutes:
        // on a shared, noisy machine their ratio is then read under the same load
        for (String runtime : new String[] {"Onnx", "Pmml"}) {
            for (String model : runtime.equals("Onnx") ? CorpusFile.ONNX : CorpusFile.PMML) {
                if (only != null && !only.contains(model)) {
                    continue;
                }
                if (mode.equals("quick")) {
                    System.gc(); // the last file's garbage (a raw ZipMap batch leaves 0.7 MB) is not collected in this one's time
                }
                boolean compiled = compiled(engines.get(model));
                String prefix = "dev\\.handoff\\.benchmarks\\.jmh\\." + runtime;
                // the runtime behind Handoff's API (compiledTrees(false)) only where the compiled engine serves by default
                run(mode, out, model, results, jsonParts, prefix + "RowBenchmark\\.(handoff|raw" + (compiled ? "|runtime" : "") + ")$", null, true);
                run(mode, out, model, results, jsonParts, prefix + "RowBenchmark\\.(handoff|raw)(OneThread|TwoThreads)$", null, true);
                run(mode, out, model, results, jsonParts, prefix + "BatchBenchmark\\.(handoff|raw)$", null, false);
                if (compiled) {
                    run(mode, out, model, results, jsonParts, prefix + "BatchBenchmark\\.runtime$", "1024", false);
                }
            }
        }
        Files.writeString(json, "[\n" + String.join(",\n", jsonParts) + "\n]\n");
        BenchmarkReport report = BenchmarkReport.of(results, engines);
        String machine = BenchmarkReport.machine() + ", mode " + mode;
        Files.writeString(out.resolve("benchmarks.md"), report.markdown(machine));
        report.chart(out.resolve("benchmarks.png"), machine);
        System.out.println("Wrote " + json + ", " + out.resolve("benchmarks.md") + " and " + out.resolve("benchmarks.png"));
    }
}

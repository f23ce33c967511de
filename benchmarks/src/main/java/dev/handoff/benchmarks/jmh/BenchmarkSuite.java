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
 * cores): every benchmark in this JVM, one 0.3 s warm-up
 * iteration and five 0.2 s measured iterations each, a GC before each model file's benchmarks. {@code full}: a fresh JVM per benchmark, three
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
                for (String kind : new String[] {"Row", "Batch"}) {
                    if (mode.equals("quick")) {
                        System.gc(); // the last file's garbage (a raw ZipMap batch leaves 0.7 MB) is not collected in this one's time
                    }
                    Path part = Files.createTempFile(out, "jmh-part", ".json");
                    // the runtime behind Handoff's API (compiledTrees(false)) only where the compiled engine serves by default
                    String methods = compiled(engines.get(model)) ? "" : "(?!runtime$)";
                    results.addAll(new Runner(options(mode)
                            .include("dev\\.handoff\\.benchmarks\\.jmh\\." + runtime + kind + "Benchmark\\." + methods)
                            .param("model", model)
                            .result(part.toString())
                            .build()).run());
                    String text = Files.readString(part).strip();
                    if (text.length() > 2) {
                        jsonParts.add(text.substring(1, text.length() - 1).strip()); // the objects inside [ ... ]
                    }
                    Files.delete(part);
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

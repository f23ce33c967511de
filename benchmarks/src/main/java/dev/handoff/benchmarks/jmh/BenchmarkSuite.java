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
import java.util.Collection;

/**
 * Runs the whole JMH suite (every corpus model file, both runtimes, Handoff against the hand-written
 * baseline; single rows, batches, one and two threads; allocation per operation) and writes
 * {@code jmh.json}, {@code benchmarks.md} (the table) and {@code benchmarks.png} (the chart).
 *
 * <pre>{@code
 * java -cp benchmarks/target/handoff.jar dev.handoff.benchmarks.jmh.BenchmarkSuite quick target/benchmarks
 * }</pre>
 *
 * <p>{@code quick} (about 6 minutes on 2 cores): one JVM for every benchmark, one 0.4 s warm-up
 * iteration and three 0.3 s measured iterations each. {@code full}: a fresh JVM per benchmark, three
 * 1 s warm-up and five 1 s measured iterations (about 35 minutes). Ratios within one run are what
 * count on a noisy machine.
 */
public final class BenchmarkSuite {
    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        String mode = args.length > 0 ? args[0] : "quick";
        Path out = Path.of(args.length > 1 ? args[1] : "target/benchmarks");
        if (!mode.equals("quick") && !mode.equals("full")) {
            System.err.println("usage: BenchmarkSuite [quick|full] [output folder]");
            System.exit(2);
        }
        Files.createDirectories(out);
        Path json = out.resolve("jmh.json");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.handoff\\.benchmarks\\.jmh\\.(Onnx|Pmml)(Row|Batch)Benchmark\\.")
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .shouldFailOnError(true);
        if (mode.equals("quick")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            options.forks(0)
                    .warmupIterations(1).warmupTime(TimeValue.milliseconds(400))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(300));
        } else {
            options.forks(1)
                    .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        BenchmarkReport report = BenchmarkReport.of(results);
        String machine = BenchmarkReport.machine() + ", mode " + mode;
        Files.writeString(out.resolve("benchmarks.md"), report.markdown(machine));
        report.chart(out.resolve("benchmarks.png"), machine);
        System.out.println("Wrote " + json + ", " + out.resolve("benchmarks.md") + " and " + out.resolve("benchmarks.png"));
    }
}

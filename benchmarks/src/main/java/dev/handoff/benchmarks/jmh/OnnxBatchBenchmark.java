package dev.handoff.benchmarks.jmh;

import ai.onnxruntime.OrtException;
import dev.handoff.Batch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Batches of 1, 64 and 1024 rows on every ONNX file of the corpus ({@link OnnxFile}): Handoff's
 * {@code scorer.score(Batch)} (columns built outside the measured code) against the hand-written ONNX
 * Runtime call that builds its tensors from the same column arrays ({@link RawOnnx#batch}). Time per
 * batch; divide by {@code rows}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class OnnxBatchBenchmark {

    @Param({"1", "64", "1024"})
    public int rows;

    Object[] columns;
    Batch batch;

    @Setup(Level.Trial)
    public void prepare(OnnxFile file) {
        columns = file.state.file.columns(rows);
        batch = HandoffSide.batch(file.state.file, columns, rows);
    }

    @Benchmark
    public void handoff(OnnxFile file, Blackhole blackhole) {
        file.state.handoff.consume(file.state.scorer().score(batch), blackhole);
    }

    /** The same batch on a scorer loaded with {@code compiledTrees(false)} (on a file the engine does not serve: {@link #handoff} again). */
    @Benchmark
    public void runtime(OnnxFile file, Blackhole blackhole) {
        file.runtime.handoff.consume(file.runtime.scorer().score(batch), blackhole);
    }

    @Benchmark
    public void raw(OnnxFile file, Blackhole blackhole) throws OrtException {
        blackhole.consume(file.raw.batch(columns, rows));
    }
}

package dev.handoff.benchmarks.jmh;

import ai.onnxruntime.OrtException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * One record at a time on every ONNX file of the corpus ({@link OnnxFile}): Handoff's
 * {@code scorer.score(Map)} (as loaded by default, and with {@code compiledTrees(false)}) against the hand-written ONNX Runtime call ({@link RawOnnx#row}) on the same
 * session settings and the same shuffled rows, in {@code SampleTime} (p50, p99); and the throughput of
 * one and of two threads sharing one {@code Scorer}, next to the same for the hand-written call.
 *
 * <pre>{@code
 * java -jar benchmarks/target/handoff.jar jmh OnnxRowBenchmark -p model=sklearn_rf_iris/model.onnx -prof gc
 * }</pre>
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class OnnxRowBenchmark {

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void handoff(OnnxFile file, RowCursor cursor, Blackhole blackhole) {
        ModelState state = file.state;
        state.handoff.consume(state.scorer().score(state.records.get(cursor.next(state.records.size()))), blackhole);
    }

    /**
     * The same call on a scorer loaded with {@code ScorerOptions.compiledTrees(false)}: the runtime behind Handoff's API,
     * for the files the compiled tree engine serves (on the others it measures {@link #handoff} again).
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void runtime(OnnxFile file, RowCursor cursor, Blackhole blackhole) {
        ModelState state = file.runtime;
        state.handoff.consume(state.scorer().score(file.state.records.get(cursor.next(file.state.records.size()))), blackhole);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void raw(OnnxFile file, RowCursor cursor, Blackhole blackhole) throws OrtException {
        blackhole.consume(file.raw.row(file.state.records.get(cursor.next(file.state.records.size()))));
    }

    /** One thread scoring single records on the shared scorer, for the scaling ratio against {@link #handoffTwoThreads}. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Threads(1)
    public void handoffOneThread(OnnxFile file, RowCursor cursor, Blackhole blackhole) {
        handoff(file, cursor, blackhole);
    }

    /** Two threads scoring single records on one shared scorer (the machines have two cores). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Threads(2)
    public void handoffTwoThreads(OnnxFile file, RowCursor cursor, Blackhole blackhole) {
        handoff(file, cursor, blackhole);
    }

    /** The hand-written call from one thread: the machine's own scaling, to read {@link #handoffTwoThreads} against. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Threads(1)
    public void rawOneThread(OnnxFile file, RowCursor cursor, Blackhole blackhole) throws OrtException {
        raw(file, cursor, blackhole);
    }

    /** The hand-written call from two threads on one session / evaluator. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Threads(2)
    public void rawTwoThreads(OnnxFile file, RowCursor cursor, Blackhole blackhole) throws OrtException {
        raw(file, cursor, blackhole);
    }
}

package dev.handoff.benchmarks.jmh;

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
 * One record at a time on every PMML file of the corpus ({@link PmmlFile}): Handoff's
 * {@code scorer.score(Map)} (as loaded by default, and with {@code compiledTrees(false)}) against the hand-written JPMML-Evaluator call ({@link RawPmml#row(java.util.Map)})
 * on the same shuffled rows, in {@code SampleTime} (p50, p99); and the throughput of
 * one and of two threads sharing one {@code Scorer}, next to the same for the hand-written call.
 *
 * <pre>{@code
 * java -jar benchmarks/target/handoff.jar jmh PmmlRowBenchmark -p model=sklearn_rf_iris/model.pmml -prof gc
 * }</pre>
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class PmmlRowBenchmark {

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void handoff(PmmlFile file, RowCursor cursor, Blackhole blackhole) {
        ModelState state = file.state;
        state.handoff.consume(state.scorer().score(state.records.get(cursor.next(state.records.size()))), blackhole);
    }

    /**
     * The same call on a scorer loaded with {@code ScorerOptions.compiledTrees(false)}: the runtime behind Handoff's API,
     * for the files the compiled tree engine serves (on the others it measures {@link #handoff} again).
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void runtime(PmmlFile file, RowCursor cursor, Blackhole blackhole) {
        ModelState state = file.runtime;
        state.handoff.consume(state.scorer().score(file.state.records.get(cursor.next(file.state.records.size()))), blackhole);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void raw(PmmlFile file, RowCursor cursor, Blackhole blackhole) {
        blackhole.consume(file.raw.row(file.state.records.get(cursor.next(file.state.records.size()))));
    }

    /** One thread scoring single records on the shared scorer, for the scaling ratio against {@link #handoffTwoThreads}. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Threads(1)
    public void handoffOneThread(PmmlFile file, RowCursor cursor, Blackhole blackhole) {
        handoff(file, cursor, blackhole);
    }

    /** Two threads scoring single records on one shared scorer (the machines have two cores). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Threads(2)
    public void handoffTwoThreads(PmmlFile file, RowCursor cursor, Blackhole blackhole) {
        handoff(file, cursor, blackhole);
    }

    /** The hand-written call from one thread: the machine's own scaling, to read {@link #handoffTwoThreads} against. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Threads(1)
    public void rawOneThread(PmmlFile file, RowCursor cursor, Blackhole blackhole) {
        raw(file, cursor, blackhole);
    }

    /** The hand-written call from two threads on one session / evaluator. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Threads(2)
    public void rawTwoThreads(PmmlFile file, RowCursor cursor, Blackhole blackhole) {
        raw(file, cursor, blackhole);
    }
}

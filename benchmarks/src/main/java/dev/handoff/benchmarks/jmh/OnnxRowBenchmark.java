package dev.handoff.benchmarks.jmh;

import ai.onnxruntime.OrtException;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * One record at a time on every ONNX file of the corpus: Handoff's {@code scorer.score(Map)} against
 * the hand-written ONNX Runtime call ({@link RawOnnx#row}) on the same session settings and the same
 * shuffled rows, in {@code SampleTime} (p50, p99); and the throughput of one and of two threads
 * sharing one {@code Scorer}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/handoff.jar jmh -f 1 -wi 2 -i 3 'OnnxRowBenchmark' -p model=sklearn_rf_iris/model.onnx -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class OnnxRowBenchmark {

    @Param({
        "sklearn_logreg_breast_cancer/model.onnx", "sklearn_logreg_breast_cancer/model_nozipmap.onnx",
        "sklearn_rf_iris/model.onnx", "sklearn_rf_iris/model_nozipmap.onnx",
        "sklearn_gbr_diabetes/model.onnx",
        "sklearn_churn_pipeline/model.onnx", "sklearn_churn_pipeline/model_nozipmap.onnx",
        "sklearn_churn_logreg/model.onnx", "sklearn_churn_logreg/model_nozipmap.onnx",
        "torch_mlp_digits/model.onnx",
        "xgboost_diabetes_missing/model.onnx",
        "sklearn_hgb_missing/model.onnx", "sklearn_hgb_missing/model_nozipmap.onnx",
    })
    public String model;

    ModelState state;
    RawOnnx raw;

    @Setup(Level.Trial)
    public void load() throws OrtException {
        CorpusFile file = CorpusFile.of(model);
        raw = new RawOnnx(file);
        state = new ModelState(model, raw.isSingleTensor());
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        state.close();
        raw.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void handoff(RowCursor cursor, Blackhole blackhole) {
        state.handoff.consume(state.scorer().score(state.records.get(cursor.next(state.records.size()))), blackhole);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void raw(RowCursor cursor, Blackhole blackhole) throws OrtException {
        blackhole.consume(raw.row(state.records.get(cursor.next(state.records.size()))));
    }

    /** One thread scoring single records on the shared scorer, for the scaling ratio against {@link #handoffTwoThreads}. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Threads(1)
    public void handoffOneThread(RowCursor cursor, Blackhole blackhole) {
        handoff(cursor, blackhole);
    }

    /** Two threads scoring single records on one shared scorer (the machines have two cores). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @Threads(2)
    public void handoffTwoThreads(RowCursor cursor, Blackhole blackhole) {
        handoff(cursor, blackhole);
    }
}

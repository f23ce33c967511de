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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Batches of 1, 64 and 1024 rows on every ONNX file of the corpus: Handoff's {@code scorer.score(Batch)}
 * (columns built outside the measured code) against the hand-written ONNX Runtime call that builds its
 * tensors from the same column arrays ({@link RawOnnx#batch}). Time per batch; divide by {@code rows}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class OnnxBatchBenchmark {

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

    @Param({"1", "64", "1024"})
    public int rows;

    ModelState state;
    RawOnnx raw;
    Object[] columns;
    Batch batch;

    @Setup(Level.Trial)
    public void load() throws OrtException {
        CorpusFile file = CorpusFile.of(model);
        raw = new RawOnnx(file);
        state = new ModelState(model, raw.isSingleTensor());
        columns = state.file.columns(rows);
        batch = HandoffSide.batch(state.file, columns, rows);
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        state.close();
        raw.close();
    }

    @Benchmark
    public void handoff(Blackhole blackhole) {
        state.handoff.consume(state.scorer().score(batch), blackhole);
    }

    @Benchmark
    public void raw(Blackhole blackhole) throws OrtException {
        blackhole.consume(raw.batch(columns, rows));
    }
}

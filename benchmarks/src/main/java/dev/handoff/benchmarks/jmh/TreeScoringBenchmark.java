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

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The compiled tree engine behind the public API: on every corpus tree file in both formats, {@code scorer.score(Map)}
 * and {@code scorer.score(Batch)} of a scorer loaded with {@code ScorerOptions.compiledTrees(true)} (the engine serves
 * a covered model: {@code compiled*}) and of one loaded with {@code compiledTrees(false)} (the runtime serves:
 * {@code runtime*}), next to the hand-written runtime call ({@code raw*}: ONNX Runtime, {@link RawOnnx}, or
 * JPMML-Evaluator, {@link RawPmml}), on the same shuffled rows. Single rows in {@code SampleTime} (p50, p99), batches of
 * 1,024 rows in time per batch (ONNX Runtime's batch call; JPMML has none, so its loop over the same columns).
 * Allocation per call with {@code -prof gc}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/handoff.jar jmh TreeScoringBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc
 * java -jar benchmarks/target/handoff.jar jmh 'TreeScoringBenchmark.*Row' -p model=xgboost_diabetes_missing/model.onnx
 * }</pre>
 *
 * <p>A model the engine does not cover is served by the runtime with either option: then the {@code compiled*} and
 * {@code runtime*} figures measure the same code ({@code ModelInfo.metadata()}'s {@code handoff.engine} says which
 * engine served).
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class TreeScoringBenchmark {
    static final int BATCH = 1024;

    @Param({
        "sklearn_gbr_diabetes/model.onnx", "xgboost_diabetes_missing/model.onnx",
        "sklearn_hgb_missing/model.onnx", "sklearn_hgb_missing/model_nozipmap.onnx",
        "sklearn_rf_iris/model.onnx", "sklearn_rf_iris/model_nozipmap.onnx",
        "sklearn_churn_pipeline/model.onnx", "sklearn_churn_pipeline/model_nozipmap.onnx",
        "sklearn_gbr_diabetes/model.pmml", "xgboost_diabetes_missing/model.pmml", "sklearn_hgb_missing/model.pmml",
        "sklearn_rf_iris/model.pmml", "sklearn_churn_pipeline/model.pmml", "r_rpart_airquality/model.pmml",
    })
    public String model;

    /** Loaded with {@code compiledTrees(true)}. */
    ModelState compiled;
    /** Loaded with {@code compiledTrees(false)}. */
    ModelState runtime;
    RawOnnx rawOnnx;
    RawPmml rawPmml;
    /** The rows the model gives a prediction for, shuffled: the same for every side. */
    List<Map<String, Object>> records;
    Object[] columns;
    Batch batch;

    @Setup(Level.Trial)
    public void load() throws Exception {
        CorpusFile file = CorpusFile.of(model);
        boolean singleTensor = false;
        if (file.isOnnx()) {
            rawOnnx = new RawOnnx(file);
            singleTensor = rawOnnx.isSingleTensor();
        } else {
            rawPmml = new RawPmml(file);
        }
        compiled = new ModelState(model, singleTensor, true);
        runtime = new ModelState(model, singleTensor, false);
        records = compiled.records;
        columns = compiled.file.columns(BATCH);
        batch = HandoffSide.batch(compiled.file, columns, BATCH);
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        compiled.close();
        runtime.close();
        if (rawOnnx != null) {
            rawOnnx.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void compiledRow(RowCursor cursor, Blackhole blackhole) {
        compiled.handoff.consume(compiled.scorer().score(records.get(cursor.next(records.size()))), blackhole);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void runtimeRow(RowCursor cursor, Blackhole blackhole) {
        runtime.handoff.consume(runtime.scorer().score(records.get(cursor.next(records.size()))), blackhole);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void rawRow(RowCursor cursor, Blackhole blackhole) throws OrtException {
        Map<String, Object> record = records.get(cursor.next(records.size()));
        blackhole.consume(rawOnnx != null ? rawOnnx.row(record) : rawPmml.row(record));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void compiledBatch1024(Blackhole blackhole) {
        compiled.handoff.consume(compiled.scorer().score(batch), blackhole);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void runtimeBatch1024(Blackhole blackhole) {
        runtime.handoff.consume(runtime.scorer().score(batch), blackhole);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void rawBatch1024(Blackhole blackhole) throws OrtException {
        if (rawOnnx != null) {
            blackhole.consume(rawOnnx.batch(columns, BATCH));
            return;
        }
        for (int r = 0; r < BATCH; r++) {
            blackhole.consume(rawPmml.row(columns, r));
        }
    }
}

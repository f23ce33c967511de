package dev.handoff.benchmarks.jmh;

import dev.handoff.Prediction;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.onnx.OnnxOptions;
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
 * What {@link Scorer#stats()} costs: the same single-row call ({@code scorer.score(Map)}, label and every
 * class probability read back) on a scorer with stats on (the default) and one with
 * {@code ScorerOptions.stats(false)}, same model file, same shuffled rows. The breast cancer model has 30
 * inputs, so the per-input counting is at its most expensive relative to the model.
 *
 * <pre>{@code
 * java -jar benchmarks/target/handoff.jar jmh -f 1 -wi 5 -w 1 -i 10 -r 1 StatsOverhead
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class StatsOverheadBenchmark {

    /** The corpus file measured. */
    @Param({"sklearn_logreg_breast_cancer/model_nozipmap.onnx", "sklearn_logreg_breast_cancer/model.pmml",
            "sklearn_rf_iris/model_nozipmap.onnx", "sklearn_rf_iris/model.pmml"})
    public String model;

    /** Whether the scorer records stats. */
    @Param({"true", "false"})
    public boolean stats;

    private List<Map<String, Object>> rows;
    private Scorer scorer;

    @Setup(Level.Trial)
    public void load() {
        CorpusFile file = CorpusFile.of(model);
        ScorerOptions.Builder options = ScorerOptions.builder().stats(stats);
        if (file.isOnnx()) {
            options.runtime(OnnxOptions.builder().featureNames(file.header()).build()); // the single-tensor exports of these cases
        }
        scorer = Scorer.load(file.modelBytes(), options.build());
        rows = file.records();
    }

    @TearDown(Level.Trial)
    public void close() {
        scorer.close();
    }

    @Benchmark
    public void score(RowCursor cursor, Blackhole blackhole) {
        Prediction prediction = scorer.score(rows.get(cursor.next(rows.size())));
        blackhole.consume(prediction.label());
        blackhole.consume(prediction.probabilities());
    }

    Scorer scorer() {
        return scorer;
    }

    List<Map<String, Object>> rows() {
        return rows;
    }
}

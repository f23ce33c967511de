package dev.handoff.benchmarks.jmh;

import dev.handoff.ModelComparison;
import dev.handoff.Prediction;
import dev.handoff.Scorer;
import dev.handoff.ShadowScorer;
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
 * What shadow scoring costs the serving thread: the same single-row call ({@code score(Map)}, label and
 * probabilities read back) on the churn ONNX model alone ({@code shadowRate = 0}) and as the serving model of a
 * {@link ShadowScorer} whose candidate, the churn PMML, scores a sample of the calls on its background thread.
 * Sample time, so that the p50 of the two can be compared (issue 15's target: at most 5% more at 10%).
 *
 * <pre>{@code
 * java -jar benchmarks/target/handoff.jar jmh -f 1 -wi 5 -w 1 -i 10 -r 1 ShadowOverhead
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class ShadowOverheadBenchmark {

    /** The share of calls the candidate also scores; 0 measures the serving scorer without a shadow. */
    @Param({"0", "0.1"})
    public double shadowRate;

    private List<Map<String, Object>> rows;
    private Scorer scorer;

    @Setup(Level.Trial)
    public void load() {
        CorpusFile serving = CorpusFile.of("sklearn_churn_logreg/model_nozipmap.onnx");
        rows = serving.records();
        Scorer plain = Scorer.load(serving.modelBytes());
        if (shadowRate == 0) {
            scorer = plain;
        } else {
            Scorer candidate = Scorer.load(CorpusFile.of("sklearn_churn_logreg/model.pmml").modelBytes());
            scorer = ShadowScorer.builder(plain, candidate).sampleRate(shadowRate).queueCapacity(10_000)
                    .comparison(ModelComparison.builder().build()).build();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (scorer instanceof ShadowScorer shadow) {
            System.out.println("\nshadow: " + shadow.shadowStats().sampled() + " sampled, " + shadow.shadowStats().dropped()
                    + " dropped, agrees: " + shadow.shadowStats().comparison().agrees());
        }
        scorer.close();
    }

    @Benchmark
    public void score(RowCursor cursor, Blackhole blackhole) {
        Prediction prediction = scorer.score(rows.get(cursor.next(rows.size())));
        blackhole.consume(prediction.label());
        blackhole.consume(prediction.probabilities());
    }
}

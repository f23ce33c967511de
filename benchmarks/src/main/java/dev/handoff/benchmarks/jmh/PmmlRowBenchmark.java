package dev.handoff.benchmarks.jmh;

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
 * One record at a time on every PMML file of the corpus: Handoff's {@code scorer.score(Map)} against
 * the hand-written JPMML-Evaluator call ({@link RawPmml#row}) on the same shuffled rows, in {@code SampleTime} (p50, p99); and the throughput of one and of two threads
 * sharing one {@code Scorer}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/handoff.jar jmh -f 1 -wi 2 -i 3 'PmmlRowBenchmark' -p model=sklearn_rf_iris/model.pmml -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class PmmlRowBenchmark {

    @Param({
        "sklearn_logreg_breast_cancer/model.pmml", "sklearn_rf_iris/model.pmml", "sklearn_gbr_diabetes/model.pmml",
        "sklearn_churn_pipeline/model.pmml", "sklearn_churn_logreg/model.pmml", "r_glm_mtcars/model.pmml",
        "xgboost_diabetes_missing/model.pmml", "sklearn_hgb_missing/model.pmml", "r_rpart_airquality/model.pmml",
    })
    public String model;

    ModelState state;
    RawPmml raw;

    @Setup(Level.Trial)
    public void load() throws Exception {
        raw = new RawPmml(CorpusFile.of(model));
        state = new ModelState(model, false);
    }

    @TearDown(Level.Trial)
    public void close() {
        state.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void handoff(RowCursor cursor, Blackhole blackhole) {
        state.handoff.consume(state.scorer().score(state.records.get(cursor.next(state.records.size()))), blackhole);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void raw(RowCursor cursor, Blackhole blackhole) {
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

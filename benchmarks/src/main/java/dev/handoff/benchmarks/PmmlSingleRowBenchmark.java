package dev.handoff.benchmarks;

import dev.handoff.Prediction;
import dev.handoff.Scorer;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;
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

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One record scored through Handoff ({@code scorer.score(Map)}) against the same record scored by a
 * hand-written JPMML-Evaluator call ({@code InputField.prepare} for each input, {@code Evaluator.evaluate},
 * {@code EvaluatorUtil.decodeAll}, as JPMML's README shows), on the same {@code model.pmml} and the
 * same rows. Both give the label and every class probability.
 *
 * <pre>{@code
 * java -jar benchmarks/target/handoff.jar jmh -f 1 -wi 1 -i 1 PmmlSingleRow
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class PmmlSingleRowBenchmark {

    /** The corpus case whose model and rows are measured. */
    @Param({BenchmarkModels.IRIS, BenchmarkModels.BREAST_CANCER})
    public String model;

    private List<Map<String, Object>> rows;
    private Scorer scorer;
    private Evaluator evaluator;
    private List<InputField> inputFields;

    @Setup(Level.Trial)
    public void load() throws Exception {
        byte[] modelBytes = BenchmarkModels.bytes(model, "model.pmml");
        rows = BenchmarkModels.shuffledRecords(model);
        scorer = Scorer.load(modelBytes);

        evaluator = new LoadingModelEvaluatorBuilder().load(new ByteArrayInputStream(modelBytes)).build();
        evaluator.verify();
        inputFields = evaluator.getInputFields();
    }

    @TearDown(Level.Trial)
    public void close() {
        scorer.close();
    }

    @Benchmark
    public void handoff(RowCursor cursor, Blackhole blackhole) {
        Prediction prediction = scoreWithHandoff(rows.get(cursor.next(rows.size())));
        blackhole.consume(prediction.label());
        blackhole.consume(prediction.probabilities());
    }

    @Benchmark
    public void jpmml(RowCursor cursor, Blackhole blackhole) {
        blackhole.consume(scoreWithJpmml(rows.get(cursor.next(rows.size()))));
    }

    Prediction scoreWithHandoff(Map<String, Object> row) {
        return scorer.score(row);
    }

    /** What hand-written code does: prepare each input field from the record, evaluate, decode the results to Java values. */
    Map<String, ?> scoreWithJpmml(Map<String, Object> row) {
        Map<String, FieldValue> arguments = new LinkedHashMap<>();
        for (InputField field : inputFields) {
            arguments.put(field.getName(), field.prepare(row.get(field.getName())));
        }
        return EvaluatorUtil.decodeAll(evaluator.evaluate(arguments));
    }

    /** The name of the model's target field, whose decoded result is the label. */
    String targetName() {
        return evaluator.getTargetFields().get(0).getName();
    }

    List<Map<String, Object>> rows() {
        return rows;
    }
}

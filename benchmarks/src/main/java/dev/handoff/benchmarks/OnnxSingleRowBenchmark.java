package dev.handoff.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.handoff.Prediction;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
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

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One record scored through Handoff ({@code scorer.score(Map)}) against the same record scored by a
 * hand-written ONNX Runtime call ({@code OrtSession.run} on a {@code [1, F]} float tensor), on the
 * same {@code model_nozipmap.onnx} and the same rows. Both read the label and every class
 * probability. The direct session gets Handoff's default settings (one intra-op and one inter-op
 * thread, every graph optimization), so the difference is what Handoff adds around ONNX Runtime.
 *
 * <pre>{@code
 * java -jar benchmarks/target/handoff.jar jmh -f 1 -wi 1 -i 1 OnnxSingleRow
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class OnnxSingleRowBenchmark {

    /** The corpus case whose model and rows are measured. */
    @Param({BenchmarkModels.IRIS, BenchmarkModels.BREAST_CANCER})
    public String model;

    private List<Map<String, Object>> rows;
    private Scorer scorer;
    private OrtEnvironment environment;
    private OrtSession session;
    private String inputName;
    private String[] featureNames;
    private long[] inputShape;

    @Setup(Level.Trial)
    public void load() throws OrtException {
        byte[] modelBytes = BenchmarkModels.bytes(model, "model_nozipmap.onnx");
        List<String> features = BenchmarkModels.featureNames(model);
        rows = BenchmarkModels.shuffledRecords(model);
        scorer = Scorer.load(modelBytes, ScorerOptions.builder().featureNames(features).build());

        environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(modelBytes, options);
        }
        inputName = session.getInputNames().iterator().next();
        featureNames = features.toArray(String[]::new);
        inputShape = new long[] {1, featureNames.length};
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        scorer.close();
        session.close();
    }

    @Benchmark
    public void handoff(RowCursor cursor, Blackhole blackhole) {
        Prediction prediction = scoreWithHandoff(rows.get(cursor.next(rows.size())));
        blackhole.consume(prediction.label());
        blackhole.consume(prediction.probabilities());
    }

    @Benchmark
    public void onnxRuntime(RowCursor cursor, Blackhole blackhole) throws OrtException {
        OnnxOutputs outputs = scoreWithOnnxRuntime(rows.get(cursor.next(rows.size())));
        blackhole.consume(outputs.labels());
        blackhole.consume(outputs.probabilities());
    }

    Prediction scoreWithHandoff(Map<String, Object> row) {
        return scorer.score(row);
    }

    /** What hand-written code does: pick the features out of the record in tensor order, run, copy the outputs out. */
    OnnxOutputs scoreWithOnnxRuntime(Map<String, Object> row) throws OrtException {
        float[] features = new float[featureNames.length];
        for (int i = 0; i < features.length; i++) {
            features[i] = ((Number) row.get(featureNames[i])).floatValue();
        }
        try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(features), inputShape);
             OrtSession.Result result = session.run(Map.of(inputName, input))) {
            return new OnnxOutputs(result.get(0).getValue(), ((float[][]) result.get(1).getValue())[0]);
        }
    }

    List<Map<String, Object>> rows() {
        return rows;
    }

    /**
     * The outputs of one direct ONNX Runtime call.
     *
     * @param labels the label tensor's value ({@code String[]} or {@code long[]} of one element)
     * @param probabilities the row's class probabilities, in class order
     */
    record OnnxOutputs(Object labels, float[] probabilities) {
    }
}

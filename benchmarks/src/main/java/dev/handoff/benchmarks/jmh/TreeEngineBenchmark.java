package dev.handoff.benchmarks.jmh;

import ai.onnxruntime.OrtException;
import dev.handoff.internal.tree.BytecodeTrees;
import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.internal.tree.TreeInterpreter;
import dev.handoff.internal.tree.TreeWorkspace;
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

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The compiled tree engine's two backends, the flat-array interpreter ({@code interpreter*}) and the generated
 * bytecode ({@code bytecode*}, {@link BytecodeTrees}), against the hand-written ONNX Runtime call, on the corpus
 * tree files they cover and the same shuffled rows: one row ({@code SampleTime}; from prepared {@code float[]} rows,
 * and from the same records the raw call reads) and a block of 1,024 rows (time per block: the interpreter walks
 * each tree over blocks of rows, the bytecode backend scores row by row; the raw call builds its tensor from the
 * same column arrays, {@link RawOnnx#batch}).
 *
 * <pre>{@code
 * java -jar benchmarks/target/handoff.jar jmh TreeEngineBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc
 * }</pre>
 *
 * <p>Not in {@link BenchmarkSuite} yet: the engine is not behind {@code Scorer} until it is wired in, and the
 * suite's table compares Handoff's public calls.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class TreeEngineBenchmark {
    static final int BLOCK = 1024;

    @Param({"sklearn_gbr_diabetes/model.onnx", "xgboost_diabetes_missing/model.onnx", "sklearn_hgb_missing/model_nozipmap.onnx",
        "sklearn_rf_iris/model_nozipmap.onnx"})
    public String model;

    RawOnnx raw;
    List<Map<String, Object>> records;
    List<String> header;
    float[][] rows;
    float[] block;
    Object[] columns;
    TreeInterpreter interpreter;
    BytecodeTrees bytecode;

    @Setup(Level.Trial)
    public void load() throws Exception {
        CorpusFile file = CorpusFile.of(model);
        raw = new RawOnnx(file);
        if (!raw.isSingleTensor()) {
            throw new IllegalStateException(model + " does not take one [N, F] tensor");
        }
        TreeEnsemble ensemble = treeEnsemble(file.modelBytes());
        interpreter = new TreeInterpreter(ensemble);
        bytecode = BytecodeTrees.compile(ensemble);
        records = file.records();
        header = file.header();
        int features = header.size();
        rows = new float[records.size()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = floats(records.get(r), header);
        }
        block = new float[BLOCK * features];
        for (int r = 0; r < BLOCK; r++) {
            System.arraycopy(rows[r % rows.length], 0, block, r * features, features);
        }
        columns = file.columns(BLOCK);
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        raw.close();
    }

    /** Per-thread output buffers and scratch. */
    @State(Scope.Thread)
    public static class Buffers {
        TreeWorkspace interpreterWorkspace;
        TreeWorkspace bytecodeWorkspace;
        float[] out;
        float[] blockOut;
        long[] labels;

        @Setup(Level.Trial)
        public void allocate(TreeEngineBenchmark benchmark) {
            interpreterWorkspace = benchmark.interpreter.newWorkspace();
            bytecodeWorkspace = benchmark.bytecode.newWorkspace();
            out = new float[benchmark.interpreter.outputWidth()];
            blockOut = new float[BLOCK * benchmark.interpreter.outputWidth()];
            labels = new long[BLOCK];
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void interpreterRow(Buffers buffers, RowCursor cursor, Blackhole blackhole) {
        blackhole.consume(interpreter.score(rows[cursor.next(rows.length)], 0, buffers.out, 0, buffers.interpreterWorkspace));
        blackhole.consume(buffers.out[0]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void bytecodeRow(Buffers buffers, RowCursor cursor, Blackhole blackhole) {
        blackhole.consume(bytecode.score(rows[cursor.next(rows.length)], 0, buffers.out, 0, buffers.bytecodeWorkspace));
        blackhole.consume(buffers.out[0]);
    }

    /** The interpreter fed as the raw call is: from a record, through a fresh {@code float[]}. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void interpreterRowFromRecord(Buffers buffers, RowCursor cursor, Blackhole blackhole) {
        float[] row = floats(records.get(cursor.next(records.size())), header);
        blackhole.consume(interpreter.score(row, 0, buffers.out, 0, buffers.interpreterWorkspace));
        blackhole.consume(buffers.out[0]);
    }

    /** The bytecode fed as the raw call is: from a record, through a fresh {@code float[]}. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void bytecodeRowFromRecord(Buffers buffers, RowCursor cursor, Blackhole blackhole) {
        float[] row = floats(records.get(cursor.next(records.size())), header);
        blackhole.consume(bytecode.score(row, 0, buffers.out, 0, buffers.bytecodeWorkspace));
        blackhole.consume(buffers.out[0]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void rawRow(RowCursor cursor, Blackhole blackhole) throws OrtException {
        blackhole.consume(raw.row(records.get(cursor.next(records.size()))));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void interpreterBlock1024(Buffers buffers, Blackhole blackhole) {
        interpreter.scoreBlock(block, BLOCK, buffers.blockOut, buffers.labels, buffers.interpreterWorkspace);
        blackhole.consume(buffers.blockOut[BLOCK - 1]);
        blackhole.consume(buffers.labels[BLOCK - 1]);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void bytecodeBlock1024(Buffers buffers, Blackhole blackhole) {
        bytecode.scoreBlock(block, BLOCK, buffers.blockOut, buffers.labels, buffers.bytecodeWorkspace);
        blackhole.consume(buffers.blockOut[BLOCK - 1]);
        blackhole.consume(buffers.labels[BLOCK - 1]);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void rawBatch1024(Blackhole blackhole) throws OrtException {
        blackhole.consume(raw.batch(columns, BLOCK));
    }

    private static float[] floats(Map<String, Object> record, List<String> header) {
        float[] row = new float[header.size()];
        for (int f = 0; f < row.length; f++) {
            Object v = record.get(header.get(f));
            row[f] = v == null ? Float.NaN : ((Number) v).floatValue();
        }
        return row;
    }

    /**
     * The model read by the ONNX runtime's tree reader. Until the engine is wired into the scorer, the reader is
     * package-private in {@code dev.handoff.onnx.internal}; the benchmark reaches it by reflection (the jar runs on
     * the class path) rather than widening it for one caller.
     */
    static TreeEnsemble treeEnsemble(byte[] modelBytes) throws ReflectiveOperationException {
        Class<?> graph = Class.forName("dev.handoff.onnx.internal.OnnxGraph");
        Class<?> reader = Class.forName("dev.handoff.onnx.internal.OnnxTreeReader");
        Method read = graph.getDeclaredMethod("read", byte[].class);
        Method proto = graph.getDeclaredMethod("proto");
        Method readTrees = null;
        for (Method m : reader.getDeclaredMethods()) {
            if (m.getName().equals("read") && m.getParameterCount() == 1) {
                readTrees = m;
            }
        }
        read.setAccessible(true);
        proto.setAccessible(true);
        readTrees.setAccessible(true);
        Object coverage = readTrees.invoke(null, proto.invoke(read.invoke(null, (Object) modelBytes)));
        Method ensemble = coverage.getClass().getDeclaredMethod("model");
        Method reason = coverage.getClass().getDeclaredMethod("reason");
        ensemble.setAccessible(true);
        reason.setAccessible(true);
        Object model = ensemble.invoke(coverage);
        if (model == null) {
            throw new IllegalStateException("not covered by the tree engine: " + reason.invoke(coverage));
        }
        return (TreeEnsemble) model;
    }
}

package dev.handoff.onnx.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.onnx.OnnxOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.ProcessMemory;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What loading a model costs: the first load of the JVM (cold), the median of 100 loads after 300 (warm), the process
 * CPU time per warm load, and the heap and resident memory
 * that {@code count} loaded scorers hold, per scorer. Three modes, one per JVM:
 * <ul>
 *   <li>{@code engine}: Handoff with the compiled tree engine ({@code true} is read as engine);</li>
 *   <li>{@code runtime}: Handoff with {@code compiledTrees(false)}, ONNX Runtime serving ({@code false} likewise);</li>
 *   <li>{@code raw}: ONNX Runtime alone, as a hand-written service uses it: {@code env.createSession(bytes, new
 *       SessionOptions())} (ONNX Runtime's defaults, its intra-op pool included) and one run.</li>
 * </ul>
 * {@code java -cp ... dev.handoff.onnx.internal.LoadCostMain XGBOOST_MISSING_ONNX engine 100}. The engine mode also
 * prints what reading the graph into the tree engine costs alone (parse, read, backend).
 */
public final class LoadCostMain {
    private LoadCostMain() {
    }

    public static void main(String[] args) throws Exception {
        CorpusModel model = CorpusModel.valueOf(args[0]);
        String mode = switch (args[1]) {
            case "true", "engine" -> "engine";
            case "false", "runtime" -> "runtime";
            case "raw" -> "raw";
            default -> throw new IllegalArgumentException("mode engine, runtime or raw: " + args[1]);
        };
        int count = Integer.parseInt(args[2]);
        byte[] bytes = model.modelBytes();
        Map<String, Object> row = model.inputRecords().get(0);
        Loader loader = mode.equals("raw") ? new Raw(bytes, row) : new ThroughHandoff(model, bytes, mode.equals("engine"), row);
        // the first load of the JVM: every class loaded and nothing compiled yet, as a service's start-up load
        long firstStarted = System.nanoTime();
        AutoCloseable first = loader.load();
        long firstNanos = System.nanoTime() - firstStarted;
        loader.score(first);
        first.close();
        for (int i = 0; i < 300; i++) { // warm up the loading code (50 left parts of it interpreted)
            AutoCloseable loaded = loader.load();
            loader.score(loaded);
            loaded.close();
        }
        long[] nanos = new long[100];
        long cpuBefore = cpuNanos("/proc/self/task");
        long threadCpuBefore = cpuNanos("/proc/thread-self");
        for (int i = 0; i < nanos.length; i++) {
            long started = System.nanoTime();
            AutoCloseable loaded = loader.load();
            nanos[i] = System.nanoTime() - started;
            loaded.close();
        }
        double cpuPerLoad = (cpuNanos("/proc/self/task") - cpuBefore) / 1e6 / nanos.length;
        double callerCpuPerLoad = (cpuNanos("/proc/thread-self") - threadCpuBefore) / 1e6 / nanos.length;
        Arrays.sort(nanos);
        String read = "";
        if (mode.equals("engine")) {
            long[] readNanos = new long[200];
            for (int i = 0; i < readNanos.length; i++) {
                long started = System.nanoTime();
                OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(bytes).proto());
                TreeEngines.backendFor(coverage.model());
                readNanos[i] = System.nanoTime() - started;
            }
            Arrays.sort(readNanos);
            read = String.format(" (tree read alone %.2f ms)", readNanos[100] / 1e6);
        }
        ProcessMemory.settle();
        long heapBefore = ProcessMemory.heap();
        long rssBefore = ProcessMemory.rss();
        List<AutoCloseable> kept = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AutoCloseable loaded = loader.load();
            loader.score(loaded); // per-thread scratch made, as in service
            kept.add(loaded);
        }
        ProcessMemory.settle();
        long heapAfter = ProcessMemory.heap();
        long rssAfter = ProcessMemory.rss();
        System.out.printf("%s %-7s first load %.1f ms; warm load median %.2f ms p90 %.2f ms, CPU %.2f ms per load (%.2f ms on "
                        + "the loading thread)%s; per scorer: heap %.1f KiB, RSS %.1f KiB (%d scorers, %s)%n",
                model, mode, firstNanos / 1e6, nanos[50] / 1e6, nanos[90] / 1e6, cpuPerLoad, callerCpuPerLoad, read,
                (heapAfter - heapBefore) / 1024.0 / count, (rssAfter - rssBefore) / 1024.0 / count, count,
                loader.describe(kept.get(0)));
        for (AutoCloseable c : kept) {
            c.close();
        }
    }

    /**
     * CPU time in nanoseconds from Linux's schedstat: of the calling thread ({@code /proc/thread-self}), or summed over
     * the process's live threads ({@code /proc/self/task}: ONNX Runtime's pool threads and any helper thread included).
     */
    private static long cpuNanos(String where) throws java.io.IOException {
        Path path = Path.of(where);
        if (where.endsWith("thread-self")) {
            return Long.parseLong(Files.readString(path.resolve("schedstat")).split(" ")[0]);
        }
        long total = 0;
        try (var tasks = Files.list(path)) {
            for (Path task : tasks.toList()) {
                try {
                    total += Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                } catch (java.io.IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return total;
    }

    private interface Loader {
        AutoCloseable load() throws Exception;

        void score(AutoCloseable loaded) throws Exception;

        String describe(AutoCloseable loaded);
    }

    private static final class ThroughHandoff implements Loader {
        private final byte[] bytes;
        private final ScorerOptions options;
        private final Map<String, Object> row;

        ThroughHandoff(CorpusModel model, byte[] bytes, boolean compiledTrees, Map<String, Object> row) {
            this.bytes = bytes;
            this.row = row;
            OnnxOptions.Builder onnx = OnnxOptions.builder();
            if (model.isSingleTensor()) {
                onnx.featureNames(model.inputColumns());
            }
            this.options = ScorerOptions.builder().compiledTrees(compiledTrees).stats(false).runtime(onnx.build()).build();
        }

        @Override
        public AutoCloseable load() {
            return Scorer.load(bytes, options);
        }

        @Override
        public void score(AutoCloseable loaded) {
            ((Scorer) loaded).score(row);
        }

        @Override
        public String describe(AutoCloseable loaded) {
            return ((Scorer) loaded).info().metadata().get(TreeEngines.METADATA_KEY);
        }
    }

    /** ONNX Runtime as a hand-written service uses it: default session options, inputs built from the record. */
    private static final class Raw implements Loader {
        /** Made by the first load (its native library loaded then), as through Handoff. */
        private OrtEnvironment env;
        private final byte[] bytes;
        private final Map<String, Object> row;

        Raw(byte[] bytes, Map<String, Object> row) {
            this.bytes = bytes;
            this.row = row;
        }

        @Override
        public AutoCloseable load() throws Exception {
            env = OrtEnvironment.getEnvironment();
            return env.createSession(bytes, new OrtSession.SessionOptions());
        }

        @Override
        public void score(AutoCloseable loaded) throws Exception {
            OrtSession session = (OrtSession) loaded;
            Map<String, OnnxTensor> inputs = new HashMap<>();
            try {
                for (NodeInfo input : session.getInputInfo().values()) {
                    inputs.put(input.getName(), tensor(input));
                }
                try (OrtSession.Result result = session.run(inputs)) {
                    result.get(0).getValue();
                }
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }

        /** One row: the record's columns in order for a [N, F] input, else the column named as the input. */
        private OnnxTensor tensor(NodeInfo input) throws Exception {
            TensorInfo info = (TensorInfo) input.getInfo();
            long[] shape = info.getShape().clone();
            shape[0] = 1;
            int width = (int) Arrays.stream(shape).reduce(1, Math::multiplyExact);
            List<Object> values = new ArrayList<>();
            if (width > 1) {
                values.addAll(row.values());
            } else {
                values.add(row.get(input.getName()));
            }
            if (info.type == OnnxJavaType.STRING) {
                return OnnxTensor.createTensor(env, new String[] {String.valueOf(values.get(0))}, shape);
            }
            double[] numbers = new double[width];
            for (int i = 0; i < width; i++) {
                Object v = i < values.size() ? values.get(i) : null;
                numbers[i] = v == null ? Double.NaN : Double.parseDouble(String.valueOf(v));
            }
            return switch (info.type) {
                case FLOAT -> {
                    float[] f = new float[width];
                    for (int i = 0; i < width; i++) {
                        f[i] = (float) numbers[i];
                    }
                    yield OnnxTensor.createTensor(env, FloatBuffer.wrap(f), shape);
                }
                case DOUBLE -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(numbers), shape);
                case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(Arrays.stream(numbers).mapToLong(d -> (long) d).toArray()), shape);
                default -> throw new IllegalArgumentException("input type " + info.type + " not handled by the raw mode");
            };
        }

        @Override
        public String describe(AutoCloseable loaded) {
            return "ONNX Runtime alone, default SessionOptions";
        }
    }
}

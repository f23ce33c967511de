package dev.handoff.onnx.internal;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.handoff.InputField;
import dev.handoff.ValueType;
import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.internal.tree.TreeInterpreter;
import dev.handoff.internal.tree.TreeWorkspace;
import dev.handoff.spi.InputColumns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime as the oracle of a whole preprocessing-and-trees graph: the session (one thread, default
 * optimizations, as Handoff runs it) is fed by Handoff's own {@link OnnxInputEncoder} from the same
 * {@link InputColumns} that {@link OnnxPreprocessing} reads, so both sides see the same tensors.
 */
final class OrtPipelineOracle implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    final OnnxInputEncoder encoder;

    OrtPipelineOracle(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = env.createSession(model, options);
        }
        encoder = OnnxInputEncoder.plan(session.getInputInfo(), List.of());
    }

    /** Columns for the encoder's fields from records keyed by field name (Double, Long or String; a field's row values as an array). */
    Columns columns(List<Map<String, Object>> records) {
        List<InputField> fields = encoder.fields();
        Object[] columns = new Object[fields.size()];
        for (int f = 0; f < fields.size(); f++) {
            InputField field = fields.get(f);
            int width = field.shape().isEmpty() ? 1 : field.shape().stream().mapToInt(Long::intValue).reduce(1, (a, b) -> a * b);
            int n = records.size() * width;
            if (field.type() == ValueType.STRING) {
                String[] c = new String[n];
                for (int r = 0; r < records.size(); r++) {
                    c[r] = (String) records.get(r).get(field.name());
                }
                columns[f] = c;
            } else if (field.type() == ValueType.INTEGER) {
                long[] c = new long[n];
                for (int r = 0; r < records.size(); r++) {
                    Object v = records.get(r).get(field.name());
                    for (int j = 0; j < width; j++) {
                        c[r * width + j] = v instanceof long[] a ? a[j] : ((Number) v).longValue();
                    }
                }
                columns[f] = c;
            } else {
                double[] c = new double[n];
                for (int r = 0; r < records.size(); r++) {
                    Object v = records.get(r).get(field.name());
                    for (int j = 0; j < width; j++) {
                        c[r * width + j] = v == null ? Double.NaN : v instanceof double[] a ? a[j] : ((Number) v).doubleValue();
                    }
                }
                columns[f] = c;
            }
        }
        return new Columns(records.size(), columns);
    }

    /** The graph's outputs for the columns' rows, by output name: float[][], long[], String[], or float[][] from a ZipMap. */
    Map<String, Object> run(Columns columns) throws OrtException {
        DirectBufferPool pool = new DirectBufferPool(encoder.tensorCount());
        DirectBufferPool.TensorSet buffers = pool.take();
        OnnxTensor[] tensors = encoder.encode(env, columns, 0, columns.rowCount(), columns.rowCount(), pool, buffers);
        Map<String, OnnxTensor> feed = new HashMap<>();
        for (int t = 0; t < tensors.length; t++) {
            feed.put(encoder.tensorName(t), tensors[t]);
        }
        Map<String, Object> out = new HashMap<>();
        try (OrtSession.Result result = session.run(feed)) {
            for (Map.Entry<String, OnnxValue> e : result) {
                out.put(e.getKey(), value(e.getValue()));
            }
        } finally {
            for (int t = 0; t < tensors.length; t++) {
                if (!buffers.owns(t, tensors[t])) {
                    tensors[t].close();
                }
            }
            pool.give(buffers);
            pool.close();
        }
        return out;
    }

    private static Object value(OnnxValue value) throws OrtException {
        if (value instanceof OnnxSequence sequence) {
            List<? extends OnnxValue> maps = sequence.getValue();
            float[][] rows = new float[maps.size()][];
            for (int r = 0; r < rows.length; r++) {
                Map<? extends Object, ? extends Object> map = ((OnnxMap) maps.get(r)).getValue();
                List<Object> keys = new ArrayList<>(map.keySet());
                rows[r] = new float[keys.size()];
                keys.sort((a, b) -> a instanceof Long x ? Long.compare(x, (Long) b) : ((String) a).compareTo((String) b));
                for (int k = 0; k < keys.size(); k++) {
                    rows[r][k] = (Float) map.get(keys.get(k));
                }
            }
            return rows;
        }
        Object v = value.getValue();
        if (v instanceof float[] flat) {
            float[][] rows = new float[flat.length][];
            for (int r = 0; r < flat.length; r++) {
                rows[r] = new float[] {flat[r]};
            }
            return rows;
        }
        return v;
    }

    /** The engine's answer: labels (null for a regressor) and the scores, row-major, from the features and the interpreter. */
    static OrtTreeOracle.Answer engine(OnnxTreeCoverage coverage, OnnxInputEncoder encoder, InputColumns columns) {
        TreeEnsemble model = coverage.model();
        OnnxTreeFeatures features = coverage.features().bind(encoder);
        Object scratch = features.newScratch();
        TreeInterpreter engine = new TreeInterpreter(model);
        TreeWorkspace ws = engine.newWorkspace();
        int width = engine.outputWidth();
        int n = columns.rowCount();
        float[] scores = new float[n * width];
        String[] labels = model.kind() == TreeEnsemble.Kind.CLASSIFIER ? new String[n] : null;
        boolean doubles = model.thresholdType() == TreeEnsemble.ThresholdType.DOUBLE;
        float[] row = new float[model.featureCount()];
        double[] doubleRow = new double[model.featureCount()];
        for (int r = 0; r < n; r++) {
            long code;
            if (doubles) {
                features.fill(columns, r, doubleRow, 0, scratch);
                code = engine.score(doubleRow, 0, scores, r * width, ws);
            } else {
                features.fill(columns, r, row, 0, scratch);
                code = engine.score(row, 0, scores, r * width, ws);
            }
            if (labels != null) {
                labels[r] = model.label(code);
            }
        }
        return new OrtTreeOracle.Answer(labels, scores);
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }

    /** A minimal {@link InputColumns} over whole columns, as the binder hands them to an engine. */
    record Columns(int rowCount, Object[] columns) implements InputColumns {
        @Override
        public double[] doubles(int field) {
            return (double[]) columns[field];
        }

        @Override
        public double doubleAt(int field, int index) {
            return ((double[]) columns[field])[index];
        }

        @Override
        public long[] longs(int field) {
            return (long[]) columns[field];
        }

        @Override
        public String[] strings(int field) {
            return (String[]) columns[field];
        }

        @Override
        public boolean isMissing(int field, int index) {
            Object c = columns[field];
            return c instanceof double[] d ? Double.isNaN(d[index]) : c instanceof String[] s && s[index] == null;
        }
    }
}

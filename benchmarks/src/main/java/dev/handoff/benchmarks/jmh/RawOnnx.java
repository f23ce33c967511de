package dev.handoff.benchmarks.jmh;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hand-written baseline: ONNX Runtime called directly, as a competent engineer would. The session
 * has Handoff's default settings (one intra-op and one inter-op thread, every graph optimization);
 * each call builds its tensors from Java arrays ({@code float[]} through {@code FloatBuffer.wrap},
 * {@code String[]}), runs, and reads every output with {@code getValue()} (for a ZipMap: each map).
 */
final class RawOnnx implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String[] inputNames;
    private final boolean[] isString;
    /** Per input, the CSV columns that fill it, in tensor order. */
    private final int[][] inputColumns;
    private final String[] header;

    RawOnnx(CorpusFile file) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(file.modelBytes(), options);
        }
        Map<String, NodeInfo> inputs = session.getInputInfo();
        inputNames = inputs.keySet().toArray(String[]::new);
        isString = new boolean[inputNames.length];
        inputColumns = new int[inputNames.length][];
        header = file.header().toArray(String[]::new);
        for (int i = 0; i < inputNames.length; i++) {
            TensorInfo info = (TensorInfo) inputs.get(inputNames[i]).getInfo();
            isString[i] = info.type == OnnxJavaType.STRING;
            if (!isString[i] && info.type != OnnxJavaType.FLOAT) {
                throw new IllegalStateException("the baseline builds float and string tensors; input " + inputNames[i] + " is " + info.type);
            }
            long[] shape = info.getShape();
            if (inputNames.length == 1 && shape.length == 2 && shape[1] > 1) {
                inputColumns[i] = java.util.stream.IntStream.range(0, header.length).toArray(); // [N, F] in CSV order
            } else {
                inputColumns[i] = new int[] {file.header().indexOf(inputNames[i])};
            }
        }
    }

    /** Whether the model takes one {@code [N, F]} tensor whose columns are the CSV's. */
    boolean isSingleTensor() {
        return inputNames.length == 1 && inputColumns[0].length > 1;
    }

    /** Scores one record; returns the decoded outputs. */
    Object[] row(Map<String, Object> record) throws OrtException {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            for (int i = 0; i < inputNames.length; i++) {
                int[] columns = inputColumns[i];
                if (isString[i]) {
                    tensors.put(inputNames[i], OnnxTensor.createTensor(env, new String[] {(String) record.get(header[columns[0]])},
                            new long[] {1, 1}));
                } else {
                    float[] values = new float[columns.length];
                    for (int j = 0; j < values.length; j++) {
                        Object v = record.get(header[columns[j]]);
                        values[j] = v == null ? Float.NaN : ((Number) v).floatValue();
                    }
                    tensors.put(inputNames[i], OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {1, values.length}));
                }
            }
            return run(tensors);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /** Scores {@code n} rows given by CSV column ({@code double[]} NaN = missing, {@code String[]}). */
    Object[] batch(Object[] csvColumns, int n) throws OrtException {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            for (int i = 0; i < inputNames.length; i++) {
                int[] columns = inputColumns[i];
                if (isString[i]) {
                    tensors.put(inputNames[i], OnnxTensor.createTensor(env, (String[]) csvColumns[columns[0]], new long[] {n, 1}));
                } else {
                    int width = columns.length;
                    float[] values = new float[n * width];
                    for (int j = 0; j < width; j++) {
                        double[] column = (double[]) csvColumns[columns[j]];
                        for (int r = 0; r < n; r++) {
                            values[r * width + j] = (float) column[r];
                        }
                    }
                    tensors.put(inputNames[i], OnnxTensor.createTensor(env, FloatBuffer.wrap(values), new long[] {n, width}));
                }
            }
            return run(tensors);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private Object[] run(Map<String, OnnxTensor> tensors) throws OrtException {
        try (OrtSession.Result result = session.run(tensors)) {
            Object[] outputs = new Object[result.size()];
            for (int o = 0; o < outputs.length; o++) {
                OnnxValue value = result.get(o);
                if (value instanceof OnnxSequence sequence) {
                    List<Object> maps = new ArrayList<>();
                    for (OnnxValue map : sequence.getValue()) {
                        maps.add(((OnnxMap) map).getValue());
                    }
                    outputs[o] = maps;
                } else {
                    outputs[o] = value.getValue();
                }
            }
            return outputs;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}

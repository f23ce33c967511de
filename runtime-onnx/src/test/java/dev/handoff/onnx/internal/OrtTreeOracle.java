package dev.handoff.onnx.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.handoff.internal.tree.BytecodeTrees;
import dev.handoff.internal.tree.TreeBackend;
import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.internal.tree.TreeShape;
import dev.handoff.internal.tree.TreeInterpreter;
import dev.handoff.internal.tree.TreeWorkspace;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Runtime as the oracle of the tree engine: runs a model's session (one intra-op thread, as Handoff
 * does) on a block of rows and compares its outputs with each backend's ({@link TreeInterpreter} and
 * {@link BytecodeTrees}), row by row and bit by bit: every parity test that asks it checks both backends.
 */
final class OrtTreeOracle implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final boolean doubleInput;

    OrtTreeOracle(byte[] model, String input, boolean doubleInput) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = env.createSession(model, options);
        }
        this.input = input;
        this.doubleInput = doubleInput;
    }

    /** ONNX Runtime's answer for {@code rows} ({@code [N, F]}, row-major). */
    Answer run(float[] rows, int count, int features) throws OrtException {
        long[] shape = {count, features};
        OnnxTensor tensor;
        if (doubleInput) {
            double[] d = new double[rows.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = rows[i];
            }
            tensor = OnnxTensor.createTensor(env, DoubleBuffer.wrap(d), shape);
        } else {
            tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(rows), shape);
        }
        try (tensor; OrtSession.Result result = session.run(java.util.Map.of(input, tensor))) {
            if (result.size() == 1) {
                return new Answer(null, flatten((float[][]) result.get(0).getValue()));
            }
            OnnxValue label = result.get(0);
            Object labels = label.getValue();
            String[] text = new String[count];
            for (int r = 0; r < count; r++) {
                text[r] = labels instanceof long[] ? Long.toString(((long[]) labels)[r]) : ((String[]) labels)[r];
            }
            return new Answer(text, flatten((float[][]) result.get(1).getValue()));
        }
    }

    private static float[] flatten(float[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        float[] out = new float[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * width, width);
        }
        return out;
    }

    /** Labels (null for a regressor) and the scores or probabilities, row-major. */
    record Answer(String[] labels, float[] scores) {
    }

    /**
     * Every difference between ONNX Runtime and each tree backend (the interpreter, and the bytecode backend unless it
     * declines the model) on these rows, through single rows from float[], single rows from double[], and blocks, as
     * readable lines naming the backend; empty when every bit agrees. Floats compare by {@link Float#floatToIntBits}:
     * bit for bit, every NaN being one NaN.
     */
    static List<String> differences(String name, TreeEnsemble model, Answer expected, float[] rows, int count) {
        return differences(name, model, expected, rows, count, 0, new int[1]);
    }

    /**
     * As {@link #differences(String, TreeEnsemble, Answer, float[], int)}, but a float may be up to {@code ulps}
     * apart; {@code inexact[0]} counts the floats of the interpreter's single rows that were not bit-identical.
     */
    static List<String> differences(String name, TreeEnsemble model, Answer expected, float[] rows, int count, int ulps,
                                    int[] inexact) {
        List<String> out = new ArrayList<>(differences(name, new TreeInterpreter(model), expected, rows, count, ulps, inexact));
        if (BytecodeTrees.declineReason(model) == null) {
            out.addAll(differences(name, BytecodeTrees.compile(model), expected, rows, count, ulps, new int[1]));
        }
        return out;
    }

    private static List<String> differences(String name, TreeBackend engine, Answer expected, float[] rows, int count, int ulps,
                                            int[] inexact) {
        TreeShape model = engine.shape();
        String backend = engine.name();
        TreeWorkspace ws = engine.newWorkspace();
        int width = engine.outputWidth();
        int features = model.featureCount();
        float[] single = new float[count * width];
        long[] singleLabels = new long[count];
        float[] fromDoubles = new float[count * width];
        long[] doubleLabels = new long[count];
        double[] row = new double[features];
        for (int r = 0; r < count; r++) {
            singleLabels[r] = engine.score(rows, r * features, single, r * width, ws);
            for (int f = 0; f < features; f++) {
                row[f] = rows[r * features + f];
            }
            doubleLabels[r] = engine.score(row, 0, fromDoubles, r * width, ws);
        }
        float[] block = new float[count * width];
        long[] blockLabels = new long[count];
        engine.scoreBlock(rows, count, block, blockLabels, ws);
        List<String> out = new ArrayList<>();
        if (expected.scores().length != count * width) {
            out.add(name + ": ONNX Runtime gave " + expected.scores().length + " scores for " + count + " rows of " + width);
            return out;
        }
        for (int r = 0; r < count && out.size() < 20; r++) {
            for (int k = 0; k < width; k++) {
                int at = r * width + k;
                float want = expected.scores()[at];
                for (float[] got : new float[][] {single, fromDoubles, block}) {
                    if (Float.floatToIntBits(got[at]) != Float.floatToIntBits(want)) {
                        if (got == single) {
                            inexact[0]++;
                        }
                        if (ulpsApart(got[at], want) <= ulps) {
                            continue;
                        }
                        out.add(name + " row " + r + " " + rowText(rows, r, features) + " score " + k + ": ONNX Runtime "
                                + want + " (" + Integer.toHexString(Float.floatToRawIntBits(want)) + "), " + backend + " " + got[at]
                                + " (" + Integer.toHexString(Float.floatToRawIntBits(got[at])) + ")"
                                + (got == single ? "" : got == block ? " [block]" : " [double row]") + " [" + backend + "]");
                        break;
                    }
                }
            }
            if (expected.labels() != null) {
                for (long code : new long[] {singleLabels[r], doubleLabels[r], blockLabels[r]}) {
                    String label = model.label(code);
                    if (!label.equals(expected.labels()[r])) {
                        out.add(name + " row " + r + " " + rowText(rows, r, features) + ": ONNX Runtime label " + expected.labels()[r]
                                + ", " + backend + " " + label);
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** How many floats lie between {@code a} and {@code b} (both finite or both the same non-finite value). */
    static long ulpsApart(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b) || Float.isInfinite(a) || Float.isInfinite(b)) {
            return Float.floatToIntBits(a) == Float.floatToIntBits(b) ? 0 : Long.MAX_VALUE;
        }
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float f) {
        int bits = Float.floatToIntBits(f);
        return bits < 0 ? (long) Integer.MIN_VALUE - bits : bits;
    }

    private static String rowText(float[] rows, int r, int features) {
        StringBuilder s = new StringBuilder("[");
        for (int f = 0; f < Math.min(features, 12); f++) {
            s.append(f == 0 ? "" : ", ").append(rows[r * features + f]);
        }
        return s.append(features > 12 ? ", ...]" : "]").toString();
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}

package dev.handoff.onnx.internal;

import ai.onnxruntime.OnnxJavaType;
import dev.handoff.InputField;
import dev.handoff.ModelInfo;
import dev.handoff.OutputField;
import dev.handoff.ScoringTimeoutException;
import dev.handoff.internal.StoppableEngine;
import dev.handoff.internal.ScratchPool;
import dev.handoff.internal.tree.TreeBackend;
import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.internal.tree.TreeShape;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;
import dev.handoff.internal.tree.TreeWorkspace;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.OutputColumns;
import dev.handoff.spi.ScoringEngine;

import java.util.List;
import java.util.Set;

/**
 * An ONNX tree-ensemble model served by the compiled tree engine instead of ONNX Runtime: the rows of the tree
 * node's input computed from the bound columns ({@link OnnxTreeFeatures}), scored by a {@link TreeBackend}, and
 * written as the ONNX Runtime path writes them (the same {@link OnnxOutputDecoder}, fed the columns ONNX Runtime
 * would have returned: float tensors widened to double, int64 labels as {@code long[]}, string labels as
 * {@code String[]}, the probabilities in class order whether the graph ends in a ZipMap or not). Holds no native
 * handle.
 *
 * <pre>{@code
 * OnnxTreeModel.Outputs outputs = OnnxTreeModel.outputs(decoder.plan(), backend);   // null: not served
 * ScoringEngine engine = new OnnxTreeModel(info, encoder, decoder, features, backend, outputs);
 * }</pre>
 *
 * <p>Rows go through in blocks of up to {@link #BLOCK_ROWS}; between blocks the call checks its deadline and whether the
 * scorer is being closed, and stops with the exceptions {@link OnnxModel} throws when ONNX Runtime is stopped.
 */
final class OnnxTreeModel implements ScoringEngine, StoppableEngine {
    /** Rows scored between two checks of the deadline and the stop flag (fewer for a model of many features). */
    static final int BLOCK_ROWS = 256;
    /** The most feature values one thread's block holds: 256 KiB of floats, whatever the feature count. */
    private static final int BLOCK_VALUES = 1 << 16;
    /** Fewer rows than this are scored one by one (the backend's single-row path), more as blocks. */
    private static final int SINGLE_ROW_LIMIT = 8;

    private final ModelInfo info;
    private final OnnxInputEncoder encoder;
    private final OnnxOutputDecoder decoder;
    private final OnnxTreeFeatures features;
    private final TreeBackend backend;
    private final Outputs outputs;
    private final boolean doubleInput;
    private final int featureCount;
    private final int width;
    private final int blockRows;
    private final ScratchPool<Scratch> scratch;
    private volatile boolean stopping;

    /**
     * Where each of the decoder's planned outputs (by index in {@link OnnxOutputPlan#plans}) comes from.
     *
     * @param scores the output that holds the scores or probabilities, row-major, {@code width} per row
     * @param label the label output, or -1 for a regressor
     * @param stringLabels whether the label output is a string tensor ({@code String[]}), else int64 ({@code long[]})
     */
    record Outputs(int count, int scores, int label, boolean stringLabels) {
    }

    OnnxTreeModel(ModelInfo info, OnnxInputEncoder encoder, OnnxOutputDecoder decoder, OnnxTreeFeatures features,
                  TreeBackend backend, Outputs outputs) {
        this.info = info;
        this.encoder = encoder;
        this.decoder = decoder;
        this.features = features;
        this.backend = backend;
        this.outputs = outputs;
        this.doubleInput = backend.shape().thresholdType() == ThresholdType.DOUBLE;
        this.featureCount = features.featureCount();
        this.width = backend.outputWidth();
        this.blockRows = Math.max(SINGLE_ROW_LIMIT, Math.min(BLOCK_ROWS, BLOCK_VALUES / Math.max(1, featureCount)));
        this.scratch = new ScratchPool<>(Scratch::new);
    }

    /**
     * How ONNX Runtime's outputs of this graph map onto the backend's scores and labels, or {@code null} with the
     * reason in {@code why[0]} when they do not map exactly (the model then stays on ONNX Runtime).
     */
    static Outputs outputs(OnnxOutputPlan plan, TreeBackend backend, String[] why) {
        List<OnnxOutputPlan.Output> plans = plan.plans;
        TreeShape model = backend.shape();
        int width = backend.outputWidth();
        if (model.kind() == TreeEnsemble.Kind.REGRESSOR) {
            if (plans.size() != 1 || !floatScores(plans.get(0), width)) {
                why[0] = "regressor outputs planned as " + fields(plan) + " not covered";
                return null;
            }
            return new Outputs(1, 0, -1, false);
        }
        if (plans.size() != 2) {
            why[0] = "classifier outputs planned as " + fields(plan) + " not covered";
            return null;
        }
        for (int label = 0; label < 2; label++) {
            OnnxOutputPlan.Output l = plans.get(label);
            OnnxOutputPlan.Output p = plans.get(1 - label);
            boolean labels = l.kind() == OnnxOutputPlan.Kind.TENSOR && width(l.field()) <= 1
                    && (l.type() == OnnxJavaType.STRING || (l.type() == OnnxJavaType.INT64 && model.integerLabels()));
            if (labels && floatScores(p, width)) {
                return new Outputs(2, 1 - label, label, l.type() == OnnxJavaType.STRING);
            }
        }
        why[0] = "classifier outputs planned as " + fields(plan) + " not covered";
        return null;
    }

    /** A float tensor (or the float probabilities of a ZipMap) of {@code width} values per row, as the backend gives. */
    private static boolean floatScores(OnnxOutputPlan.Output p, int width) {
        if (p.type() != OnnxJavaType.FLOAT) {
            return false;
        }
        return p.kind() != OnnxOutputPlan.Kind.TENSOR || width(p.field()) == width || width(p.field()) == -1;
    }

    private static int width(OutputField field) {
        long w = 1;
        for (long d : field.shape()) {
            if (d < 1) {
                return -1;
            }
            w *= d;
        }
        return (int) w;
    }

    private static String fields(OnnxOutputPlan plan) {
        return plan.plans.stream().map(o -> o.name() + " " + o.kind() + " " + o.type()).toList().toString();
    }

    /** The backend that scores (for tests and the engine line). */
    TreeBackend backend() {
        return backend;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<InputField> inputs() {
        return encoder.fields();
    }

    @Override
    public List<OutputField> outputs() {
        return decoder.fields();
    }

    @Override
    public List<String> classes() {
        return decoder.classes();
    }

    @Override
    public Set<String> int32Inputs() {
        return encoder.int32Inputs();
    }

    @Override
    public void score(InputColumns columns, OutputColumns out) {
        score(columns, out, 0, null);
    }

    @Override
    public void score(InputColumns columns, OutputColumns out, long timeoutNanos, String setting) {
        long started = timeoutNanos > 0 ? System.nanoTime() : 0; // no deadline: no clock read
        int rows = columns.rowCount();
        double[] scores = new double[rows * width];
        long[] codes = outputs.label >= 0 ? new long[rows] : null;
        Scratch s = scratch.take().fit(Math.min(rows, blockRows));
        try {
            for (int from = 0; from < rows || from == 0; from += blockRows) {
                checkRunning(rows, started, timeoutNanos, setting);
                int count = Math.min(blockRows, rows - from);
                if (count > 0) {
                    scoreRows(columns, from, count, scores, codes, s);
                }
            }
        } finally {
            scratch.give(s);
        }
        Object[] columnsOut = new Object[outputs.count];
        columnsOut[outputs.scores] = scores;
        if (codes != null) {
            columnsOut[outputs.label] = outputs.stringLabels ? labels(codes) : codes;
        }
        decoder.writeTo(new DecodedColumns(rows, columnsOut), out);
    }

    /** Stops the call as ONNX Runtime's path does: at the deadline, or when a closing scorer has stopped waiting. */
    private void checkRunning(int rows, long started, long timeoutNanos, String setting) {
        if (stopping) {
            throw new IllegalStateException("the scorer for " + info.source() + " was closed while this call ran "
                    + "(it ran past ScorerOptions.closeTimeout and was stopped)");
        }
        if (timeoutNanos > 0 && System.nanoTime() - started >= timeoutNanos) {
            throw new ScoringTimeoutException("scoring " + rows + " row(s) with " + info.source()
                    + " was stopped at the call timeout of " + timeoutNanos / 1_000_000 + " ms (" + setting + ")",
                    timeoutNanos / 1_000_000, null);
        }
    }

    private void scoreRows(InputColumns columns, int from, int count, double[] scores, long[] codes, Scratch s) {
        float[] out = s.out;
        if (count < SINGLE_ROW_LIMIT) {
            for (int r = 0; r < count; r++) {
                long code;
                if (doubleInput) {
                    features.fill(columns, from + r, s.doubleRows, 0, s.features);
                    code = backend.score(s.doubleRows, 0, out, r * width, s.workspace);
                } else {
                    features.fill(columns, from + r, s.floatRows, 0, s.features);
                    code = backend.score(s.floatRows, 0, out, r * width, s.workspace);
                }
                if (codes != null) {
                    codes[from + r] = code;
                }
            }
        } else {
            long[] labels = codes == null ? null : s.labels;
            if (doubleInput) {
                for (int r = 0; r < count; r++) {
                    features.fill(columns, from + r, s.doubleRows, r * featureCount, s.features);
                }
                backend.scoreBlock(s.doubleRows, count, out, labels, s.workspace);
            } else {
                for (int r = 0; r < count; r++) {
                    features.fill(columns, from + r, s.floatRows, r * featureCount, s.features);
                }
                backend.scoreBlock(s.floatRows, count, out, labels, s.workspace);
            }
            if (codes != null) {
                System.arraycopy(labels, 0, codes, from, count);
            }
        }
        int base = from * width;
        for (int i = 0; i < count * width; i++) {
            scores[base + i] = out[i]; // a float tensor read by ONNX Runtime's path: the float widened
        }
    }

    /** The label ONNX Runtime's string tensor holds for each code. */
    private String[] labels(long[] codes) {
        TreeShape model = backend.shape();
        String[] labels = new String[codes.length];
        for (int r = 0; r < codes.length; r++) {
            labels[r] = model.label(codes[r]);
        }
        return labels;
    }

    @Override
    public void stopRunningCalls() {
        stopping = true;
    }

    @Override
    public void close() {
        stopping = true;
        scratch.clear();
    }

    /**
     * One thread's scratch: the rows in hand, their scores and labels, the backend's and the features' workspaces. Sized
     * for the rows a call needs, up to a block, and grown when a larger call comes: a service scoring single rows keeps
     * one row's worth per thread, not a block's. Its arrays are padded ({@link ScratchPool#PAD_BYTES}).
     */
    private final class Scratch {
        float[] floatRows = new float[0];
        double[] doubleRows = new double[0];
        float[] out = new float[0];
        long[] labels = new long[0];
        final TreeWorkspace workspace;
        final Object features;

        Scratch() {
            workspace = backend.newWorkspace();
            features = OnnxTreeModel.this.features.newScratch();
        }

        /** Room for {@code count} rows (at most a block): rows one by one below {@code SINGLE_ROW_LIMIT}, else a block. */
        Scratch fit(int count) {
            int values = (count < SINGLE_ROW_LIMIT ? 1 : count) * featureCount;
            if (doubleInput && doubleRows.length < values) {
                doubleRows = ScratchPool.doubles(values);
            } else if (!doubleInput && floatRows.length < values) {
                floatRows = ScratchPool.floats(values);
            }
            if (out.length < count * width) {
                out = ScratchPool.floats(count * width);
            }
            if (count >= SINGLE_ROW_LIMIT && labels.length < count) {
                labels = ScratchPool.longs(count);
            }
            return this;
        }
    }
}

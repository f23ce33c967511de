package dev.handoff.onnx.internal;

import ai.onnxruntime.OnnxJavaType;
import dev.handoff.internal.ScratchPool;
import dev.handoff.spi.InputColumns;

import java.util.Arrays;
import java.util.List;

/**
 * The features of a tree ensemble behind converter preprocessing ({@code Scaler}, {@code Imputer},
 * {@code OneHotEncoder}, {@code Concat}, ...): the graph's inputs read as the input encoder writes them into their
 * tensors, then the operators run one row at a time, in ONNX Runtime's arithmetic, as flat steps planned at load
 * ({@link OnnxPreprocessingPlanner}). Every value of a row lives at a fixed offset of one of three per-thread
 * registers (reals: float and double values; longs: int64, int32 and bool; strings), so a row allocates nothing.
 *
 * <pre>{@code
 * OnnxTreeCoverage coverage = OnnxTreeReader.read(model);        // coverage.features() is an OnnxPreprocessing.Plan
 * OnnxTreeFeatures features = coverage.features().bind(encoder);
 * Object scratch = features.newScratch();
 * features.fill(columns, row, featureRow, 0, scratch);
 * }</pre>
 *
 * <p>Where ONNX Runtime fails the whole run on a row (a {@code OneHotEncoder} with {@code zeros = 0} meeting an
 * unknown category), {@link #fill} throws {@link dev.handoff.ScoringException}, as the runtime path does.
 */
final class OnnxPreprocessing implements OnnxTreeFeatures {

    /** One graph input read into the registers: its values in tensor order, converted as the encoder converts them. */
    record InputRead(String name, int elemType, long[] rowShape, int width, int offset) {
    }

    /** The per-thread registers of one row. */
    static final class Scratch {
        final double[] reals;
        final long[] longs;
        final String[] strings;

        /** Padded ({@link ScratchPool#PAD_BYTES}): registers written on every call, one set per thread. */
        Scratch(int reals, int longs, int strings) {
            this.reals = ScratchPool.doubles(reals);
            this.longs = ScratchPool.longs(longs);
            this.strings = new String[strings + ScratchPool.PAD_BYTES / 4];
        }
    }

    /** One planned operator: reads and writes registers of the scratch. Immutable and shared by threads. */
    interface Step {
        void run(Scratch scratch);
    }

    /** The load-time result, before the input encoder is planned: {@link #bind} resolves each graph input. */
    record Plan(List<InputRead> inputs, Step[] steps, int reals, int longs, int strings, int outputOffset,
                boolean doubleOutput, int featureCount) implements OnnxTreeFeatures.Plan {

        @Override
        public OnnxTreeFeatures bind(OnnxInputEncoder encoder) {
            OnnxInputEncoder.TensorPlan[] tensors = new OnnxInputEncoder.TensorPlan[inputs.size()];
            for (int i = 0; i < tensors.length; i++) {
                InputRead read = inputs.get(i);
                OnnxInputEncoder.TensorPlan tensor = encoder.tensorPlan(read.name());
                if (tensor == null) {
                    throw new IllegalArgumentException("the preprocessing input '" + read.name() + "' is not among the planned inputs");
                }
                if (tensor.width() != read.width() || !Arrays.equals(tensor.rowShape(), read.rowShape())
                        || tensor.type() != javaType(read.elemType())) {
                    throw new IllegalArgumentException("the preprocessing input '" + read.name() + "' is planned as "
                            + Arrays.toString(tensor.rowShape()) + " " + tensor.type() + " values per row, the graph declares "
                            + Arrays.toString(read.rowShape()) + " " + javaType(read.elemType()));
                }
                tensors[i] = tensor;
            }
            return new OnnxPreprocessing(this, tensors);
        }
    }

    private final Plan plan;
    private final InputRead[] reads;
    private final OnnxInputEncoder.TensorPlan[] tensors;
    private final Step[] steps;

    private OnnxPreprocessing(Plan plan, OnnxInputEncoder.TensorPlan[] tensors) {
        this.plan = plan;
        this.reads = plan.inputs().toArray(new InputRead[0]);
        this.tensors = tensors;
        this.steps = plan.steps().clone();
    }

    @Override
    public int featureCount() {
        return plan.featureCount();
    }

    @Override
    public Object newScratch() {
        return new Scratch(plan.reals(), plan.longs(), plan.strings());
    }

    @Override
    public void fill(InputColumns columns, int row, float[] dest, int offset, Object scratch) {
        Scratch s = (Scratch) scratch;
        run(columns, row, s);
        double[] reals = s.reals;
        int from = plan.outputOffset();
        for (int j = 0, n = plan.featureCount(); j < n; j++) {
            dest[offset + j] = (float) reals[from + j];
        }
    }

    @Override
    public void fill(InputColumns columns, int row, double[] dest, int offset, Object scratch) {
        Scratch s = (Scratch) scratch;
        run(columns, row, s);
        System.arraycopy(s.reals, plan.outputOffset(), dest, offset, plan.featureCount());
    }

    private void run(InputColumns columns, int row, Scratch s) {
        for (int i = 0; i < reads.length; i++) {
            read(reads[i], tensors[i], columns, row, s);
        }
        for (Step step : steps) {
            step.run(s);
        }
    }

    /** Writes the input's row as its tensor holds it (the encoder narrows a double column to float, a number to 0/1 for bool). */
    private static void read(InputRead read, OnnxInputEncoder.TensorPlan tensor, InputColumns columns, int row, Scratch s) {
        int at = read.offset();
        int width = read.width();
        switch (read.elemType()) {
            case OnnxPreprocessingPlanner.FLOAT -> {
                for (int j = 0; j < width; j++) {
                    s.reals[at + j] = (float) tensor.doubleAt(columns, row, j);
                }
            }
            case OnnxPreprocessingPlanner.DOUBLE -> {
                for (int j = 0; j < width; j++) {
                    s.reals[at + j] = tensor.doubleAt(columns, row, j);
                }
            }
            case OnnxPreprocessingPlanner.INT64, OnnxPreprocessingPlanner.INT32 -> {
                for (int j = 0; j < width; j++) {
                    s.longs[at + j] = tensor.longAt(columns, row, j);
                }
            }
            case OnnxPreprocessingPlanner.BOOL -> {
                for (int j = 0; j < width; j++) {
                    s.longs[at + j] = tensor.doubleAt(columns, row, j) != 0 ? 1 : 0;
                }
            }
            case OnnxPreprocessingPlanner.STRING -> s.strings[at] = tensor.stringAt(columns, row);
            default -> throw new IllegalStateException("unplanned input type " + read.elemType());
        }
    }

    static OnnxJavaType javaType(int elemType) {
        return switch (elemType) {
            case OnnxPreprocessingPlanner.FLOAT -> OnnxJavaType.FLOAT;
            case OnnxPreprocessingPlanner.DOUBLE -> OnnxJavaType.DOUBLE;
            case OnnxPreprocessingPlanner.INT64 -> OnnxJavaType.INT64;
            case OnnxPreprocessingPlanner.INT32 -> OnnxJavaType.INT32;
            case OnnxPreprocessingPlanner.BOOL -> OnnxJavaType.BOOL;
            case OnnxPreprocessingPlanner.STRING -> OnnxJavaType.STRING;
            default -> OnnxJavaType.UNKNOWN;
        };
    }
}

package dev.handoff.internal.tree;

import dev.handoff.internal.ScratchPool;

import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * The bytecode backend: a {@link TreeEnsemble}'s trees compiled into hidden classes (nested {@code if}s with the
 * thresholds as constants, {@link TreeBytecodeGenerator}) that give {@link TreeInterpreter}'s bits on every row,
 * several times faster per row.
 *
 * <pre>{@code
 * TreeBackend backend = TreeEngines.backendFor(model); // compiled, or the interpreter where declineReason(model) says why not
 * TreeWorkspace ws = backend.newWorkspace();          // one per thread
 * long label = backend.score(row, 0, out, 0, ws);
 * }</pre>
 *
 * <h2>Same bits as the interpreter</h2>
 * The generated code compares as the interpreter does (a float row against float constants for a FLOAT model, double
 * for DOUBLE; a row of the other type is converted first, as the interpreter converts each value it reads), adds the
 * leaves in the interpreter's order and type (a float or double running sum for one target, the workspace's scores
 * rounded to the threshold type for several), and hands the sums to the same {@link ScoreFinisher}.
 *
 * <h2>Lifetime</h2>
 * The classes are hidden classes defined without {@code STRONG}: they are unloaded once this backend (which holds
 * their only instances) is unreachable. Thread-safe: the generated code has no state; scratch lives in the
 * {@link TreeWorkspace}.
 */
public final class BytecodeTrees implements TreeBackend {
    /** The most nodes compiled: beyond it the interpreter serves (its arrays are smaller than this much code). */
    public static final int MAX_NODES = 1_000_000;

    private final boolean floats;
    private final int targets;
    private final int featureCount;
    /** Holds the model without its nodes ({@link ScoreFinisher#shape}): thresholds and weights live in the generated classes. */
    private final ScoreFinisher finisher;
    private final CompiledTreePart[] parts;
    private final CompiledTreePart first;
    private final int methodCount;
    private final int largestMethod;

    private BytecodeTrees(TreeEnsemble model, TreeBytecodeGenerator generator, CompiledTreePart[] parts) {
        this.floats = model.thresholdType() == ThresholdType.FLOAT;
        this.targets = model.targetCount();
        this.featureCount = model.featureCount();
        this.finisher = new ScoreFinisher(model.shape());
        this.parts = parts;
        this.first = parts[0];
        this.methodCount = generator.methodCount();
        this.largestMethod = generator.largestMethod();
    }

    /**
     * Why {@code model} is not compiled, or null when it is: too many nodes, a tree or leaf too big for a class or
     * method, or anything in the representation this backend does not know (a node mode, aggregation or transform
     * added since, a model that uses more than the ONNX features), which the interpreter then serves.
     */
    public static String declineReason(TreeEnsemble model) {
        String unknown = beyondLimits(model);
        return unknown != null ? unknown : new TreeBytecodeGenerator(model).declined();
    }

    /** What this backend does not know, or a model over {@link #MAX_NODES}; null when neither. */
    private static String beyondLimits(TreeEnsemble model) {
        String unknown = unknownFeature(model);
        if (unknown == null && model.nodeCount() > MAX_NODES) {
            unknown = model.nodeCount() + " nodes, more than the " + MAX_NODES + " compiled";
        }
        return unknown;
    }

    /**
     * Compiles {@code model}.
     *
     * @throws IllegalArgumentException when {@link #declineReason} gives a reason
     * @throws IllegalStateException when the JVM refuses the generated classes (a bug: the interpreter should serve)
     */
    public static BytecodeTrees compile(TreeEnsemble model) {
        String[] why = new String[1];
        BytecodeTrees compiled = compileUnlessDeclined(model, why);
        if (compiled == null) {
            throw new IllegalArgumentException("not compiled: " + why[0]);
        }
        return compiled;
    }

    /**
     * {@link #compile}, or null with {@link #declineReason}'s reason in {@code why[0]}: the model's checks and code layout
     * are worked out once, not once to ask {@code declineReason} and again to compile.
     */
    static BytecodeTrees compileUnlessDeclined(TreeEnsemble model, String[] why) {
        String unknown = beyondLimits(model);
        if (unknown != null) {
            why[0] = unknown;
            return null;
        }
        TreeBytecodeGenerator generator = new TreeBytecodeGenerator(model);
        if (generator.declined() != null) {
            why[0] = generator.declined();
            return null;
        }
        List<byte[]> classes = generator.generate();
        CompiledTreePart[] parts = new CompiledTreePart[classes.size()];
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (int c = 0; c < parts.length; c++) {
            try {
                // not ClassOption.STRONG: the class goes when its instance, held only here, becomes unreachable
                MethodHandles.Lookup hidden = lookup.defineHiddenClass(classes.get(c), true);
                parts[c] = (CompiledTreePart) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
            } catch (Throwable e) {
                if (e instanceof Error && !(e instanceof LinkageError)) {
                    throw (Error) e;
                }
                throw new IllegalStateException("generated tree class " + c + " of " + parts.length + " was refused: " + e, e);
            }
        }
        return new BytecodeTrees(model, generator, parts);
    }

    /** What this backend does not know how to compile, checked on every enum it reads, or null. */
    private static String unknownFeature(TreeEnsemble model) {
        switch (model.kind()) {
            case REGRESSOR:
            case CLASSIFIER:
                break;
            default:
                return "model kind " + model.kind();
        }
        switch (model.aggregation()) {
            case SUM:
            case AVERAGE:
                break;
            default:
                return "aggregation " + model.aggregation();
        }
        switch (model.postTransform()) {
            case NONE:
            case LOGISTIC:
            case SOFTMAX:
            case SOFTMAX_ZERO:
            case PROBIT:
                break;
            default:
                return "post-transform " + model.postTransform();
        }
        TreeEnsemble.NodeMode[] modes = TreeEnsemble.NodeMode.values();
        for (int i = 0; i < model.nodeCount(); i++) {
            TreeEnsemble.NodeMode mode = modes[model.rawMode(i)];
            switch (mode) {
                case LEAF:
                case BRANCH_LEQ:
                case BRANCH_LT:
                case BRANCH_GTE:
                case BRANCH_GT:
                case BRANCH_EQ:
                case BRANCH_NEQ:
                    break;
                default:
                    return "node " + i + " has mode " + mode;
            }
        }
        return null;
    }

    @Override
    public String name() {
        return "bytecode";
    }

    @Override
    public TreeShape shape() {
        return finisher.shape();
    }

    @Override
    public int outputWidth() {
        return targets;
    }

    @Override
    public TreeWorkspace newWorkspace() {
        TreeWorkspace ws = new TreeWorkspace(targets);
        if (floats) {
            ws.rowFloats = ScratchPool.floats(featureCount);
        } else {
            ws.rowDoubles = ScratchPool.doubles(featureCount);
        }
        return ws;
    }

    @Override
    public long score(float[] row, int rowOffset, float[] out, int outOffset, TreeWorkspace ws) {
        checkRows(row.length, rowOffset, 1);
        if (floats) {
            return scoreFloats(row, rowOffset, out, outOffset, ws);
        }
        double[] x = doubleRow(ws);
        for (int f = 0; f < featureCount; f++) {
            x[f] = row[rowOffset + f];
        }
        return scoreDoubles(x, 0, out, outOffset, ws);
    }

    @Override
    public long score(double[] row, int rowOffset, float[] out, int outOffset, TreeWorkspace ws) {
        checkRows(row.length, rowOffset, 1);
        if (!floats) {
            return scoreDoubles(row, rowOffset, out, outOffset, ws);
        }
        float[] x = floatRow(ws);
        for (int f = 0; f < featureCount; f++) {
            x[f] = (float) row[rowOffset + f];
        }
        return scoreFloats(x, 0, out, outOffset, ws);
    }

    /** Row by row through the compiled code: it measured faster than the interpreter's tree-by-tree blocks. */
    @Override
    public void scoreBlock(float[] rows, int rowCount, float[] out, long[] labels, TreeWorkspace ws) {
        checkRows(rows.length, 0, rowCount);
        for (int r = 0; r < rowCount; r++) {
            long label = score(rows, r * featureCount, out, r * targets, ws);
            if (labels != null) {
                labels[r] = label;
            }
        }
    }

    @Override
    public void scoreBlock(double[] rows, int rowCount, float[] out, long[] labels, TreeWorkspace ws) {
        checkRows(rows.length, 0, rowCount);
        for (int r = 0; r < rowCount; r++) {
            long label = score(rows, r * featureCount, out, r * targets, ws);
            if (labels != null) {
                labels[r] = label;
            }
        }
    }

    @Override
    public void sums(double[] row, int rowOffset, double[] sums, int sumsOffset, TreeWorkspace ws) {
        checkRows(row.length, rowOffset, 1);
        checkRegressor(finisher.shape().kind());
        if (floats) {
            float[] x = floatRow(ws);
            for (int f = 0; f < featureCount; f++) {
                x[f] = (float) row[rowOffset + f];
            }
            if (targets == 1) {
                float acc = first.sum(x, 0, 0f);
                for (int p = 1; p < parts.length; p++) {
                    acc = parts[p].sum(x, 0, acc);
                }
                sums[sumsOffset] = acc;
                return;
            }
            clear(ws);
            for (CompiledTreePart part : parts) {
                part.add(x, 0, ws.scores, ws.has);
            }
        } else {
            if (targets == 1) {
                double acc = first.sum(row, rowOffset, 0d);
                for (int p = 1; p < parts.length; p++) {
                    acc = parts[p].sum(row, rowOffset, acc);
                }
                sums[sumsOffset] = acc;
                return;
            }
            clear(ws);
            for (CompiledTreePart part : parts) {
                part.add(row, rowOffset, ws.scores, ws.has);
            }
        }
        System.arraycopy(ws.scores, 0, sums, sumsOffset, targets);
    }

    /** {@link TreeBackend#sums} is a regressor's: a classifier's label and probabilities need its finishing. */
    static void checkRegressor(TreeEnsemble.Kind kind) {
        if (kind != TreeEnsemble.Kind.REGRESSOR) {
            throw new UnsupportedOperationException("running sums of a " + kind + ": only a regressor's are read");
        }
    }

    private long scoreFloats(float[] x, int off, float[] out, int outOffset, TreeWorkspace ws) {
        if (targets == 1) {
            float acc = first.sum(x, off, 0f);
            for (int p = 1; p < parts.length; p++) {
                acc = parts[p].sum(x, off, acc);
            }
            return finisher.finishSingle(acc, out, outOffset);
        }
        clear(ws);
        for (CompiledTreePart part : parts) {
            part.add(x, off, ws.scores, ws.has);
        }
        return finisher.finish(ws.scores, ws.has, 0, out, outOffset);
    }

    private long scoreDoubles(double[] x, int off, float[] out, int outOffset, TreeWorkspace ws) {
        if (targets == 1) {
            double acc = first.sum(x, off, 0d);
            for (int p = 1; p < parts.length; p++) {
                acc = parts[p].sum(x, off, acc);
            }
            return finisher.finishSingle(acc, out, outOffset);
        }
        clear(ws);
        for (CompiledTreePart part : parts) {
            part.add(x, off, ws.scores, ws.has);
        }
        return finisher.finish(ws.scores, ws.has, 0, out, outOffset);
    }

    private void clear(TreeWorkspace ws) {
        for (int k = 0; k < targets; k++) {
            ws.scores[k] = 0d;
            ws.has[k] = false;
        }
    }

    private float[] floatRow(TreeWorkspace ws) {
        if (ws.rowFloats.length < featureCount) {
            ws.rowFloats = ScratchPool.floats(featureCount);
        }
        return ws.rowFloats;
    }

    private double[] doubleRow(TreeWorkspace ws) {
        if (ws.rowDoubles.length < featureCount) {
            ws.rowDoubles = ScratchPool.doubles(featureCount);
        }
        return ws.rowDoubles;
    }

    private void checkRows(int length, int offset, int rows) {
        if (offset < 0 || (long) offset + (long) rows * featureCount > length) {
            throw new IllegalArgumentException("rows of " + featureCount + " features from offset " + offset + " (" + rows
                    + " rows) do not fit in an array of " + length);
        }
    }

    /** The generated classes, one per part (tests: that they are unloaded once this backend is gone). */
    List<Class<?>> generatedClasses() {
        List<Class<?>> out = new java.util.ArrayList<>();
        for (CompiledTreePart part : parts) {
            out.add(part.getClass());
        }
        return out;
    }

    /** Static methods generated. */
    int methodCount() {
        return methodCount;
    }

    /** The longest generated method's bytecode, in bytes: under HotSpot's 8,000-byte compile limit. */
    int largestMethod() {
        return largestMethod;
    }

    @Override
    public String toString() {
        return "bytecode (" + parts.length + " classes, " + methodCount + " methods) for " + finisher.shape();
    }
}

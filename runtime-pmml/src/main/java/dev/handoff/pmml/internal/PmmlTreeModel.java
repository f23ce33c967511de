package dev.handoff.pmml.internal;

import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.ScoringException;
import dev.handoff.InputField.ValueRange;
import dev.handoff.ModelInfo;
import dev.handoff.OutputField;
import dev.handoff.ValueType;
import dev.handoff.Verification;
import dev.handoff.internal.ScratchPool;
import dev.handoff.internal.tree.TreeBackend;
import dev.handoff.internal.tree.TreeInterpreter;
import dev.handoff.internal.tree.TreeWorkspace;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.OutputColumns;
import dev.handoff.spi.ScoringEngine;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A PMML tree model served by the compiled tree engine: the same inputs, outputs, classes, ranges and embedded
 * verification as the JPMML-served {@link PmmlModel} it stands beside, and for every row the same outputs, with
 * the same Java types, or the same "no prediction".
 *
 * <pre>{@code
 * ScoringEngine engine = new PmmlTreeModel(jpmmlModel, info, signature, plan, TreeEngines.backendFor(plan.ensemble));
 * engine.score(columns, outputColumns);
 * }</pre>
 *
 * <p>Rows go through in blocks: {@link PmmlFeatureRow} writes each row's features, the {@link TreeBackend} gives
 * its running sums ({@link TreeBackend#sums}: each tree's result ordinal, or the sum of a head's trees), and the plan's
 * head computes JPMML's value from them. Scratch arrays live in a
 * per-thread holder, so a call allocates only the arrays it hands to the caller; the model is immutable and
 * thread-safe. Two kinds of row take JPMML's own words: one with an invalid string value under
 * {@code returnInvalid} gets {@link PmmlModel}'s rejection for it, and a call holding a whole number beyond
 * {@code int} (which JPMML receives as a {@code Long}), or a missing value for an input that a {@code missing} filter
 * reads (JPMML fails such a row, or not, by the path its trees take), is scored by {@link PmmlModel} whole.
 */
final class PmmlTreeModel implements ScoringEngine {
    private static final int BLOCK = TreeInterpreter.BLOCK_ROWS;

    private final PmmlModel runtime;
    private final ModelInfo info;
    private final PmmlSignature signature;
    // the plan's parts read per call; not the plan itself, whose node arrays the compiled backend does not need
    private final PmmlFeatureRow features;
    private final PmmlRegressionHead regression;
    private final PmmlClassificationHead classification;
    private final int[] outputClasses;
    /** {@link PmmlTreePlan#probabilities}. */
    private final boolean givesProbabilities;
    private final TreeBackend backend;
    private final String[] outputNames;
    /** Per output, whether it is the target (a regression's value goes to those only). */
    private final boolean[] targetOutput;
    /**
     * Per output, whether it holds a number (a regression's target, a class probability) of declared type DOUBLE or
     * FLOAT: then its column is a {@code double[]}, which the shaper reads as the same {@code Double} it makes of a boxed
     * number, and no value is boxed (twice) per row.
     */
    private final boolean[] doubleOutput;
    private final int featureCount;
    private final int width;
    private final ScratchPool<Scratch> scratch;
    private volatile boolean closed;

    PmmlTreeModel(PmmlModel runtime, ModelInfo info, PmmlSignature signature, PmmlTreePlan plan, TreeBackend backend) {
        this.runtime = runtime;
        this.info = info;
        this.signature = signature;
        this.features = plan.features;
        this.regression = plan.regression;
        this.classification = plan.classification;
        this.outputClasses = plan.outputClasses;
        this.givesProbabilities = plan.probabilities;
        this.backend = backend;
        this.outputNames = signature.outputs.stream().map(OutputField::name).toArray(String[]::new);
        this.targetOutput = new boolean[outputNames.length];
        for (int o = 0; o < outputNames.length; o++) {
            targetOutput[o] = outputNames[o].equals(signature.targetName);
        }
        this.doubleOutput = new boolean[outputNames.length];
        for (int o = 0; o < outputNames.length; o++) {
            ValueType type = signature.outputs.get(o).type();
            boolean number = regression != null ? targetOutput[o] : outputClasses[o] >= 0; // a value, a probability
            doubleOutput[o] = number && (type == ValueType.DOUBLE || type == ValueType.FLOAT);
        }
        this.featureCount = backend.shape().featureCount();
        this.width = backend.outputWidth();
        this.scratch = new ScratchPool<>(() -> new Scratch(backend, featureCount, width,
                regression != null ? regression.newScratch() : classification.newScratch()));
    }

    /**
     * One thread's scratch: a block of feature rows, the per-slot results, the backend's workspace, the head's
     * working arrays. Sized for the rows a call needs, up to a block, and grown when a larger call comes: a service
     * scoring single rows keeps one row's worth per thread, not a block's (a model with a slot per tree would hold
     * 200 KiB per thread for nothing).
     */
    private static final class Scratch {
        private final int featureCount;
        private final int width;
        double[] rows = new double[0];
        double[] out = new double[0];
        boolean[] rejected = new boolean[0];
        /** Rows the arrays have room for (their lengths include padding). */
        int capacity;
        final TreeWorkspace ws;
        final PmmlHeadScratch head;

        Scratch(TreeBackend backend, int featureCount, int width, PmmlHeadScratch head) {
            this.featureCount = featureCount;
            this.width = width;
            this.ws = backend.newWorkspace();
            this.head = head;
        }

        /** Room for {@code count} rows (at most a block). */
        Scratch fit(int count) {
            if (capacity < count) {
                capacity = count;
                // padded: two threads' small arrays never share a cache line
                rows = ScratchPool.doubles(count * featureCount);
                out = ScratchPool.doubles(count * width);
                rejected = ScratchPool.booleans(count);
            }
            return this;
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<InputField> inputs() {
        return runtime.inputs();
    }

    @Override
    public List<OutputField> outputs() {
        return runtime.outputs();
    }

    @Override
    public List<String> classes() {
        return runtime.classes();
    }

    @Override
    public Map<String, ValueRange> declaredRanges() {
        return runtime.declaredRanges();
    }

    @Override
    public Optional<Verification> embeddedVerification() {
        return runtime.embeddedVerification();
    }

    @Override
    public void score(InputColumns columns, OutputColumns rows) {
        if (closed) {
            throw new IllegalStateException("the PMML model " + info.source() + " is closed");
        }
        if (!features.integersFit(columns) || !features.filtersDefined(columns)) {
            runtime.score(columns, rows);
            return;
        }
        int n = columns.rowCount();
        Object[] outputValues = new Object[outputNames.length];
        for (int o = 0; o < outputValues.length; o++) {
            // one by one, not new Object[k][n]: HotSpot allocates that in a runtime call
            outputValues[o] = doubleOutput[o] ? new double[n] : new Object[n];
        }
        Scratch s = scratch.take().fit(Math.min(BLOCK, n));
        try {
            if (regression != null) {
                scoreRegression(columns, rows, s, outputValues);
            } else {
                scoreClassification(columns, rows, s, outputValues);
            }
        } finally {
            scratch.give(s);
        }
    }

    /**
     * Features of rows {@code [b, b + count)} through the trees: per slot, its running sum in {@code s.out} (a
     * tree's result ordinal, or a fused head's sum).
     */
    private void walk(InputColumns columns, int b, int count, Scratch s) {
        for (int r = 0; r < count; r++) {
            s.rejected[r] = !features.fill(columns, b + r, s.rows, r * featureCount);
        }
        for (int r = 0; r < count; r++) {
            backend.sums(s.rows, r * featureCount, s.out, r * width, s.ws);
        }
    }

    private void scoreRegression(InputColumns columns, OutputColumns rows, Scratch s, Object[] outputValues) {
        int n = columns.rowCount();
        double[] values = new double[n];
        PmmlRegressionHead head = regression;
        for (int b = 0; b < n; b += BLOCK) {
            int count = Math.min(BLOCK, n - b);
            walk(columns, b, count, s);
            for (int r = 0; r < count; r++) {
                int row = b + r;
                int off = r * width;
                if (s.rejected[r]) {
                    values[row] = Double.NaN;
                    rows.reject(rejection(columns, row));
                    continue;
                }
                double raw = head.value(s.out, off, s.head); // NaN when some tree gave no prediction: only then is that asked
                if (Double.isNaN(raw) && !head.predicts(s.out, off)) {
                    values[row] = Double.NaN;
                    rows.noPrediction(row, noValue());
                    continue;
                }
                double value = head.cast(raw);
                values[row] = value;
                for (int o = 0; o < outputNames.length; o++) {
                    if (targetOutput[o]) {
                        if (outputValues[o] instanceof double[] column) {
                            column[row] = value;
                        } else {
                            ((Object[]) outputValues[o])[row] = head.box(raw);
                        }
                    }
                }
            }
        }
        for (int o = 0; o < outputNames.length; o++) {
            rows.output(outputNames[o], outputValues[o]);
        }
        rows.values(values);
    }

    /** As {@link PmmlModel} shapes a classifier's results: label output, class-ordered probabilities, probability outputs. */
    private void scoreClassification(InputColumns columns, OutputColumns rows, Scratch s, Object[] outputValues) {
        int n = columns.rowCount();
        int k = signature.classes.size();
        double[] probabilities = new double[n * k];
        boolean any = false;
        PmmlClassificationHead head = classification;
        int[] outputClass = outputClasses;
        for (int b = 0; b < n; b += BLOCK) {
            int count = Math.min(BLOCK, n - b);
            walk(columns, b, count, s);
            for (int r = 0; r < count; r++) {
                int row = b + r;
                if (s.rejected[r]) {
                    java.util.Arrays.fill(probabilities, row * k, row * k + k, Double.NaN);
                    rows.reject(rejection(columns, row));
                    continue;
                }
                int c = head.classify(s.out, r * width, probabilities, row * k, s.head);
                if (c < 0) {
                    java.util.Arrays.fill(probabilities, row * k, row * k + k, Double.NaN);
                    String reason = head.noPredictionReason(s.out, r * width);
                    rows.noPrediction(row, reason == null ? noValue() : reason);
                    continue;
                }
                if (!givesProbabilities) {
                    java.util.Arrays.fill(probabilities, row * k, row * k + k, Double.NaN);
                } else {
                    any = true;
                }
                for (int o = 0; o < outputNames.length; o++) {
                    int oc = outputClass[o];
                    if (outputValues[o] instanceof double[] column) {
                        column[row] = probabilities[row * k + oc];
                    } else {
                        ((Object[]) outputValues[o])[row] = oc < 0 ? signature.classValues.get(c) : Double.valueOf(probabilities[row * k + oc]);
                    }
                }
            }
        }
        for (int o = 0; o < outputNames.length; o++) {
            rows.output(outputNames[o], outputValues[o]);
        }
        if (signature.targetName != null) {
            rows.labelOutput(signature.targetName);
        }
        if (any || signature.declaresProbabilities) {
            rows.probabilities(probabilities);
        }
    }

    /** JPMML's own rejection of a row the features found invalid. */
    private InvalidInputException rejection(InputColumns columns, int row) {
        InvalidInputException e = runtime.rejection(columns, row);
        if (e == null) {
            throw new ScoringException("the PMML model " + info.source() + ": the compiled tree engine found an invalid value in row "
                    + row + " that JPMML accepts");
        }
        return e;
    }

    private String noValue() {
        return "the target '" + signature.targetName + "' has no value";
    }

    @Override
    public void close() {
        closed = true;
        scratch.clear();
        runtime.close();
    }

    @Override
    public String toString() {
        return "PmmlTreeModel{" + info.task() + " " + info.source() + ", " + backend.name() + (closed ? ", closed" : "") + "}";
    }
}

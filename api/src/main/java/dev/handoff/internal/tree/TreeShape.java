package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.Aggregation;
import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.PostTransform;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;

import java.util.List;

/**
 * A {@link TreeEnsemble} without its nodes: what a backend and its callers read once the trees are compiled (kind,
 * types, counts, base values, labels). A compiled backend keeps this, not the node arrays, whose thresholds and weights
 * live in its generated code.
 *
 * <pre>{@code
 * TreeShape shape = backend.shape();
 * boolean doubles = shape.thresholdType() == ThresholdType.DOUBLE;
 * String label = shape.label(backend.score(row, 0, out, 0, ws));
 * }</pre>
 */
public final class TreeShape {
    private final Kind kind;
    private final ThresholdType thresholdType;
    private final int featureCount;
    private final int targetCount;
    private final int treeCount;
    private final int nodeCount;
    private final Aggregation aggregation;
    private final PostTransform postTransform;
    private final double[] baseValues;
    private final List<String> classLabels;
    private final long[] labelCodes;
    private final boolean integerLabels;
    private final boolean binaryCase;
    private final boolean weightsAllPositive;

    TreeShape(TreeEnsemble model) {
        this.kind = model.kind();
        this.thresholdType = model.thresholdType();
        this.featureCount = model.featureCount();
        this.targetCount = model.targetCount();
        this.treeCount = model.treeCount();
        this.nodeCount = model.nodeCount();
        this.aggregation = model.aggregation();
        this.postTransform = model.postTransform();
        this.baseValues = model.baseValues();
        this.classLabels = model.classLabels();
        this.labelCodes = new long[model.kind() == Kind.CLASSIFIER ? model.targetCount() : 0];
        for (int k = 0; k < labelCodes.length; k++) {
            labelCodes[k] = model.labelCode(k);
        }
        this.integerLabels = model.integerLabels();
        this.binaryCase = model.binaryCase();
        this.weightsAllPositive = model.weightsAllPositive();
    }

    public Kind kind() {
        return kind;
    }

    public ThresholdType thresholdType() {
        return thresholdType;
    }

    public int featureCount() {
        return featureCount;
    }

    /** Regression targets, or classes; also the number of scores per row. */
    public int targetCount() {
        return targetCount;
    }

    public int treeCount() {
        return treeCount;
    }

    public int nodeCount() {
        return nodeCount;
    }

    public Aggregation aggregation() {
        return aggregation;
    }

    public PostTransform postTransform() {
        return postTransform;
    }

    /** Base values: none, one per target, or (ONNX Runtime's binary classifier) one for two classes. */
    public double[] baseValues() {
        return baseValues.clone();
    }

    /** A classifier's labels in class order; empty for a regressor. */
    public List<String> classLabels() {
        return classLabels;
    }

    /** {@link TreeEnsemble#labelCode}. */
    public long labelCode(int k) {
        return labelCodes[k];
    }

    /** {@link TreeEnsemble#integerLabels}. */
    public boolean integerLabels() {
        return integerLabels;
    }

    /** {@link TreeEnsemble#label}: the label a code stands for. */
    public String label(long code) {
        return label(integerLabels, classLabels, code);
    }

    static String label(boolean integerLabels, List<String> classLabels, long code) {
        return integerLabels ? Long.toString(code) : classLabels.get((int) code);
    }

    /** {@link TreeEnsemble#binaryCase}. */
    public boolean binaryCase() {
        return binaryCase;
    }

    /** {@link TreeEnsemble#weightsAllPositive}. */
    public boolean weightsAllPositive() {
        return weightsAllPositive;
    }

    @Override
    public String toString() {
        return "TreeShape{" + kind + " " + thresholdType + ", " + treeCount + " trees, " + nodeCount + " nodes, " + featureCount
                + " features, " + targetCount + " targets}";
    }
}

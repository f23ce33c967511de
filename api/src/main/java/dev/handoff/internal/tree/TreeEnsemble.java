package dev.handoff.internal.tree;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A tree-ensemble model in one flat, immutable form that every format reader produces and every tree
 * backend evaluates: the trees in pre-order as a struct of arrays, how their leaves are aggregated, the
 * post-transform, and a classifier's labels.
 *
 * <pre>{@code
 * TreeEnsemble model = TreeEnsemble.builder(Kind.REGRESSOR, ThresholdType.FLOAT, 10, 1)
 *         .trees(new int[] {0}, feature, threshold, mode, missingTracksTrue, trueChild)
 *         .leafWeights(weightStart, weightCount, weightTarget, weightValue)
 *         .build();
 * double[] row = ...;
 * new TreeInterpreter(model).score(row, out, 0);
 * }</pre>
 *
 * <h2>Layout</h2>
 * Node {@code i} of the flat arrays is a branch or a leaf ({@link #mode(int)}). A branch compares feature
 * {@link #feature(int)} with {@link #value(int)}; when the comparison holds (or the value is NaN and
 * {@link #missingTracksTrue(int)}) the walk goes to {@link #trueChild(int)}, otherwise to {@code i + 1}: every
 * tree is laid out in pre-order with its false child right after the branch. Tree {@code t} occupies
 * {@code [treeStart(t), treeStart(t + 1))}. A true child always lies after its branch inside the same tree,
 * so every walk ends at a leaf in fewer steps than the tree has nodes: no cycle can be expressed.
 *
 * <p>A leaf's {@link #value(int)} is the weight a single-target model adds for it (ONNX Runtime's
 * {@code value_or_unique_weight}); its full list of (target, weight) pairs is
 * {@code weightTarget/weightValue[weightStart(i) .. weightStart(i) + weightCount(i))}, in the order they are
 * added.
 *
 * <p>A threshold may be NaN, with IEEE semantics that every backend keeps: {@code EQ} against NaN with
 * {@link #missingTracksTrue(int)} tests whether the value is missing, {@code NEQ} against NaN always jumps. The PMML
 * reader encodes multiway nodes, three-valued predicates and missing-value strategies this way, so a true child may
 * be shared by several branches (the trees are DAGs laid out in pre-order, every jump forward).
 *
 * <p>{@link ThresholdType} says in which type the source compares and sums: {@code FLOAT} (ONNX float
 * inputs) compares the input narrowed to float against float thresholds and sums in float; {@code DOUBLE}
 * compares and sums in double. Values are stored as doubles in both cases (a float widens exactly).
 *
 * <p>Validated at construction: every index lies inside its array and its tree, true children point
 * forward, feature indexes are below the feature count, float models hold only float values, and the node
 * count is at most {@link #MAX_NODES}. A violation throws {@link IllegalArgumentException} naming the tree,
 * the node and the value.
 */
public final class TreeEnsemble {
    /** The most nodes one model may have (all trees together): 2^26, far above any real export. */
    public static final int MAX_NODES = 1 << 26;

    /** Regression (targets are outputs) or classification (targets are classes, with labels). */
    public enum Kind { REGRESSOR, CLASSIFIER }

    /** The type in which the source runtime compares features with thresholds and sums leaf weights. */
    public enum ThresholdType { FLOAT, DOUBLE }

    /** A node's comparison; {@code LEAF} ends the walk. The branch is taken when {@code x OP value} holds. */
    public enum NodeMode { LEAF, BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ }

    /** How the trees' contributions to one target are combined before the base values are added. */
    public enum Aggregation { SUM, AVERAGE }

    /** The function applied to the aggregated scores, with ONNX Runtime's formulas (see {@link OrtMath}). */
    public enum PostTransform { NONE, LOGISTIC, SOFTMAX, SOFTMAX_ZERO, PROBIT }

    private final Kind kind;
    private final ThresholdType thresholdType;
    private final int featureCount;
    private final int targetCount;
    private final int[] treeStart;
    private final int[] feature;
    private final double[] value;
    private final byte[] mode;
    private final boolean[] missingTracksTrue;
    private final int[] trueChild;
    private final int[] weightStart;
    private final int[] weightCount;
    private final int[] weightTarget;
    private final double[] weightValue;
    private final Aggregation aggregation;
    private final PostTransform postTransform;
    private final double[] baseValues;
    private final List<String> classLabels;
    private final long[] labelCodes;
    private final boolean integerLabels;
    private final boolean binaryCase;
    private final boolean weightsAllPositive;

    private TreeEnsemble(Builder b) {
        this.kind = b.kind;
        this.thresholdType = b.thresholdType;
        this.featureCount = b.featureCount;
        this.targetCount = b.targetCount;
        this.treeStart = b.treeStart.clone();
        this.feature = b.feature.clone();
        this.value = b.value.clone();
        this.mode = b.mode.clone();
        this.missingTracksTrue = b.missingTracksTrue.clone();
        this.trueChild = b.trueChild.clone();
        this.weightStart = b.weightStart.clone();
        this.weightCount = b.weightCount.clone();
        this.weightTarget = b.weightTarget.clone();
        this.weightValue = b.weightValue.clone();
        this.aggregation = b.aggregation;
        this.postTransform = b.postTransform;
        this.baseValues = b.baseValues.clone();
        this.classLabels = b.classLabels == null ? List.of() : List.copyOf(b.classLabels);
        this.labelCodes = b.labelCodes == null ? new long[0] : b.labelCodes.clone();
        this.integerLabels = b.integerLabels;
        this.binaryCase = b.binaryCase;
        this.weightsAllPositive = b.weightsAllPositive;
        TreeEnsembleValidation.validate(this);
    }

    /**
     * Starts a model.
     *
     * @param featureCount the width of an input row; every branch reads a feature below it
     * @param targetCount regression targets, or classes for a classifier
     */
    public static Builder builder(Kind kind, ThresholdType thresholdType, int featureCount, int targetCount) {
        return new Builder(kind, thresholdType, featureCount, targetCount);
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
        return treeStart.length;
    }

    public int nodeCount() {
        return feature.length;
    }

    /** First node of tree {@code t}; {@code treeStart(treeCount())} is {@link #nodeCount()}. */
    public int treeStart(int t) {
        return t == treeStart.length ? feature.length : treeStart[t];
    }

    public NodeMode mode(int node) {
        return NodeMode.values()[mode[node]];
    }

    public boolean isLeaf(int node) {
        return mode[node] == 0;
    }

    public int feature(int node) {
        return feature[node];
    }

    /** A branch's threshold, or a leaf's single-target weight. */
    public double value(int node) {
        return value[node];
    }

    public boolean missingTracksTrue(int node) {
        return missingTracksTrue[node];
    }

    public int trueChild(int node) {
        return trueChild[node];
    }

    public int weightStart(int node) {
        return weightStart[node];
    }

    public int weightCount(int node) {
        return weightCount[node];
    }

    public int weightTarget(int w) {
        return weightTarget[w];
    }

    public double weightValue(int w) {
        return weightValue[w];
    }

    public int weightTotal() {
        return weightValue.length;
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

    int baseValueCount() {
        return baseValues.length;
    }

    double baseValue(int k) {
        return baseValues[k];
    }

    /** A classifier's labels in class order; empty for a regressor. */
    public List<String> classLabels() {
        return classLabels;
    }

    /**
     * The label code of class {@code k}, what {@link TreeInterpreter} returns: the int64 label itself for
     * integer labels, the class index for string labels (ONNX Runtime's convention).
     */
    public long labelCode(int k) {
        return labelCodes[k];
    }

    /** Whether labels are int64 values (a label code is then the label), not strings (a code is an index). */
    public boolean integerLabels() {
        return integerLabels;
    }

    /**
     * The label a code stands for. ONNX Runtime's two-class rule may return codes 0 and 1 for a model whose
     * integer labels are other values: then the code itself, in decimal.
     */
    public String label(long code) {
        return TreeShape.label(integerLabels, classLabels, code);
    }

    /** This model without its nodes, what a compiled backend keeps. */
    public TreeShape shape() {
        return new TreeShape(this);
    }

    /** ONNX Runtime's binary case: two classes and every leaf weight names the same one. */
    public boolean binaryCase() {
        return binaryCase;
    }

    /** ONNX Runtime's flag for the binary case: no class weight is negative (then 0.5 decides, else 0). */
    public boolean weightsAllPositive() {
        return weightsAllPositive;
    }

    byte rawMode(int node) {
        return mode[node];
    }

    /**
     * This regressor with the same trees but other leaf weights ({@link Builder#leafWeights}'s arrays): {@code targetCount}
     * targets, node {@code i}'s run {@code [weightStart[i], weightStart[i] + weightCount[i])}, weight {@code w} going to
     * {@code weightTarget[w]} with value {@code weightValue[w]}. For one target a leaf's single weight is also its
     * {@link #value}, which the single-target backends add.
     *
     * @throws IllegalArgumentException when this is a classifier, a single-target leaf has other than one weight, or the
     *                                  result is invalid
     */
    public TreeEnsemble withLeafWeights(int targetCount, int[] weightStart, int[] weightCount, int[] weightTarget,
                                        double[] weightValue) {
        if (kind != Kind.REGRESSOR) {
            throw new IllegalArgumentException("leaf weights are replaced only in a regressor, not a " + kind);
        }
        if (weightStart.length != mode.length || weightCount.length != mode.length) {
            throw new IllegalArgumentException(weightStart.length + " and " + weightCount.length + " runs for " + mode.length + " nodes");
        }
        double[] values = value.clone();
        if (targetCount == 1) {
            for (int i = 0; i < mode.length; i++) {
                if (mode[i] == 0) {
                    if (weightCount[i] != 1) {
                        throw new IllegalArgumentException("leaf " + i + " of a single-target model has " + weightCount[i] + " weights");
                    }
                    values[i] = weightValue[weightStart[i]];
                }
            }
        }
        return builder(kind, thresholdType, featureCount, targetCount)
                .trees(treeStart, feature, values, mode, missingTracksTrue, trueChild)
                .leafWeights(weightStart, weightCount, weightTarget, weightValue)
                .aggregation(aggregation)
                .postTransform(postTransform)
                .baseValues(baseValues)
                .build();
    }

    /** {@link #withLeafWeights(int, int[], int[], int[], double[])} keeping each node's run of weights. */
    public TreeEnsemble withLeafWeights(int targetCount, int[] weightTarget, double[] weightValue) {
        if (weightTarget.length != this.weightTarget.length || weightValue.length != this.weightValue.length) {
            throw new IllegalArgumentException(weightTarget.length + " targets and " + weightValue.length + " values for "
                    + this.weightTarget.length + " weights");
        }
        return withLeafWeights(targetCount, weightStart, weightCount, weightTarget, weightValue);
    }

    @Override
    public String toString() {
        return kind + " " + thresholdType + " " + treeCount() + " trees, " + nodeCount() + " nodes, " + featureCount
                + " features, " + targetCount + " targets, " + aggregation + ", " + postTransform;
    }

    /** Collects the arrays of a {@link TreeEnsemble}; {@link #build()} copies and validates them. */
    public static final class Builder {
        private final Kind kind;
        private final ThresholdType thresholdType;
        private final int featureCount;
        private final int targetCount;
        private int[] treeStart = new int[0];
        private int[] feature = new int[0];
        private double[] value = new double[0];
        private byte[] mode = new byte[0];
        private boolean[] missingTracksTrue = new boolean[0];
        private int[] trueChild = new int[0];
        private int[] weightStart = new int[0];
        private int[] weightCount = new int[0];
        private int[] weightTarget = new int[0];
        private double[] weightValue = new double[0];
        private Aggregation aggregation = Aggregation.SUM;
        private PostTransform postTransform = PostTransform.NONE;
        private double[] baseValues = new double[0];
        private List<String> classLabels;
        private long[] labelCodes;
        private boolean integerLabels;
        private boolean binaryCase;
        private boolean weightsAllPositive;

        private Builder(Kind kind, ThresholdType thresholdType, int featureCount, int targetCount) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.thresholdType = Objects.requireNonNull(thresholdType, "thresholdType");
            if (featureCount < 1) {
                throw new IllegalArgumentException("featureCount must be at least 1, was " + featureCount);
            }
            if (targetCount < 1) {
                throw new IllegalArgumentException("targetCount must be at least 1, was " + targetCount);
            }
            this.featureCount = featureCount;
            this.targetCount = targetCount;
        }

        /**
         * The nodes, in pre-order per tree, trees one after another.
         *
         * @param treeStart first node of each tree, ascending, starting at 0
         * @param mode each node's {@link NodeMode} ordinal
         * @param value a branch's threshold, a leaf's single-target weight
         * @param trueChild a branch's true child (ignored for a leaf)
         */
        public Builder trees(int[] treeStart, int[] feature, double[] value, byte[] mode, boolean[] missingTracksTrue,
                             int[] trueChild) {
            this.treeStart = Objects.requireNonNull(treeStart, "treeStart");
            this.feature = Objects.requireNonNull(feature, "feature");
            this.value = Objects.requireNonNull(value, "value");
            this.mode = Objects.requireNonNull(mode, "mode");
            this.missingTracksTrue = Objects.requireNonNull(missingTracksTrue, "missingTracksTrue");
            this.trueChild = Objects.requireNonNull(trueChild, "trueChild");
            return this;
        }

        /** Each node's run of (target, weight) pairs; a branch's run must be empty. */
        public Builder leafWeights(int[] weightStart, int[] weightCount, int[] weightTarget, double[] weightValue) {
            this.weightStart = Objects.requireNonNull(weightStart, "weightStart");
            this.weightCount = Objects.requireNonNull(weightCount, "weightCount");
            this.weightTarget = Objects.requireNonNull(weightTarget, "weightTarget");
            this.weightValue = Objects.requireNonNull(weightValue, "weightValue");
            return this;
        }

        public Builder aggregation(Aggregation aggregation) {
            this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
            return this;
        }

        public Builder postTransform(PostTransform postTransform) {
            this.postTransform = Objects.requireNonNull(postTransform, "postTransform");
            return this;
        }

        public Builder baseValues(double... baseValues) {
            this.baseValues = Objects.requireNonNull(baseValues, "baseValues");
            return this;
        }

        /**
         * A classifier's labels and ONNX Runtime's binary-classifier flags.
         *
         * @param labels the labels in class order (int64 labels in decimal)
         * @param integerLabels whether the labels are int64 values (else strings)
         */
        public Builder classes(List<String> labels, boolean integerLabels, boolean binaryCase, boolean weightsAllPositive) {
            this.classLabels = List.copyOf(Objects.requireNonNull(labels, "labels"));
            this.integerLabels = integerLabels;
            this.labelCodes = new long[labels.size()];
            for (int k = 0; k < labels.size(); k++) {
                if (integerLabels) {
                    try {
                        labelCodes[k] = Long.parseLong(labels.get(k));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("integer class label " + k + " is not an int64: '" + labels.get(k) + "'");
                    }
                } else {
                    labelCodes[k] = k;
                }
            }
            this.binaryCase = binaryCase;
            this.weightsAllPositive = weightsAllPositive;
            return this;
        }

        public TreeEnsemble build() {
            return new TreeEnsemble(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TreeEnsemble)) {
            return false;
        }
        TreeEnsemble t = (TreeEnsemble) o;
        return kind == t.kind && thresholdType == t.thresholdType && featureCount == t.featureCount && targetCount == t.targetCount
                && Arrays.equals(treeStart, t.treeStart) && Arrays.equals(feature, t.feature) && Arrays.equals(value, t.value)
                && Arrays.equals(mode, t.mode) && Arrays.equals(missingTracksTrue, t.missingTracksTrue)
                && Arrays.equals(trueChild, t.trueChild) && Arrays.equals(weightStart, t.weightStart)
                && Arrays.equals(weightCount, t.weightCount) && Arrays.equals(weightTarget, t.weightTarget)
                && Arrays.equals(weightValue, t.weightValue) && aggregation == t.aggregation && postTransform == t.postTransform
                && Arrays.equals(baseValues, t.baseValues) && classLabels.equals(t.classLabels) && integerLabels == t.integerLabels
                && binaryCase == t.binaryCase && weightsAllPositive == t.weightsAllPositive;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, thresholdType, featureCount, targetCount, Arrays.hashCode(feature), Arrays.hashCode(value));
    }

    // package-private raw access for the interpreter (no copies on the hot path)
    int[] featureArray() {
        return feature;
    }

    double[] valueArray() {
        return value;
    }

    byte[] modeArray() {
        return mode;
    }

    boolean[] missingArray() {
        return missingTracksTrue;
    }

    int[] trueChildArray() {
        return trueChild;
    }

    int[] treeStartArray() {
        return treeStart;
    }

    int[] weightStartArray() {
        return weightStart;
    }

    int[] weightCountArray() {
        return weightCount;
    }

    int[] weightTargetArray() {
        return weightTarget;
    }

    double[] weightValueArray() {
        return weightValue;
    }
}

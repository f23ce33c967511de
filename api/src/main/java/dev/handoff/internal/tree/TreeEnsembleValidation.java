package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.PostTransform;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;

/**
 * The checks a {@link TreeEnsemble} passes at construction, so that no walk can leave its tree, loop, or read
 * outside a row, and no row can reach a case ONNX Runtime leaves undefined. Each failure names the tree, the
 * node and the offending value.
 */
final class TreeEnsembleValidation {
    private TreeEnsembleValidation() {
    }

    static void validate(TreeEnsemble m) {
        int n = m.featureArray().length;
        if (n == 0) {
            throw new IllegalArgumentException("a tree ensemble needs at least one node");
        }
        if (n > TreeEnsemble.MAX_NODES) {
            throw new IllegalArgumentException("too many nodes: " + n + " (at most " + TreeEnsemble.MAX_NODES + ")");
        }
        sameLength("value", m.valueArray().length, n);
        sameLength("mode", m.modeArray().length, n);
        sameLength("missingTracksTrue", m.missingArray().length, n);
        sameLength("trueChild", m.trueChildArray().length, n);
        sameLength("weightStart", m.weightStartArray().length, n);
        sameLength("weightCount", m.weightCountArray().length, n);
        if (m.weightTargetArray().length != m.weightValueArray().length) {
            throw new IllegalArgumentException("weightTarget has " + m.weightTargetArray().length + " entries but weightValue has "
                    + m.weightValueArray().length);
        }
        int[] starts = m.treeStartArray();
        if (starts.length == 0 || starts[0] != 0) {
            throw new IllegalArgumentException("the first tree must start at node 0");
        }
        for (int t = 1; t < starts.length; t++) {
            if (starts[t] <= starts[t - 1] || starts[t] >= n) {
                throw new IllegalArgumentException("tree " + t + " starts at node " + starts[t] + ", expected after node "
                        + starts[t - 1] + " and before " + n);
            }
        }
        boolean floats = m.thresholdType() == ThresholdType.FLOAT;
        int targets = m.targetCount();
        int weights = m.weightValueArray().length;
        for (int t = 0; t < starts.length; t++) {
            int end = m.treeStart(t + 1);
            for (int i = starts[t]; i < end; i++) {
                byte mode = m.modeArray()[i];
                if (mode < 0 || mode >= TreeEnsemble.NodeMode.values().length) {
                    throw new IllegalArgumentException(where(t, i) + "has mode " + mode + ", expected 0 to "
                            + (TreeEnsemble.NodeMode.values().length - 1));
                }
                double v = m.valueArray()[i];
                if (floats && !Double.isNaN(v) && (double) (float) v != v) {
                    throw new IllegalArgumentException(where(t, i) + "holds " + v + ", not a float value, in a FLOAT model");
                }
                int ws = m.weightStartArray()[i];
                int wc = m.weightCountArray()[i];
                if (mode == 0) {
                    if (ws < 0 || wc < 0 || ws > weights - wc) {
                        throw new IllegalArgumentException(where(t, i) + "has weights [" + ws + ", " + ws + " + " + wc
                                + ") outside the " + weights + " weights");
                    }
                    for (int w = ws; w < ws + wc; w++) {
                        int target = m.weightTargetArray()[w];
                        if (target < 0 || target >= targets) {
                            throw new IllegalArgumentException(where(t, i) + "gives weight " + w + " to target " + target
                                    + ", expected 0 to " + (targets - 1));
                        }
                        double wv = m.weightValueArray()[w];
                        if (floats && !Double.isNaN(wv) && (double) (float) wv != wv) {
                            throw new IllegalArgumentException(where(t, i) + "weight " + w + " is " + wv + ", not a float value");
                        }
                    }
                    if (m.kind() == Kind.CLASSIFIER && wc == 0) {
                        throw new IllegalArgumentException(where(t, i) + "is a classifier leaf without weights");
                    }
                    continue;
                }
                if (wc != 0) {
                    throw new IllegalArgumentException(where(t, i) + "is a branch with " + wc + " leaf weights");
                }
                int f = m.featureArray()[i];
                if (f < 0 || f >= m.featureCount()) {
                    throw new IllegalArgumentException(where(t, i) + "reads feature " + f + ", expected 0 to "
                            + (m.featureCount() - 1));
                }
                if (i + 1 >= end) {
                    throw new IllegalArgumentException(where(t, i) + "is a branch at the end of its tree: its false child "
                            + (i + 1) + " is outside [" + starts[t] + ", " + end + ")");
                }
                int tc = m.trueChildArray()[i];
                if (tc <= i || tc >= end) {
                    throw new IllegalArgumentException(where(t, i) + "has true child " + tc + ", expected a node after it in its tree ["
                            + (i + 1) + ", " + end + ")");
                }
            }
        }
        validateOutputs(m);
    }

    private static void validateOutputs(TreeEnsemble m) {
        int targets = m.targetCount();
        int bases = m.baseValueCount();
        if (floats(m)) {
            for (int k = 0; k < bases; k++) {
                double b = m.baseValue(k);
                if (!Double.isNaN(b) && (double) (float) b != b) {
                    throw new IllegalArgumentException("base value " + k + " is " + b + ", not a float value, in a FLOAT model");
                }
            }
        }
        if (m.kind() == Kind.REGRESSOR) {
            if (!m.classLabels().isEmpty()) {
                throw new IllegalArgumentException("a regressor has no class labels, got " + m.classLabels().size());
            }
            if (bases != 0 && bases != targets) {
                throw new IllegalArgumentException("base values: " + bases + " given, expected none or one per target (" + targets + ")");
            }
            return;
        }
        if (m.classLabels().size() != targets) {
            throw new IllegalArgumentException("a classifier with " + targets + " classes has " + m.classLabels().size() + " labels");
        }
        if (targets < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + targets);
        }
        if (targets == 2) {
            // ONNX Runtime leaves the second probability unwritten when one score is left without the binary rule,
            // and PROBIT writes only the first: rows there have no defined answer, so such models are refused.
            if (!(bases == 0 || bases == 2 || (bases == 1 && m.binaryCase()))) {
                throw new IllegalArgumentException("a two-class classifier takes none or two base values (one only in the binary case), got "
                        + bases);
            }
            if (m.postTransform() == PostTransform.PROBIT) {
                throw new IllegalArgumentException("PROBIT on a two-class classifier has no defined second probability");
            }
        } else if (bases != 0 && bases != targets) {
            throw new IllegalArgumentException("base values: " + bases + " given, expected none or one per class (" + targets + ")");
        }
        if (m.binaryCase() && targets != 2) {
            throw new IllegalArgumentException("the binary case needs exactly 2 classes, got " + targets);
        }
    }

    private static boolean floats(TreeEnsemble m) {
        return m.thresholdType() == ThresholdType.FLOAT;
    }

    private static void sameLength(String name, int length, int nodes) {
        if (length != nodes) {
            throw new IllegalArgumentException(name + " has " + length + " entries, expected one per node (" + nodes + ")");
        }
    }

    private static String where(int tree, int node) {
        return "tree " + tree + " node " + node + " ";
    }
}

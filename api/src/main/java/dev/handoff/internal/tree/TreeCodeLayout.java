package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Plans the code {@link TreeBytecodeGenerator} writes for a model within the JVM's limits, from upper bounds of each
 * node's bytes: which subtrees get a static method of their own (a subtree past {@link #METHOD_BUDGET}, biggest child
 * first; a subtree several branches share, unless it is small enough to copy), and which consecutive trees share a
 * method (up to the budget) and a class (up to {@link #CLASS_BUDGET} constants).
 *
 * <pre>{@code
 * TreeCodeLayout plan = new TreeCodeLayout(model);
 * if (plan.declined() == null) {
 *     for (List<int[]> methods : plan.layout()) { ... }   // per class, per method: [first tree, end tree)
 *     plan.cut(node);                                     // whether node roots its own method
 * }
 * }</pre>
 */
final class TreeCodeLayout {
    /** Estimated bytes per method at most: half of HotSpot's 8,000-byte limit, so compiled code stays small too. */
    static final int METHOD_BUDGET = 4_000;
    /** Constant-pool entries per class at most, counted from above (a double takes two, a method four), under the 65,535
     * limit with room for the few the class itself needs. */
    static final int CLASS_BUDGET = 60_000;

    // upper bounds of the bytes each piece of code takes
    private static final int BRANCH_BYTES = 28; // two loads of a wide feature index, ldc_w, compare, two jumps
    private static final int CALL_BYTES = 12;
    private static final int SUM_LEAF_BYTES = 10;
    private static final int WEIGHTS_LEAF_BYTES = 4;
    private static final int WEIGHT_BYTES = 20;
    private static final int TREE_BYTES = 4;
    private static final int METHOD_CONSTANTS = 4;
    /**
     * A shared subtree up to this many bytes is copied under each branch that reaches it rather than called (the PMML
     * HGB file: 2.24 us a row instead of 2.58 with calls from three calls' size up); where the copies would pass the
     * limit of {@link #copiesOfSharedSubtrees}, {@link #SHARED_CALLED} instead.
     */
    private static final int SHARED_INLINE = 1_000;
    private static final int SHARED_CALLED = 3 * CALL_BYTES;

    private final TreeEnsemble model;
    private final boolean floats;
    private final boolean weights;
    /** Upper bound of the bytes of a node's subtree written inline (its cut children as calls). */
    private final int[] size;
    /** Whether a node roots its own static method. */
    private final boolean[] cut;
    /** Per class, per method, the trees it holds (first and end tree, exclusive). */
    private final List<List<int[]>> layout = new ArrayList<>();
    private final String declined;

    TreeCodeLayout(TreeEnsemble model) {
        this.model = model;
        this.floats = model.thresholdType() == ThresholdType.FLOAT;
        this.weights = model.targetCount() > 1;
        int n = model.nodeCount();
        this.size = new int[n];
        this.cut = new boolean[n];
        String why = cutSubtrees(SHARED_INLINE);
        if (why == null && copiesOfSharedSubtrees() != null) {
            Arrays.fill(cut, false);
            why = cutSubtrees(SHARED_CALLED);
        }
        if (why == null) {
            why = copiesOfSharedSubtrees();
        }
        if (why == null) {
            why = packTrees();
        }
        this.declined = why;
    }

    /** Why this model is not compiled (a leaf or a tree too big for the limits), or null. */
    String declined() {
        return declined;
    }

    /** Whether {@code node} roots its own static method. */
    boolean cut(int node) {
        return cut[node];
    }

    /** Per class, per method, the trees it holds ({@code [first, end)}). */
    List<List<int[]>> layout() {
        return layout;
    }

    /**
     * Bottom-up over the nodes (a child's index is above its parent's): a node's inline size is its branch plus its
     * children's; past the budget, its biggest child is cut into a method of its own. A subtree with several parents
     * (the representation is a DAG: the PMML reader shares subtrees) is cut too above {@code sharedInline} bytes, so
     * it is written once.
     */
    private String cutSubtrees(int sharedInline) {
        int[] parents = new int[model.nodeCount()];
        for (int i = 0; i < model.nodeCount(); i++) {
            if (!model.isLeaf(i)) {
                parents[i + 1]++;
                parents[model.trueChild(i)]++;
            }
        }
        for (int i = model.nodeCount() - 1; i >= 0; i--) {
            if (model.isLeaf(i)) {
                size[i] = weights ? WEIGHTS_LEAF_BYTES + WEIGHT_BYTES * model.weightCount(i) : SUM_LEAF_BYTES;
                if (size[i] > METHOD_BUDGET / 2) {
                    return "leaf " + i + " has " + model.weightCount(i) + " weights, too many for one method";
                }
            } else {
                int f = i + 1;
                int t = model.trueChild(i);
                while (true) {
                    int s = BRANCH_BYTES + inline(f) + inline(t);
                    if (s <= METHOD_BUDGET) {
                        size[i] = s;
                        break;
                    }
                    cut[!cut[f] && (cut[t] || size[f] >= size[t]) ? f : t] = true;
                }
            }
            // a subtree several branches share is written once, as a method they call, unless a call is as long
            if (parents[i] > 1 && size[i] > sharedInline) {
                cut[i] = true;
            }
        }
        return null;
    }

    /**
     * Whether the shared subtrees copied under each parent stay within twice the code of every node written once, or
     * why not.
     */
    private String copiesOfSharedSubtrees() {
        long once = 0;
        long written = 0;
        for (int i = 0; i < model.nodeCount(); i++) {
            once += model.isLeaf(i) ? size[i] : BRANCH_BYTES + 2 * CALL_BYTES;
            if (cut[i]) {
                written += size[i];
            }
        }
        for (int t = 0; t < model.treeCount(); t++) {
            written += size[model.treeStart(t)];
        }
        if (written > 2 * once + 65_536) {
            return "subtrees shared by several branches would be copied into about " + written + " bytes of code";
        }
        return null;
    }

    private int inline(int node) {
        return cut[node] ? CALL_BYTES : size[node];
    }

    /** Trees into methods up to the method budget, methods into classes up to the constant budget. */
    private String packTrees() {
        List<int[]> methods = new ArrayList<>();
        int classConstants = 0;
        int first = 0;
        int bytes = 0;
        for (int t = 0; t < model.treeCount(); t++) {
            int constants = constants(t);
            if (constants > CLASS_BUDGET) {
                return "tree " + t + " needs about " + constants + " constants, more than one class holds (" + CLASS_BUDGET + ")";
            }
            int treeBytes = size[model.treeStart(t)] + TREE_BYTES;
            if (t > first && classConstants + constants > CLASS_BUDGET) {
                methods.add(new int[] {first, t});
                layout.add(methods);
                methods = new ArrayList<>();
                classConstants = 0;
                first = t;
                bytes = 0;
            } else if (t > first && bytes + treeBytes > METHOD_BUDGET) {
                methods.add(new int[] {first, t});
                classConstants += METHOD_CONSTANTS;
                first = t;
                bytes = 0;
            }
            bytes += treeBytes;
            classConstants += constants;
        }
        methods.add(new int[] {first, model.treeCount()});
        layout.add(methods);
        return null;
    }

    /** Constant-pool entries tree {@code t} may add, from above: its thresholds, leaf values and sub-methods. */
    private int constants(int t) {
        int per = floats ? 1 : 2;
        int out = METHOD_CONSTANTS;
        for (int i = model.treeStart(t); i < model.treeStart(t + 1); i++) {
            out += model.isLeaf(i) && weights ? 2 * model.weightCount(i) : per;
            out += cut[i] ? METHOD_CONSTANTS : 0;
        }
        return out;
    }
}

package dev.handoff.onnx.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Writes seeded random opset-5 {@code TreeEnsemble} models ({@link TreeEnsembleV5Graphs}): random tree shapes and
 * depths, nodes and leaves stored in random order, subtrees and leaves shared by two branches, one-leaf trees, every
 * comparison mode including {@code BRANCH_MEMBER} with the sets ONNX Runtime unrolls into equality chains (at most 30
 * values in [0, 30], halves included) and the "big sets" it truncates to int32 (negative values, values of 2^24 and
 * more, 31 values or more), missing-value flags or none, several targets, AVERAGE and SUM, every post-transform.
 */
final class RandomTreeEnsembleV5Models {
    final Random random;
    final int features;
    final float[] pool;
    String description;
    private final List<Float> members = new ArrayList<>();

    // the model being written
    private final List<long[]> nodes = new ArrayList<>(); // {feature, mode, trueLeaf, trueId, falseLeaf, falseId, missing}
    private final List<Double> splits = new ArrayList<>();
    private final List<double[]> sets = new ArrayList<>();
    private final List<double[]> leaves = new ArrayList<>(); // {target, weight}
    private int targets;

    RandomTreeEnsembleV5Models(long seed) {
        random = new Random(seed);
        features = 1 + random.nextInt(5);
        pool = new float[8 + random.nextInt(24)];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = switch (random.nextInt(7)) {
                case 0 -> random.nextInt(31);
                case 1 -> (float) random.nextGaussian();
                case 2 -> (float) (random.nextGaussian() * 1e6);
                case 3 -> random.nextBoolean() ? 0.5f : -0f;
                case 4 -> random.nextInt(61) - 30;
                case 5 -> random.nextInt(31) + 0.5f;
                default -> (float) random.nextGaussian() * 10;
            };
        }
    }

    /** One random model's bytes; {@link #description} says what it is. */
    byte[] model() {
        nodes.clear();
        splits.clear();
        sets.clear();
        leaves.clear();
        members.clear();
        targets = random.nextInt(3) == 0 ? 2 + random.nextInt(2) : 1;
        int trees = random.nextInt(10) == 0 ? 40 + random.nextInt(40) : 1 + random.nextInt(12);
        int modeStyle = random.nextInt(4); // 0 all MEMBER-heavy, 1 one mode, 2 mixed, 3 mixed
        byte oneMode = (byte) random.nextInt(7);
        int missingLayout = random.nextInt(3); // 0 none, 1 random, 2 all zero
        List<long[]> roots = new ArrayList<>(); // {isLeaf, index}
        for (int t = 0; t < trees; t++) {
            List<long[]> built = new ArrayList<>();
            roots.add(grow(0, random.nextInt(7), built, modeStyle, oneMode, missingLayout));
        }
        // store nodes and leaves in random order
        int n = nodes.size();
        int l = leaves.size();
        List<Integer> nodeOrder = shuffled(n);
        List<Integer> leafOrder = shuffled(l);
        int[] nodeAt = new int[n];
        int[] leafAt = new int[l];
        for (int i = 0; i < n; i++) {
            nodeAt[nodeOrder.get(i)] = i;
        }
        for (int i = 0; i < l; i++) {
            leafAt[leafOrder.get(i)] = i;
        }
        TreeEnsembleV5Graphs.Spec s = new TreeEnsembleV5Graphs.Spec();
        s.features = features;
        s.targets = targets;
        int total = n + 0;
        List<long[]> rootNodes = new ArrayList<>(); // one-leaf trees get a root node pointing at the leaf twice
        s.roots = new long[trees];
        for (int t = 0; t < trees; t++) {
            long[] root = roots.get(t);
            if (root[0] == 0) {
                s.roots[t] = nodeAt[(int) root[1]];
            } else {
                // ONNX Runtime reads the leaf at the root node's own index: the root node sits at the leaf's index
                rootNodes.add(new long[] {t, leafAt[(int) root[1]]});
                s.roots[t] = -1;
            }
        }
        // one-leaf roots: nodes appended after the others; their leaf must be at their own index, so pad the leaves
        int count = total + rootNodes.size();
        s.featureIds = new long[count];
        s.splits = new double[count];
        s.modes = new byte[count];
        s.trueIds = new long[count];
        s.falseIds = new long[count];
        s.trueLeafs = new long[count];
        s.falseLeafs = new long[count];
        long[] missing = new long[count];
        List<Double> membership = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long[] node = nodes.get(nodeOrder.get(i));
            s.featureIds[i] = node[0];
            s.modes[i] = (byte) node[1];
            s.trueLeafs[i] = node[2];
            s.trueIds[i] = node[2] == 1 ? leafAt[(int) node[3]] : nodeAt[(int) node[3]];
            s.falseLeafs[i] = node[4];
            s.falseIds[i] = node[4] == 1 ? leafAt[(int) node[5]] : nodeAt[(int) node[5]];
            missing[i] = node[6];
            s.splits[i] = splits.get(nodeOrder.get(i));
            if (node[1] == TreeEnsembleV5Graphs.MEMBER) {
                for (double v : sets.get(nodeOrder.get(i))) {
                    membership.add(v);
                }
                membership.add(Double.NaN);
            }
        }
        List<double[]> leafList = new ArrayList<>();
        for (int i = 0; i < l; i++) {
            leafList.add(leaves.get(leafOrder.get(i)));
        }
        for (int r = 0; r < rootNodes.size(); r++) {
            int at = n + r;
            int t = (int) rootNodes.get(r)[0];
            int leaf = (int) rootNodes.get(r)[1];
            while (leafList.size() <= at) {
                leafList.add(new double[] {random.nextInt(targets), (float) random.nextGaussian()});
            }
            if (random.nextBoolean()) {
                leafList.set(at, leafList.get(leaf)); // the same weight either way, or (else) ONNX Runtime's reading decides
            }
            s.featureIds[at] = random.nextInt(features);
            s.modes[at] = TreeEnsembleV5Graphs.LEQ;
            s.trueIds[at] = leaf;
            s.falseIds[at] = leaf;
            s.trueLeafs[at] = 1;
            s.falseLeafs[at] = 1;
            s.roots[t] = at;
        }
        s.leafTargets = new long[leafList.size()];
        s.leafWeights = new double[leafList.size()];
        for (int i = 0; i < leafList.size(); i++) {
            s.leafTargets[i] = (long) leafList.get(i)[0];
            s.leafWeights[i] = leafList.get(i)[1];
        }
        s.missing = missingLayout == 0 ? null : missing;
        s.membership = membership.isEmpty() ? null : membership.stream().mapToDouble(Double::doubleValue).toArray();
        int aggregate = random.nextBoolean() ? TreeEnsembleV5Graphs.SUM : TreeEnsembleV5Graphs.AVERAGE;
        s.aggregate = aggregate == TreeEnsembleV5Graphs.SUM && random.nextBoolean() ? null : aggregate;
        int post = random.nextInt(5);
        s.postTransform = post == 0 && random.nextBoolean() ? null : post;
        description = "TreeEnsemble " + trees + " trees, " + count + " nodes, " + leafList.size() + " leaves, " + features
                + " features, " + targets + " targets, mode style " + modeStyle + (modeStyle == 1 ? " (" + oneMode + ")" : "")
                + ", missing layout " + missingLayout + ", aggregate " + aggregate + ", post_transform " + post;
        return TreeEnsembleV5Graphs.model(s);
    }

    /** Grows a subtree; returns {isLeaf, index}. A finished subtree of the same tree may be reused as a child. */
    private long[] grow(int depth, int maxDepth, List<long[]> built, int modeStyle, byte oneMode, int missingLayout) {
        if (depth > 0 && !built.isEmpty() && random.nextInt(12) == 0) {
            return built.get(random.nextInt(built.size()));
        }
        long[] ref;
        if (depth >= maxDepth || (depth > 0 && random.nextInt(4) == 0)) {
            leaves.add(new double[] {random.nextInt(targets), random.nextInt(20) == 0 ? pool[random.nextInt(pool.length)]
                    : (float) random.nextGaussian()});
            ref = new long[] {1, leaves.size() - 1};
        } else {
            int index = nodes.size();
            long[] node = new long[7];
            nodes.add(node);
            splits.add(0d);
            sets.add(null);
            byte mode = switch (modeStyle) {
                case 0 -> random.nextInt(3) == 0 ? (byte) random.nextInt(6) : TreeEnsembleV5Graphs.MEMBER;
                case 1 -> oneMode;
                default -> (byte) random.nextInt(7);
            };
            node[0] = random.nextInt(features);
            node[1] = mode;
            node[6] = missingLayout == 1 ? random.nextInt(2) : 0;
            if (mode == TreeEnsembleV5Graphs.MEMBER) {
                sets.set(index, memberSet());
            } else {
                splits.set(index, (double) pool[random.nextInt(pool.length)]);
            }
            long[] falseChild = grow(depth + 1, maxDepth, built, modeStyle, oneMode, missingLayout);
            long[] trueChild = grow(depth + 1, maxDepth, built, modeStyle, oneMode, missingLayout);
            node[2] = trueChild[0];
            node[3] = trueChild[1];
            node[4] = falseChild[0];
            node[5] = falseChild[1];
            ref = new long[] {0, index};
        }
        built.add(ref);
        return ref;
    }

    /** A small set (unrolled by ONNX Runtime into equality tests) or a big one (truncated to int32). */
    private double[] memberSet() {
        double[] set;
        switch (random.nextInt(4)) {
            case 0, 1 -> { // small: 1..6 values in [0, 30], some halves
                set = new double[1 + random.nextInt(6)];
                for (int i = 0; i < set.length; i++) {
                    set[i] = random.nextInt(5) == 0 ? random.nextInt(30) + 0.5 : random.nextInt(31);
                }
            }
            case 2 -> { // big by value: a negative or large integer among them
                set = new double[1 + random.nextInt(5)];
                for (int i = 0; i < set.length; i++) {
                    set[i] = switch (random.nextInt(5)) {
                        case 0 -> -random.nextInt(40);
                        case 1 -> 31 + random.nextInt(100);
                        case 2 -> (float) ((random.nextBoolean() ? 1 : -1) * (16_777_216L + random.nextInt(1 << 20) * 2L));
                        case 3 -> (float) (random.nextBoolean() ? 2147483520.0 : -2147483520.0);
                        default -> random.nextInt(31);
                    };
                }
                set[random.nextInt(set.length)] = -1 - random.nextInt(5);
            }
            default -> { // big by size
                set = new double[31 + random.nextInt(8)];
                for (int i = 0; i < set.length; i++) {
                    set[i] = random.nextInt(45) - 5;
                }
            }
        }
        for (double v : set) {
            members.add((float) v);
        }
        return set;
    }

    /** A row: pool and set values, their neighbours one ulp and a half away, and special values. */
    float[] row() {
        float[] row = new float[features];
        for (int f = 0; f < features; f++) {
            float v = !members.isEmpty() && random.nextBoolean() ? members.get(random.nextInt(members.size())) : pool[random.nextInt(pool.length)];
            row[f] = switch (random.nextInt(14)) {
                case 0 -> Math.nextUp(v);
                case 1 -> Math.nextDown(v);
                case 2 -> Float.NaN;
                case 3 -> random.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                case 4 -> random.nextBoolean() ? -0f : Float.MIN_VALUE;
                case 5 -> (float) random.nextGaussian() * 100;
                case 6 -> v + (random.nextBoolean() ? 0.5f : -0.5f);
                case 7 -> random.nextBoolean() ? 3e9f : -3e9f;
                default -> v;
            };
        }
        return row;
    }

    private List<Integer> shuffled(int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        if (random.nextBoolean()) {
            Collections.shuffle(order, random);
        }
        return order;
    }
}

package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.Aggregation;
import dev.handoff.internal.tree.TreeEnsemble.Kind;
import dev.handoff.internal.tree.TreeEnsemble.NodeMode;
import dev.handoff.internal.tree.TreeEnsemble.PostTransform;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random {@link TreeEnsemble}s built directly in the representation (runtime-onnx's {@code RandomTreeModels}
 * writes ONNX files for ONNX Runtime; these reach what the representation allows beyond them): FLOAT and DOUBLE,
 * regressors of one or several targets and classifiers of two or more classes, the two-class binary case with both
 * sign rules, every node mode (one for the model or mixed), subtrees shared by several branches (a DAG, as the PMML
 * reader's encodings make), missing values sent either way, NaN, infinite and
 * subnormal thresholds, repeated targets in a leaf, every post-transform, SUM and AVERAGE, base values; and rows of
 * pool values, their neighbours one ulp away, NaN, +-0, subnormals, +-infinity and huge values.
 */
final class RandomEnsembles {
    private static final NodeMode[] BRANCHES = {NodeMode.BRANCH_LEQ, NodeMode.BRANCH_LT, NodeMode.BRANCH_GTE, NodeMode.BRANCH_GT,
        NodeMode.BRANCH_EQ, NodeMode.BRANCH_NEQ};

    final Random random;
    final int features;
    final boolean floats;
    final double[] pool;
    String description;

    RandomEnsembles(long seed) {
        random = new Random(seed);
        features = 1 + random.nextInt(8);
        floats = random.nextInt(4) != 0;
        pool = new double[8 + random.nextInt(24)];
        for (int i = 0; i < pool.length; i++) {
            double v = switch (random.nextInt(9)) {
                case 0 -> random.nextInt(5) - 2;
                case 1 -> random.nextGaussian();
                case 2 -> random.nextGaussian() * 1e6;
                case 3 -> random.nextBoolean() ? 0.5 : -0d;
                case 4 -> random.nextBoolean() ? Float.MIN_VALUE : -Double.MIN_VALUE;
                case 5 -> random.nextInt(20) == 0 ? Double.NaN : random.nextBoolean() ? Double.POSITIVE_INFINITY : 1e300;
                default -> random.nextGaussian() * 10;
            };
            pool[i] = floats ? (double) (float) v : v;
        }
    }

    /** One random model; {@link #description} says what it is. */
    TreeEnsemble model() {
        boolean classifier = random.nextBoolean();
        int targets = classifier ? 2 + (random.nextInt(3) == 0 ? random.nextInt(4) : 0) : random.nextInt(3) == 0 ? 2 + random.nextInt(3) : 1;
        int trees = random.nextInt(10) == 0 ? 60 + random.nextInt(80) : 1 + random.nextInt(12);
        NodeMode sameMode = random.nextInt(3) == 0 ? null : BRANCHES[random.nextInt(random.nextBoolean() ? 2 : BRANCHES.length)];
        boolean binaryCase = classifier && targets == 2 && random.nextBoolean();
        int binaryClass = random.nextInt(2);
        boolean allPositive = random.nextBoolean();
        int missingLayout = random.nextInt(3); // 0 none, 1 random, 2 all
        boolean shared = random.nextInt(4) == 0; // some true children point anywhere later in the tree: a DAG, as PMML's encodings

        List<Integer> treeStart = new ArrayList<>();
        List<Integer> feature = new ArrayList<>();
        List<Double> value = new ArrayList<>();
        List<Byte> mode = new ArrayList<>();
        List<Boolean> missing = new ArrayList<>();
        List<Integer> trueChild = new ArrayList<>();
        List<Integer> weightStart = new ArrayList<>();
        List<Integer> weightCount = new ArrayList<>();
        List<Integer> weightTarget = new ArrayList<>();
        List<Double> weightValue = new ArrayList<>();
        for (int t = 0; t < trees; t++) {
            treeStart.add(feature.size());
            grow(feature.size(), 0, random.nextInt(8), feature, trueChild);
            for (int i = treeStart.get(t); i < feature.size(); i++) {
                boolean leaf = feature.get(i) < 0;
                mode.add((byte) (leaf ? 0 : (sameMode != null ? sameMode : BRANCHES[random.nextInt(BRANCHES.length)]).ordinal()));
                missing.add(!leaf && (missingLayout == 2 || (missingLayout == 1 && random.nextBoolean())));
                weightStart.add(weightValue.size());
                if (!leaf) {
                    if (shared && random.nextInt(3) == 0) {
                        trueChild.set(i, i + 1 + random.nextInt(feature.size() - i - 1));
                    }
                    feature.set(i, random.nextInt(features));
                    value.add(pool[random.nextInt(pool.length)]);
                    weightCount.add(0);
                    continue;
                }
                feature.set(i, 0);
                trueChild.set(i, 0);
                int count = 0;
                double single = 0;
                for (int k = 0; k < targets; k++) {
                    boolean give = binaryCase ? k == binaryClass : targets == 1 || random.nextInt(4) != 0 || k == targets - 1;
                    int times = give && targets > 1 && random.nextInt(10) == 0 ? 2 : give ? 1 : 0; // a target repeated in a leaf
                    for (int r = 0; r < times; r++) {
                        double w = classifier && allPositive ? random.nextDouble() : random.nextGaussian();
                        if (random.nextInt(20) == 0) {
                            w = pool[random.nextInt(pool.length)];
                        }
                        w = floats ? (double) (float) w : w;
                        weightTarget.add(k);
                        weightValue.add(w);
                        single = w;
                        count++;
                    }
                }
                weightCount.add(count);
                value.add(single);
            }
        }
        PostTransform post;
        int bases;
        if (classifier) {
            List<PostTransform> transforms = new ArrayList<>(List.of(PostTransform.NONE, PostTransform.LOGISTIC, PostTransform.SOFTMAX,
                    PostTransform.SOFTMAX_ZERO));
            if (targets > 2) {
                transforms.add(PostTransform.PROBIT);
            }
            post = transforms.get(random.nextInt(transforms.size()));
            int[] layouts = targets > 2 ? new int[] {0, targets} : binaryCase ? new int[] {0, 1, 2} : new int[] {0, 2};
            bases = layouts[random.nextInt(layouts.length)];
        } else {
            post = PostTransform.values()[random.nextInt(PostTransform.values().length)];
            bases = random.nextBoolean() ? 0 : targets;
        }
        double[] baseValues = new double[bases];
        for (int k = 0; k < bases; k++) {
            double b = random.nextBoolean() ? random.nextGaussian() : pool[random.nextInt(pool.length)];
            baseValues[k] = floats ? (double) (float) b : b;
        }
        Aggregation aggregation = !classifier && random.nextBoolean() ? Aggregation.AVERAGE : Aggregation.SUM;
        TreeEnsemble.Builder b = TreeEnsemble.builder(classifier ? Kind.CLASSIFIER : Kind.REGRESSOR,
                floats ? ThresholdType.FLOAT : ThresholdType.DOUBLE, features, targets)
                .trees(ints(treeStart), ints(feature), doubles(value), bytes(mode), booleans(missing), ints(trueChild))
                .leafWeights(ints(weightStart), ints(weightCount), ints(weightTarget), doubles(weightValue))
                .aggregation(aggregation).postTransform(post).baseValues(baseValues);
        String labels = "";
        if (classifier) {
            boolean integer = random.nextBoolean();
            List<String> names = new ArrayList<>();
            long start = random.nextInt(20) - 10;
            for (int k = 0; k < targets; k++) {
                names.add(integer ? Long.toString(start + k * (1 + random.nextInt(3))) : "c" + k);
            }
            b.classes(names, integer, binaryCase, allPositive);
            labels = names.toString();
        }
        description = (classifier ? "classifier " : "regressor ") + (floats ? "FLOAT " : "DOUBLE ") + trees + " trees, "
                + feature.size() + " nodes, " + features + " features, " + targets + " targets, modes "
                + (sameMode == null ? "mixed" : sameMode) + ", missing layout " + missingLayout + ", " + aggregation + ", " + post
                + ", " + bases + " base values " + labels + (shared ? ", shared subtrees" : "") + (binaryCase ? ", binary case " + (allPositive ? "all positive" : "mixed signs") : "");
        return b.build();
    }

    /** Pre-order: a branch, its false subtree right after it, then its true subtree. Leaves have feature -1. */
    private void grow(int index, int depth, int maxDepth, List<Integer> feature, List<Integer> trueChild) {
        feature.add(-1);
        trueChild.add(0);
        if (depth >= maxDepth || (depth > 0 && random.nextInt(4) == 0)) {
            return;
        }
        feature.set(index, 0);
        grow(index + 1, depth + 1, maxDepth, feature, trueChild);
        trueChild.set(index, feature.size());
        grow(feature.size(), depth + 1, maxDepth, feature, trueChild);
    }

    /** A row: pool values, their neighbours one ulp away (in float, and in double for a DOUBLE model), special values. */
    double[] row() {
        double[] row = new double[features];
        for (int f = 0; f < features; f++) {
            double v = pool[random.nextInt(pool.length)];
            row[f] = switch (random.nextInt(14)) {
                case 0 -> Math.nextUp((float) v);
                case 1 -> Math.nextDown((float) v);
                case 2 -> Math.nextUp(v);
                case 3 -> Math.nextDown(v);
                case 4 -> Double.NaN;
                case 5 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                case 6 -> random.nextBoolean() ? -0d : random.nextBoolean() ? Float.MIN_VALUE : Double.MIN_VALUE;
                case 7 -> random.nextGaussian() * 100;
                case 8 -> random.nextBoolean() ? 1e39 : -Float.MAX_VALUE;
                default -> v;
            };
        }
        return row;
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] doubles(List<Double> list) {
        return list.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static byte[] bytes(List<Byte> list) {
        byte[] out = new byte[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    private static boolean[] booleans(List<Boolean> list) {
        boolean[] out = new boolean[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}

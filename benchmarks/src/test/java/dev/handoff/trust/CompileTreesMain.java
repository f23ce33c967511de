package dev.handoff.trust;

import dev.handoff.internal.tree.TreeBackend;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.internal.tree.TreeEnsemble;

/**
 * Run in a fresh JVM by {@link AsmInsideTheApiJarTest}: builds a one-stump tree ensemble, asks the engine for its
 * backend and prints {@code <backend name> <score of x=1> <score of x=3>}.
 */
public final class CompileTreesMain {
    private CompileTreesMain() {
    }

    public static void main(String[] args) {
        byte leaf = (byte) TreeEnsemble.NodeMode.LEAF.ordinal();
        TreeEnsemble model = TreeEnsemble.builder(TreeEnsemble.Kind.REGRESSOR, TreeEnsemble.ThresholdType.FLOAT, 1, 1)
                .trees(new int[] {0}, new int[3], new double[] {2, 20, 10},
                        new byte[] {(byte) TreeEnsemble.NodeMode.BRANCH_LEQ.ordinal(), leaf, leaf}, new boolean[3], new int[] {2, 0, 0})
                .leafWeights(new int[] {0, 0, 1}, new int[] {0, 1, 1}, new int[] {0, 0}, new double[] {20, 10})
                .build();
        TreeBackend backend = TreeEngines.backendFor(model);
        float[] out = new float[1];
        backend.score(new float[] {1}, 0, out, 0, backend.newWorkspace());
        float low = out[0];
        backend.score(new float[] {3}, 0, out, 0, backend.newWorkspace());
        System.out.println(backend.name() + " " + low + " " + out[0]);
    }
}

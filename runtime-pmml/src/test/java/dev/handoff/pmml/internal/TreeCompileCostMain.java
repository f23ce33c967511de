package dev.handoff.pmml.internal;

import dev.handoff.internal.tree.BytecodeTrees;
import dev.handoff.internal.tree.TreeEnsemble;
import dev.handoff.testing.CorpusModel;

import java.util.Arrays;

/**
 * What the bytecode compile of the compiled tree engine costs per PMML model, alone: the median of {@code n}
 * {@link BytecodeTrees#compile} calls (generation with ASM, then the JVM's definition of the hidden classes) after
 * {@code n} warm-up compiles, one thread. Run it once as is and once with the JVM's verifier of such classes switched
 * off, to read the verifier's share (a measurement only, never for production):
 * <pre>{@code
 * java -cp ... dev.handoff.pmml.internal.TreeCompileCostMain IRIS_PMML,XGBOOST_MISSING_PMML 200
 * java -XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote -cp ... dev.handoff.pmml.internal.TreeCompileCostMain ...
 * }</pre>
 */
public final class TreeCompileCostMain {
    private TreeCompileCostMain() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[1]);
        for (String name : args[0].split(",")) {
            TreeEnsemble ensemble = PmmlTreePlans.read(CorpusModel.valueOf(name).modelBytes()).ensemble;
            long[] nanos = new long[n];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < n; i++) {
                    long start = System.nanoTime();
                    BytecodeTrees.compile(ensemble);
                    nanos[i] = System.nanoTime() - start;
                }
            }
            Arrays.sort(nanos);
            System.out.printf("%s: %d trees, %d nodes (%s); compile median %.3f ms, p90 %.3f ms%n", name, ensemble.treeCount(),
                    ensemble.nodeCount(), ensemble.thresholdType(), nanos[n / 2] / 1e6, nanos[n * 9 / 10] / 1e6);
        }
    }
}

package dev.handoff.onnx.internal;

import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.onnx.OnnxOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.ProcessMemory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What loading a model costs with the compiled tree engine and with ONNX Runtime: the median load time, and the
 * heap and resident memory that {@code count} loaded scorers hold, per scorer. Run one engine per JVM:
 * {@code java -cp ... dev.handoff.onnx.internal.LoadCostMain XGBOOST_MISSING_ONNX true 200}. Also prints what reading the
 * graph into the tree engine costs alone (parse, read, backend), the engine's share of its load time.
 */
public final class LoadCostMain {
    private LoadCostMain() {
    }

    public static void main(String[] args) throws Exception {
        CorpusModel model = CorpusModel.valueOf(args[0]);
        boolean compiledTrees = Boolean.parseBoolean(args[1]);
        int count = Integer.parseInt(args[2]);
        ScorerOptions options = ScorerOptions.builder().compiledTrees(compiledTrees).stats(false)
                .runtime(OnnxOptions.builder().featureNames(model.inputColumns()).build()).build();
        byte[] bytes = model.modelBytes();
        Object row = model.inputRecords().get(0);
        for (int i = 0; i < 50; i++) { // warm up the loading code
            try (Scorer scorer = Scorer.load(bytes, options)) {
                scorer.score(model.inputRecords().get(0));
            }
        }
        long[] nanos = new long[100];
        for (int i = 0; i < nanos.length; i++) {
            long started = System.nanoTime();
            try (Scorer scorer = Scorer.load(bytes, options)) {
                nanos[i] = System.nanoTime() - started;
            }
        }
        Arrays.sort(nanos);
        long[] read = new long[200];
        for (int i = 0; i < read.length; i++) {
            long started = System.nanoTime();
            OnnxTreeCoverage coverage = OnnxTreeReader.read(OnnxGraph.read(bytes).proto());
            TreeEngines.backendFor(coverage.model());
            read[i] = System.nanoTime() - started;
        }
        Arrays.sort(read);
        ProcessMemory.settle();
        long heapBefore = ProcessMemory.heap();
        long rssBefore = ProcessMemory.rss();
        List<Scorer> kept = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Scorer scorer = Scorer.load(bytes, options);
            scorer.score(model.inputRecords().get(0)); // per-thread scratch made, as in service
            kept.add(scorer);
        }
        ProcessMemory.settle();
        long heapAfter = ProcessMemory.heap();
        long rssAfter = ProcessMemory.rss();
        System.out.printf("%s %-15s load median %.2f ms p90 %.2f ms (tree read alone %.2f ms); per scorer: heap %.1f KiB, RSS %.1f KiB"
                        + " (%d scorers, %s)%n",
                model, compiledTrees ? "compiled trees" : "ONNX Runtime", nanos[50] / 1e6, nanos[90] / 1e6, read[100] / 1e6,
                (heapAfter - heapBefore) / 1024.0 / count, (rssAfter - rssBefore) / 1024.0 / count, count,
                kept.get(0).info().metadata().get("handoff.engine"));
        kept.forEach(Scorer::close);
        if (row == null) {
            System.out.println();
        }
    }
}

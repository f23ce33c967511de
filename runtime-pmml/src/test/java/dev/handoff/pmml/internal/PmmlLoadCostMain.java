package dev.handoff.pmml.internal;

import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.ProcessMemory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What loading a PMML model costs with the compiled tree engine and with JPMML-Evaluator alone: the median load time,
 * and the heap and resident memory that {@code count} loaded scorers hold, per scorer. The engine keeps JPMML's
 * evaluator beside it (inputs, embedded verification, the calls it hands back), so its cost is JPMML's plus the read,
 * the compile and the tree arrays. Run one engine per JVM:
 * {@code java -cp ... dev.handoff.pmml.internal.PmmlLoadCostMain HGB_MISSING_PMML true 200}.
 */
public final class PmmlLoadCostMain {
    private PmmlLoadCostMain() {
    }

    public static void main(String[] args) throws Exception {
        CorpusModel model = CorpusModel.valueOf(args[0]);
        boolean compiledTrees = Boolean.parseBoolean(args[1]);
        int count = Integer.parseInt(args[2]);
        ScorerOptions options = ScorerOptions.builder().compiledTrees(compiledTrees).stats(false).build();
        byte[] bytes = model.modelBytes();
        for (int i = 0; i < 30; i++) { // warm up the loading code
            try (Scorer scorer = Scorer.load(bytes, options)) {
                scorer.score(model.inputRecords().get(0));
            }
        }
        long[] nanos = new long[60];
        for (int i = 0; i < nanos.length; i++) {
            long started = System.nanoTime();
            try (Scorer scorer = Scorer.load(bytes, options)) {
                nanos[i] = System.nanoTime() - started;
            }
        }
        Arrays.sort(nanos);
        ProcessMemory.settle();
        long heapBefore = ProcessMemory.heap();
        long rssBefore = ProcessMemory.rss();
        List<Scorer> kept = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Scorer scorer = Scorer.load(bytes, options);
            scorer.score(model.inputRecords().get(0)); // per-thread scratch made, as in a service
            kept.add(scorer);
        }
        ProcessMemory.settle();
        long heapAfter = ProcessMemory.heap();
        long rssAfter = ProcessMemory.rss();
        System.out.printf("%s %-15s load median %.2f ms p90 %.2f ms; per scorer: heap %.1f KiB, RSS %.1f KiB (%d scorers, %s)%n",
                model, compiledTrees ? "compiled trees" : "JPMML", nanos[30] / 1e6, nanos[54] / 1e6,
                (heapAfter - heapBefore) / 1024.0 / count, (rssAfter - rssBefore) / 1024.0 / count, count,
                kept.get(0).info().metadata().get("handoff.engine"));
        kept.forEach(Scorer::close);
    }
}

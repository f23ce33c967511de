package dev.handoff.pmml.internal;

import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.ProcessMemory;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.InputField;
import org.jpmml.evaluator.LoadingModelEvaluatorBuilder;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What loading a PMML model costs: the first load of the JVM (cold: classes loaded, nothing compiled), the median of
 * 100 loads after 300 (warm: a service's reload), and the heap and resident memory that {@code count} loaded
 * models hold, per model, in one of three modes:
 * <ul>
 *   <li>{@code engine}: a Handoff scorer with the compiled tree engine (it keeps JPMML's evaluator beside it for
 *       inputs, embedded verification and the calls it hands back, so its cost is that evaluator's plus the read,
 *       the compile and the tree arrays);</li>
 *   <li>{@code jpmml}: a Handoff scorer with {@code compiledTrees(false)}, scoring through JPMML-Evaluator;</li>
 *   <li>{@code raw}: JPMML-Evaluator used directly, as a hand-written service would
 *       ({@code new LoadingModelEvaluatorBuilder().load(stream).build()}), no Handoff at all.</li>
 * </ul>
 * The load time is the load alone (for {@code raw}: load and build); every model kept for the memory count then scores
 * (evaluates) the first input row once, so that the parts built lazily exist, as in a service. Run one mode per JVM:
 * {@code java -cp ... dev.handoff.pmml.internal.PmmlLoadCostMain HGB_MISSING_PMML engine 200}.
 */
public final class PmmlLoadCostMain {
    /** Loads before the timed ones: enough for HotSpot to compile the loading code (30 left it half interpreted). */
    private static final int WARM_UP = 300;
    private static Map<String, Object> row;

    private PmmlLoadCostMain() {
    }

    public static void main(String[] args) throws Exception {
        CorpusModel model = CorpusModel.valueOf(args[0]);
        String mode = args[1];
        int count = Integer.parseInt(args[2]);
        byte[] bytes = model.modelBytes();
        row = model.inputRecords().get(0);
        Loader loader = switch (mode) {
            case "engine" -> scorers(bytes, true);
            case "jpmml" -> scorers(bytes, false);
            case "raw" -> new Loader() {
                @Override
                public Object load() throws Exception {
                    return new LoadingModelEvaluatorBuilder().load(new ByteArrayInputStream(bytes)).build();
                }

                @Override
                public void scoreOne(Object loaded) {
                    Evaluator evaluator = (Evaluator) loaded;
                    Map<String, FieldValue> arguments = new LinkedHashMap<>();
                    for (InputField field : evaluator.getInputFields()) {
                        arguments.put(field.getName(), field.prepare(row.get(field.getName())));
                    }
                    evaluator.evaluate(arguments);
                }
            };
            default -> throw new IllegalArgumentException("mode " + mode + ": engine, jpmml or raw");
        };
        // the first load of the JVM: every class loaded and nothing compiled yet, as a service's start-up load
        long firstStarted = System.nanoTime();
        Object first = loader.load();
        long firstNanos = System.nanoTime() - firstStarted;
        loader.scoreOne(first);
        close(first);
        for (int i = 0; i < WARM_UP; i++) { // warm up the loading and scoring code: then a load as a warm service's reload
            Object loaded = loader.load();
            loader.scoreOne(loaded);
            close(loaded);
        }
        long[] nanos = new long[100];
        for (int i = 0; i < nanos.length; i++) {
            long started = System.nanoTime();
            Object loaded = loader.load();
            nanos[i] = System.nanoTime() - started;
            close(loaded);
        }
        Arrays.sort(nanos);
        ProcessMemory.settle();
        long heapBefore = ProcessMemory.heap();
        long rssBefore = ProcessMemory.rss();
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Object loaded = loader.load();
            loader.scoreOne(loaded); // lazily built parts (per-thread scratch, caches) made, as in a service
            kept.add(loaded);
        }
        ProcessMemory.settle();
        long heapAfter = ProcessMemory.heap();
        long rssAfter = ProcessMemory.rss();
        String engine = kept.get(0) instanceof Scorer scorer ? scorer.info().metadata().get("handoff.engine") : "JPMML-Evaluator";
        // p10 beside the median: on a machine shared with other work, the fastest loads are the least disturbed ones
        System.out.printf("%s %-6s first load %.1f ms; warm load median %.2f ms p10 %.2f ms p90 %.2f ms; per model: heap %.1f KiB, "
                        + "RSS %.1f KiB (%d models, %s)%n", model, mode, firstNanos / 1e6, nanos[50] / 1e6, nanos[10] / 1e6, nanos[90] / 1e6,
                (heapAfter - heapBefore) / 1024.0 / count, (rssAfter - rssBefore) / 1024.0 / count, count, engine);
        kept.forEach(PmmlLoadCostMain::close);
    }

    private static Loader scorers(byte[] bytes, boolean compiledTrees) {
        ScorerOptions options = ScorerOptions.builder().compiledTrees(compiledTrees).stats(false).build();
        return new Loader() {
            @Override
            public Object load() {
                return Scorer.load(bytes, options);
            }

            @Override
            public void scoreOne(Object loaded) {
                ((Scorer) loaded).score(row);
            }
        };
    }

    private static void close(Object loaded) {
        if (loaded instanceof Scorer scorer) {
            scorer.close();
        }
    }

    private interface Loader {
        /** One model loaded, not yet used. */
        Object load() throws Exception;

        /** Scores (evaluates) the first input row once. */
        void scoreOne(Object loaded);
    }
}

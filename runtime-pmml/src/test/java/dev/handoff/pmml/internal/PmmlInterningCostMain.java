package dev.handoff.pmml.internal;

import dev.handoff.spi.ScorerProvider.ModelSource;
import dev.handoff.testing.CorpusModel;
import org.dmg.pmml.PMML;
import org.jpmml.evaluator.visitors.ModelEvaluatorVisitorBattery;

import java.util.Arrays;

/**
 * What JPMML's visitor battery costs after the parse, as JPMML runs it and with {@link PmmlInterning}'s one-walk
 * interning, measured in one JVM, alternating, on freshly parsed copies of a document (so that machine noise falls
 * on both alike): {@code java -cp ... dev.handoff.pmml.internal.PmmlInterningCostMain XGBOOST_MISSING_PMML 200}.
 */
public final class PmmlInterningCostMain {
    private PmmlInterningCostMain() {
    }

    public static void main(String[] args) {
        CorpusModel model = CorpusModel.valueOf(args[0]);
        int rounds = Integer.parseInt(args[1]);
        ModelSource source = new ModelSource(model.file(), model.modelBytes(), "0");
        PmmlDocumentParser parser = new PmmlDocumentParser(1000, 10_000_000);
        long[] battery = new long[rounds];
        long[] walk = new long[rounds];
        for (int warm = 0; warm < 2; warm++) { // the first pass only warms up
            for (int i = 0; i < rounds; i++) {
                PMML a = parser.unmarshal(source);
                long started = System.nanoTime();
                new ModelEvaluatorVisitorBattery(false).applyTo(a);
                battery[i] = System.nanoTime() - started;
                PMML b = parser.unmarshal(source);
                started = System.nanoTime();
                PmmlInterning.applyBattery(b);
                walk[i] = System.nanoTime() - started;
            }
        }
        Arrays.sort(battery);
        Arrays.sort(walk);
        System.out.printf("%s visitor battery after the parse, median of %d: JPMML's %.2f ms, one-walk interning %.2f ms%n",
                model, rounds, battery[rounds / 2] / 1e6, walk[rounds / 2] / 1e6);
    }
}

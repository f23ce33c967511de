package dev.handoff.pmml;

import dev.handoff.HandoffException;
import dev.handoff.OutputField;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.ModelMutator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded mutants of the covered corpus tree files (changed thresholds, scores, operators, strategies, types...): a
 * mutant that the compiled tree engine serves gives JPMML's answers on the corpus rows, bit for bit, or fails the
 * same way; one that does not load, does not load either way.
 */
class PmmlTreeMutantParityTest {

    static Stream<CorpusModel> coveredModels() {
        return PmmlTreeEngineParityTest.coveredModels();
    }

    @ParameterizedTest
    @MethodSource("coveredModels")
    void mutantsServedByTheEngineAgreeWithJpmml(CorpusModel model) {
        List<Map<String, Object>> rows = model.inputRecords();
        int served = 0;
        for (long seed = 0; seed < 120; seed++) {
            ModelMutator.Mutant mutant = ModelMutator.mutate(model.modelBytes(), seed, ModelMutator.Kind.XML);
            String where = model + " mutant " + seed + " (" + mutant.description() + ")";
            Object compiled = load(mutant.bytes(), true);
            Object jpmml = load(mutant.bytes(), false);
            if (!(compiled instanceof Scorer a) || !(jpmml instanceof Scorer b)) {
                assertEquals(describe(jpmml), describe(compiled), where);
                close(compiled);
                close(jpmml);
                continue;
            }
            try (a; b) {
                if (!a.info().metadata().get(TreeEngines.METADATA_KEY).startsWith("compiled trees")) {
                    continue;
                }
                served++;
                Object x = scoreAll(a, rows);
                Object y = scoreAll(b, rows);
                if (!(x instanceof Predictions p) || !(y instanceof Predictions q)) {
                    assertEquals(String.valueOf(y), String.valueOf(x), where);
                    continue;
                }
                List<String> outputs = a.outputs().stream().map(OutputField::name).toList();
                for (int r = 0; r < rows.size(); r++) {
                    EngineParity.same(where + " row " + r, outputs, p.get(r), q.get(r));
                }
            }
        }
        assertTrue(served > 0, model + ": no mutant was served by the compiled tree engine");
    }

    private static Object load(byte[] bytes, boolean compiledTrees) {
        try {
            return Scorer.load(bytes, ScorerOptions.builder().compiledTrees(compiledTrees).build());
        } catch (HandoffException e) {
            return e;
        }
    }

    private static Object scoreAll(Scorer scorer, List<Map<String, Object>> rows) {
        try {
            return scorer.scoreAll(rows);
        } catch (HandoffException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String describe(Object outcome) {
        return outcome instanceof Exception e ? e.getClass().getSimpleName() + ": " + e.getMessage() : "loaded";
    }

    private static void close(Object outcome) {
        if (outcome instanceof Scorer s) {
            s.close();
        }
    }
}

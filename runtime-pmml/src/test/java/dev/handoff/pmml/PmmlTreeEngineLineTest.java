package dev.handoff.pmml;

import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every PMML model says in {@code ModelInfo.metadata()} which engine serves it: the compiled tree engine for a covered
 * tree model, JPMML with the reason for any other, and JPMML with the switch's reason when
 * {@code compiledTrees(false)}.
 */
class PmmlTreeEngineLineTest {

    @Test
    void everyCorpusPmmlFileNamesItsEngine() {
        Map<String, String> engines = new TreeMap<>();
        for (CorpusModel model : CorpusModel.values()) {
            if (!model.isOnnx()) {
                try (Scorer scorer = Scorer.load(model.modelBytes())) {
                    engines.put(model.caseName(), scorer.info().metadata().get(TreeEngines.METADATA_KEY));
                }
            }
        }
        Map<String, String> expected = new TreeMap<>(Map.of(
                "r_glm_mtcars", "runtime (PMML GeneralRegressionModel not covered)",
                "r_rpart_airquality", "compiled trees (bytecode; 1 trees, 86 nodes)",
                "sklearn_churn_logreg", "runtime (PMML RegressionModel not covered)",
                "sklearn_churn_pipeline", "compiled trees (bytecode; 100 trees, 1729 nodes)",
                "sklearn_gbr_diabetes", "compiled trees (bytecode; 100 trees, 2776 nodes)",
                "sklearn_hgb_missing", "compiled trees (bytecode; 100 trees, 3000 nodes)",
                "sklearn_logreg_breast_cancer", "runtime (PMML RegressionModel not covered)",
                "sklearn_rf_iris", "compiled trees (bytecode; 50 trees, 1684 nodes)",
                "xgboost_diabetes_missing", "compiled trees (bytecode; 100 trees, 2460 nodes)"));
        assertEquals(expected, engines);
    }

    /** Switched off, the trees are not read at all: the line names the switch for a model the engine would not cover too. */
    @Test
    void switchedOffUncoveredModelNamesTheSwitch() {
        try (Scorer scorer = Scorer.load(CorpusModel.MTCARS_PMML.modelBytes(), ScorerOptions.builder().compiledTrees(false).build())) {
            assertEquals("runtime (" + TreeEngines.SWITCHED_OFF + ")", scorer.info().metadata().get(TreeEngines.METADATA_KEY));
        }
    }

    @Test
    void switchedOffCoveredModelNamesTheSwitch() {
        try (Scorer scorer = Scorer.load(CorpusModel.XGBOOST_MISSING_PMML.modelBytes(),
                ScorerOptions.builder().compiledTrees(false).build())) {
            assertEquals("runtime (" + TreeEngines.SWITCHED_OFF + ")", scorer.info().metadata().get(TreeEngines.METADATA_KEY));
        }
    }
}

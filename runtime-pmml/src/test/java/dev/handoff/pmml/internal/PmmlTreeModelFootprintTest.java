package dev.handoff.pmml.internal;

import dev.handoff.ScorerOptions;
import dev.handoff.spi.ScorerProvider.ModelSource;
import dev.handoff.spi.ScoringEngine;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model served by the compiled tree engine keeps what scoring needs and none of what reading the document did: not
 * the {@link PmmlFeatures} reader with its maps of the document's fields, not the {@link PmmlTreeReader} or the
 * plan, not the lists a {@link PmmlFeatureChain} was read into (memory per model: a service holds many).
 */
class PmmlTreeModelFootprintTest {
    private static final CorpusModel[] MODELS = {CorpusModel.RPART_AIRQUALITY_PMML, CorpusModel.CHURN_PIPELINE_PMML,
        CorpusModel.XGBOOST_MISSING_PMML, CorpusModel.IRIS_PMML};

    @Test
    void aLoadedTreeModelKeepsNoneOfTheReadersState() {
        Map<String, List<String>> kept = new TreeMap<>();
        for (CorpusModel model : MODELS) {
            try (ScoringEngine engine = new PmmlScorerProvider().load(new ModelSource(model.file(), model.modelBytes(), "0"),
                    ScorerOptions.builder().compiledTrees(true).build())) {
                assertTrue(engine instanceof PmmlTreeModel, model + " is served by the compiled tree engine: " + engine);
                List<String> fields = new java.util.ArrayList<>();
                fields.addAll(ModelGraph.fieldsHolding(engine, PmmlFeatures.class));
                fields.addAll(ModelGraph.fieldsHolding(engine, PmmlTreeReader.class));
                fields.addAll(ModelGraph.fieldsHolding(engine, PmmlTreePlan.class));
                ModelGraph.fieldsHolding(engine, List.class).stream()
                        .filter(f -> f.startsWith(PmmlFeatureChain.class.getName() + "."))
                        .forEach(fields::add);
                if (!fields.isEmpty()) {
                    kept.put(model.name(), fields);
                }
            }
        }
        assertEquals(Map.of(), kept, "load-time state kept by the models");
    }
}

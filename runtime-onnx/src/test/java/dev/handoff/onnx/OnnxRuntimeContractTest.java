package dev.handoff.onnx;

import dev.handoff.ModelFormat;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.RuntimeContract;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime contract on the ONNX models of the corpus; a model of one tensor is given its feature names. Under
 * these (default) options the corpus tree ensembles the compiled tree engine covers are served by it, so the contract
 * holds for both engines.
 */
class OnnxRuntimeContractTest extends RuntimeContract {
    OnnxRuntimeContractTest() {
        super(ModelFormat.ONNX, "truncated or corrupt");
    }

    @Override
    protected ScorerOptions.Builder options(CorpusModel model) {
        ScorerOptions.Builder options = ScorerOptions.builder();
        return model.isSingleTensor() ? options.runtime(OnnxOptions.builder().featureNames(model.inputColumns()).build()) : options;
    }

    @Override
    protected byte[] modelProducedBy(String producer) {
        return TinyOnnxModel.linearRegression(TinyOnnxModel.DYNAMIC, 1f, 2f).producer(producer).bytes();
    }

    @Test
    void theCoveredTreeEnsemblesOfTheCorpusAreServedByTheCompiledTreeEngineHere() {
        for (CorpusModel model : List.of(CorpusModel.DIABETES_ONNX, CorpusModel.XGBOOST_MISSING_ONNX,
                CorpusModel.HGB_MISSING_NOZIPMAP_ONNX, CorpusModel.IRIS_NOZIPMAP_ONNX)) {
            try (Scorer scorer = Scorer.load(model.modelBytes(), options(model).build())) {
                String engine = scorer.info().metadata().get("handoff.engine");
                assertTrue(engine.startsWith("compiled trees ("), model + ": " + engine);
            }
        }
    }
}

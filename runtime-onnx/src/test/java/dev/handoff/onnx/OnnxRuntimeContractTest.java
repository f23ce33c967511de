package dev.handoff.onnx;

import dev.handoff.ModelFormat;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.RuntimeContract;

/** The runtime contract on the ONNX models of the corpus; a model of one tensor is given its feature names. */
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
}

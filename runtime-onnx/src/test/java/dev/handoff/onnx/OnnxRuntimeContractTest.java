package dev.handoff.onnx;

import dev.handoff.ModelFormat;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.RuntimeContract;

/** The runtime contract on the ONNX models of the corpus. */
class OnnxRuntimeContractTest extends RuntimeContract {
    @Override
    protected ModelFormat format() {
        return ModelFormat.ONNX;
    }

    @Override
    protected byte[] modelProducedBy(String producer) {
        return TinyOnnxModel.linearRegression(TinyOnnxModel.DYNAMIC, 1f, 2f).producer(producer).bytes();
    }

    @Override
    protected String truncatedFileProblem() {
        return "truncated or corrupt";
    }

    @Override
    protected ScorerOptions.Builder options(CorpusModel model) {
        ScorerOptions.Builder options = ScorerOptions.builder();
        return model.isSingleTensor() ? options.featureNames(model.inputColumns()) : options;
    }
}

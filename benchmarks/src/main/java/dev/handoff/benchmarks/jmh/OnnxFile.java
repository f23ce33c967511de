package dev.handoff.benchmarks.jmh;

import ai.onnxruntime.OrtException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The ONNX file a benchmark measures (every ONNX file of the corpus, missing-value cases included),
 * loaded outside the measured code: Handoff's scorer (and, where the compiled tree engine serves it, a second one with
 * {@code compiledTrees(false)}), the hand-written ONNX Runtime call, and the rows
 * the model gives a prediction for.
 */
@State(Scope.Benchmark)
public class OnnxFile {

    @Param({
        "sklearn_logreg_breast_cancer/model.onnx", "sklearn_logreg_breast_cancer/model_nozipmap.onnx",
        "sklearn_rf_iris/model.onnx", "sklearn_rf_iris/model_nozipmap.onnx",
        "sklearn_gbr_diabetes/model.onnx",
        "sklearn_churn_pipeline/model.onnx", "sklearn_churn_pipeline/model_nozipmap.onnx",
        "sklearn_churn_logreg/model.onnx", "sklearn_churn_logreg/model_nozipmap.onnx",
        "torch_mlp_digits/model.onnx",
        "xgboost_diabetes_missing/model.onnx",
        "sklearn_hgb_missing/model.onnx", "sklearn_hgb_missing/model_nozipmap.onnx",
    })
    public String model;

    /** As a user loads it: the compiled tree engine serves it where it covers the model. */
    ModelState state;
    /**
     * Loaded with {@code ScorerOptions.compiledTrees(false)}, where the compiled engine serves {@link #state}: the same
     * API on the runtime; otherwise {@link #state} itself (both are the runtime then, and the suite does not measure it).
     */
    ModelState runtime;
    RawOnnx raw;

    @Setup(Level.Trial)
    public void load() throws OrtException {
        raw = new RawOnnx(CorpusFile.of(model));
        state = new ModelState(model, raw.isSingleTensor());
        runtime = state.handoff.compiled() ? new ModelState(model, raw.isSingleTensor(), false) : state;
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        if (runtime != state) {
            runtime.close();
        }
        state.close();
        raw.close();
    }
}

package dev.handoff.benchmarks.jmh;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The PMML file a benchmark measures (every PMML file of the corpus, missing-value cases included),
 * loaded outside the measured code: Handoff's scorer (and, where the compiled tree engine serves it, a second one with
 * {@code compiledTrees(false)}), the hand-written JPMML-Evaluator call, and the
 * rows the model gives a prediction for.
 */
@State(Scope.Benchmark)
public class PmmlFile {

    @Param({
        "sklearn_logreg_breast_cancer/model.pmml", "sklearn_rf_iris/model.pmml", "sklearn_gbr_diabetes/model.pmml",
        "sklearn_churn_pipeline/model.pmml", "sklearn_churn_logreg/model.pmml", "r_glm_mtcars/model.pmml",
        "xgboost_diabetes_missing/model.pmml", "sklearn_hgb_missing/model.pmml", "r_rpart_airquality/model.pmml",
    })
    public String model;

    /** As a user loads it: the compiled tree engine serves it where it covers the model. */
    ModelState state;
    /**
     * Loaded with {@code ScorerOptions.compiledTrees(false)}, where the compiled engine serves {@link #state}: the same
     * API on the runtime; otherwise {@link #state} itself (both are the runtime then, and the suite does not measure it).
     */
    ModelState runtime;
    RawPmml raw;

    @Setup(Level.Trial)
    public void load() throws Exception {
        raw = new RawPmml(CorpusFile.of(model));
        state = new ModelState(model, false);
        runtime = state.handoff.compiled() ? new ModelState(model, false, false) : state;
    }

    @TearDown(Level.Trial)
    public void close() {
        if (runtime != state) {
            runtime.close();
        }
        state.close();
    }
}

package dev.handoff.pmml.internal;

import dev.handoff.internal.tree.TreeEnsemble;

/**
 * What {@link PmmlTreeReader} made of a covered PMML model: the trees, the features that feed them, and the head
 * that turns each tree's result into JPMML's answer.
 *
 * <pre>{@code
 * PmmlTreePlan plan = PmmlTreeReader.read(pmml, model, signature);
 * TreeBackend backend = TreeEngines.backendFor(plan.ensemble);
 * }</pre>
 */
final class PmmlTreePlan {
    final TreeEnsemble ensemble;
    final PmmlFeatures features;
    final PmmlRegressionHead regression;

    PmmlTreePlan(TreeEnsemble ensemble, PmmlFeatures features, PmmlRegressionHead regression) {
        this.ensemble = ensemble;
        this.features = features;
        this.regression = regression;
    }
}

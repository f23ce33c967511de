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
    final PmmlFeatureRow features;
    /** The head of a regression, or null. */
    final PmmlRegressionHead regression;
    /** The head of a classifier, or null. */
    final PmmlClassificationHead classification;
    /** A classifier's outputs: per output of the signature, the class whose probability it is, or -1 for the label. */
    final int[] outputClasses;
    /** Whether JPMML gives a classifier's rows a probability distribution (a lone tree without probability outputs does not). */
    final boolean probabilities;

    PmmlTreePlan(TreeEnsemble ensemble, PmmlFeatureRow features, PmmlRegressionHead regression,
                 PmmlClassificationHead classification, int[] outputClasses, boolean probabilities) {
        this.ensemble = ensemble;
        this.features = features;
        this.regression = regression;
        this.classification = classification;
        this.outputClasses = outputClasses.clone();
        this.probabilities = probabilities;
    }
}

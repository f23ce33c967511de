package dev.handoff;

/**
 * What a model predicts, which decides which parts of a {@link Prediction} are filled.
 *
 * <pre>{@code
 * switch (scorer.info().task()) {
 *     case CLASSIFICATION -> use(p.label(), p.probabilities());
 *     case REGRESSION -> use(p.value());
 *     case OTHER -> use(p.output("probabilities"));
 * }
 * }</pre>
 */
public enum ModelTask {
    /** A label and class-ordered probabilities; {@link Scorer#classes()} is not empty. */
    CLASSIFICATION,
    /** One numeric target: {@link Prediction#value()}. */
    REGRESSION,
    /**
     * Neither could be recognised (for example a PyTorch model whose class labels were not given in
     * {@link ScorerOptions.Builder#classes(java.util.List)}): its results are available through
     * {@link Prediction#output(String)} only.
     */
    OTHER
}

package dev.handoff.pmml.internal;

/**
 * Thrown while reading a PMML document into the compiled tree engine when the model uses something the engine
 * does not evaluate; the message is the reason phrase of the engine line, e.g. {@code PMML NeuralNetwork not
 * covered}. The model is then served by JPMML-Evaluator.
 *
 * <pre>{@code
 * throw new PmmlNotCovered("PMML predicate SimpleSetPredicate on field plan not covered");
 * }</pre>
 */
final class PmmlNotCovered extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PmmlNotCovered(String reason) {
        super(reason, null, false, false);
    }
}

package dev.handoff;

/**
 * Root of every exception Handoff throws on purpose.
 *
 * <pre>{@code
 * try {
 *     Prediction p = scorer.score(record);
 * } catch (InvalidInputException e) {
 *     // skip this record: the scorer stays healthy
 * } catch (HandoffException e) {
 *     // anything else Handoff reports
 * }
 * }</pre>
 *
 * <p>Three kinds hang under it, one per kind of failure: {@link ModelLoadException} (the model can
 * not be used: retire it), {@link InvalidInputException} (this record is bad: skip it) and
 * {@link ScoringException} (the model failed while scoring a record: alert, the record is not at
 * fault). Besides these, a {@link Scorer} call throws only {@link IllegalStateException}, which
 * means the scorer is closed, and {@link NullPointerException} for a {@code null} argument.
 */
public class HandoffException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, as a sentence */
    public HandoffException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, as a sentence
     * @param cause the underlying failure
     */
    public HandoffException(String message, Throwable cause) {
        super(message, cause);
    }
}

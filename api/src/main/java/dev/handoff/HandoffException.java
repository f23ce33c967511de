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
 * <p>Two families hang under it, one per kind of failure: {@link ModelLoadException} (the model can
 * not be used: retire it) and {@link InvalidInputException} (this record is bad: skip it).
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

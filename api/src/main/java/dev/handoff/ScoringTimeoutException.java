package dev.handoff;

/**
 * A scoring call ran past {@link ScorerOptions#callTimeout()} and was stopped: a {@link ScoringException}
 * of its own, since the record may be fine and the model merely slow. The scorer stays
 * usable: the next call starts afresh.
 *
 * <pre>{@code
 * try {
 *     Prediction p = scorer.score(record);
 * } catch (ScoringTimeoutException e) {
 *     // answer 503 / retry later; e.timeoutMillis() says which limit it hit
 * }
 * }</pre>
 */
public class ScoringTimeoutException extends ScoringException {
    private static final long serialVersionUID = 1L;

    private final long timeoutMillis;

    /**
     * @param message what was stopped, as a sentence
     * @param timeoutMillis the limit the call ran past
     * @param cause the runtime's own report, or {@code null}
     */
    public ScoringTimeoutException(String message, long timeoutMillis, Throwable cause) {
        super(message, cause);
        this.timeoutMillis = timeoutMillis;
    }

    /** The limit, in milliseconds, that the call ran past. */
    public long timeoutMillis() {
        return timeoutMillis;
    }
}

package dev.handoff;

import dev.handoff.internal.LogText;

/**
 * The model failed while scoring, through no fault of the record: the runtime could not evaluate it
 * (JPMML met an invalid or unsupported construct, ONNX Runtime reported an error, an evaluation
 * recursed too deeply) or returned results that do not fit what the model declares (an output of the
 * wrong shape or type). The same record would fail again: alert on it, and retire the model or fix
 * its export.
 *
 * <pre>{@code
 * try {
 *     return scorer.score(record);
 * } catch (InvalidInputException e) {
 *     return skip(record, e);          // the record's fault: the scorer stays healthy
 * } catch (ScoringException e) {
 *     alert(scorer.info(), e);         // the model's fault: it cannot score records like this one
 *     throw e;
 * }
 * }</pre>
 *
 * <p>It fails the whole call, including a batch: a batch holds {@link InvalidInputException}s per row,
 * but a model that fails on one row gives no reason to trust its other rows. The scorer stays open
 * (calls on other records may succeed); only {@link IllegalStateException} means it is closed.
 *
 * <p>The message is one line of bounded length: what the runtime said about the model has its control
 * characters escaped and is cut, so that logging it cannot forge a log line.
 */
public class ScoringException extends HandoffException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_MESSAGE_CHARS = 4_000;

    /** @param message what failed, naming the model and, where known, the row and output */
    public ScoringException(String message) {
        super(LogText.safe(message, MAX_MESSAGE_CHARS));
    }

    /**
     * @param message what failed, naming the model and, where known, the row and output
     * @param cause the runtime's own exception, or {@code null}
     */
    public ScoringException(String message, Throwable cause) {
        super(LogText.safe(message, MAX_MESSAGE_CHARS), cause);
    }
}

package dev.handoff;

import dev.handoff.internal.LogText;

import java.util.Objects;

/**
 * The model cannot be used: unreadable, corrupt, truncated, hostile XML, an unsupported operator or
 * element, or no runtime on the class path for its format. Retire the model.
 *
 * <pre>{@code
 * try (Scorer scorer = Scorer.load(Path.of("churn.onnx"))) {
 *     ...
 * } catch (ModelLoadException e) {
 *     log.error("cannot use {} ({}): {}", e.source(), e.format(), e.getMessage());
 * }
 * }</pre>
 *
 * <p>The message names the source (file name, or {@code <bytes>} / {@code <stream>}), the format
 * when it is known, and the cause. It is one line of bounded length: text that came from the model
 * (element names, attribute values, the runtime's own words about them) has its control characters
 * escaped and is cut, so that logging the message cannot forge a log line.
 */
public class ModelLoadException extends HandoffException {
    private static final long serialVersionUID = 1L;

    /** A file name, {@code <bytes>} or {@code <stream>}. */
    private final String source;
    /** The detected format, or {@code null}. */
    private final ModelFormat format;
    /** What is wrong, as a sentence. */
    private final String reason;

    private static final int MAX_SOURCE_CHARS = 1_000;
    private static final int MAX_REASON_CHARS = 4_000;

    /**
     * @param source what was loaded: a file name, {@code <bytes>} or {@code <stream>}
     * @param format the detected format, or {@code null} when it could not be detected
     * @param reason what is wrong, as a sentence
     * @param cause the underlying failure, or {@code null}
     */
    public ModelLoadException(String source, ModelFormat format, String reason, Throwable cause) {
        super(describe(source, format, reason), cause);
        this.source = LogText.safe(source, MAX_SOURCE_CHARS);
        this.format = format;
        this.reason = LogText.safe(reason, MAX_REASON_CHARS);
    }

    /**
     * A failure without an underlying exception.
     *
     * @param source what was loaded: a file name, {@code <bytes>} or {@code <stream>}
     * @param format the detected format, or {@code null} when it could not be detected
     * @param reason what is wrong, as a sentence
     */
    public ModelLoadException(String source, ModelFormat format, String reason) {
        this(source, format, reason, null);
    }

    private static String describe(String source, ModelFormat format, String reason) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        String what = format == null ? "model" : format + " model";
        return "Cannot load " + what + " " + LogText.safe(source, MAX_SOURCE_CHARS) + ": " + LogText.safe(reason, MAX_REASON_CHARS);
    }

    /** The file name, {@code <bytes>} or {@code <stream>}. */
    public String source() {
        return source;
    }

    /** What is wrong, without the source and format that {@link #getMessage()} starts with. */
    public String reason() {
        return reason;
    }

    /** The detected format, or {@code null} when the content is neither ONNX nor PMML. */
    public ModelFormat format() {
        return format;
    }
}

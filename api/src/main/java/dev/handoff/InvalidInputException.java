package dev.handoff;

import dev.handoff.internal.LogText;

import java.util.Optional;

/**
 * This record (or row {@link #row()} of a batch) is bad: a missing value the model does not accept, a
 * value of the wrong type, an unparseable number, an unknown category under
 * {@link UnknownCategoryPolicy#ERROR}, a key that only nearly matches an input name, or a record the
 * model gives no prediction for. Skip the record; the scorer stays healthy. In a batch it is not
 * thrown but held by the row's {@link Prediction#failure()}.
 *
 * <pre>{@code
 * try {
 *     return scorer.score(record);
 * } catch (InvalidInputException e) {
 *     log.warn("skipping record: {}", e.getMessage());        // names the Java setting, if one refused it
 *     return badRequest(e.field(), e.clientMessage());        // field and problem, safe to show a client
 * }
 * }</pre>
 *
 * <p>{@link #getMessage()} is for the developer: it ends with the scorer {@link Setting} under which
 * the record fails, when there is one. {@link #clientMessage()} and {@link #problem()} say only what is
 * wrong with the record and what was expected.
 */
public class InvalidInputException extends HandoffException {
    private static final long serialVersionUID = 1L;
    /** The longest problem kept, as {@link ScoringException} bounds its message. */
    private static final int MAX_PROBLEM_CHARS = 4_000;
    /** The longest field name in a message. */
    private static final int MAX_FIELD_CHARS = 200;

    /** The input field at fault, or {@code null}. */
    private final String field;
    /** The offending value; not serialized, as it may be of any type. */
    private final transient Object value;
    /** The 0-based row of the batch, or -1. */
    private final int row;
    /** What is wrong and what was expected. */
    private final String problem;
    /** The scorer setting that refused the record, or {@code null}. */
    private final Setting setting;

    /**
     * A scorer setting under which a record fails that the model itself would take: the part of a
     * failure a service's client cannot fix, and its developer can.
     */
    public enum Setting {
        /** {@code ScorerOptions.rejectMissingValues(true)}: every missing value is rejected. */
        MISSING_VALUES_REJECTED("this scorer rejects missing values: ScorerOptions.rejectMissingValues"),
        /** {@code ScorerOptions.strictKeys(true)}: a key the model does not read is rejected. */
        STRICT_KEYS("strict keys are on: ScorerOptions.strictKeys"),
        /** {@code ScorerOptions.unknownCategories(UnknownCategoryPolicy.ERROR)}: a value outside the declared categories is rejected. */
        UNKNOWN_CATEGORIES_REJECTED("unknown-category policy ERROR: ScorerOptions.unknownCategories");

        private final String developerHint;

        Setting(String developerHint) {
            this.developerHint = developerHint;
        }

        /** The setting in the words of the Java API, as {@link InvalidInputException#getMessage()} ends with it. */
        public String developerHint() {
            return developerHint;
        }
    }

    /**
     * A failure that is the record's alone, whatever the scorer's settings.
     *
     * @param field the input field at fault, or {@code null} when the fault is not one field's
     * @param value the offending value (may be {@code null} for a missing value)
     * @param row the 0-based row of the batch, or -1 for a single record
     * @param problem what is wrong and what was expected, as a sentence a service's client may read
     */
    public InvalidInputException(String field, Object value, int row, String problem) {
        this(field, value, row, problem, null);
    }

    /**
     * A failure under a scorer {@link Setting}, which {@link #getMessage()} names for the developer and
     * {@link #clientMessage()} leaves out.
     *
     * @param field the input field at fault, or {@code null} when the fault is not one field's
     * @param value the offending value (may be {@code null} for a missing value)
     * @param row the 0-based row of the batch, or -1 for a single record
     * @param problem what is wrong and what was expected, as a sentence a service's client may read
     * @param setting the scorer setting under which the record fails, or {@code null}
     */
    public InvalidInputException(String field, Object value, int row, String problem, Setting setting) {
        this(field, value, row, setting, LogText.safe(problem, MAX_PROBLEM_CHARS));
    }

    /** With the problem already escaped and bounded: every message goes through {@link LogText} exactly once. */
    private InvalidInputException(String field, Object value, int row, Setting setting, String safeProblem) {
        super(describe(field, row, safeProblem) + (setting == null ? "" : " (" + setting.developerHint() + ")"));
        this.field = field;
        this.value = value;
        this.row = row;
        this.problem = safeProblem;
        this.setting = setting;
    }

    /** Field names and problems may hold a client's or a model's text: escaped and bounded, so no line is forged. */
    private static String describe(String field, int row, String safeProblem) {
        StringBuilder sb = new StringBuilder("Invalid input");
        if (field != null) {
            sb.append(" for field '").append(LogText.safe(field, MAX_FIELD_CHARS)).append('\'');
        }
        if (row >= 0) {
            sb.append(" in row ").append(row);
        }
        sb.append(": ").append(safeProblem);
        return sb.toString();
    }

    /**
     * A new exception with this one's field, value, row, problem and setting, and this one as its cause:
     * what a stored failure is thrown as, so that the caller gets a stack trace of its own call and
     * nothing it does to the exception (suppressed exceptions, a new stack trace) reaches the stored one.
     */
    InvalidInputException thrownAgain() {
        InvalidInputException fresh = new InvalidInputException(field, value, row, setting, problem); // problem is already safe
        fresh.initCause(this);
        return fresh;
    }

    /** The input field at fault, or {@code null} when the fault is not one field's. */
    public String field() {
        return field;
    }

    /** The offending value as given, {@code null} for a missing one. */
    public Object value() {
        return value;
    }

    /** The 0-based row of the batch, or -1 when a single record was scored. */
    public int row() {
        return row;
    }

    /**
     * What is wrong with the value and what was expected, without field or row: for example
     * {@code value 'abc' (String) is not a number; expected a number (FLOAT)}. Control characters are
     * escaped and the length bounded (about 4,000 chars), as in every message of this exception.
     */
    public String problem() {
        return problem;
    }

    /** The scorer setting under which the record fails, when a setting rather than the model refuses it. */
    public Optional<Setting> setting() {
        return Optional.ofNullable(setting);
    }

    /**
     * The failure in words a service may return to its client (an HTTP 400 body, say): the field, the
     * row of a batch and the {@linkplain #problem() problem}, without the Java settings that
     * {@link #getMessage()} names for the developer.
     */
    public String clientMessage() {
        return describe(field, row, problem);
    }
}

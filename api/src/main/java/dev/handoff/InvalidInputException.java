package dev.handoff;

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
 *     log.warn("skipping record: field {} = {}: {}", e.field(), e.value(), e.getMessage());
 *     return null;
 * }
 * }</pre>
 */
public class InvalidInputException extends HandoffException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final transient Object value;
    private final int row;
    private final String problem;

    /**
     * @param field the input field at fault, or {@code null} when the fault is not one field's
     * @param value the offending value (may be {@code null} for a missing value)
     * @param row the 0-based row of the batch, or -1 for a single record
     * @param problem what is wrong and what was expected, as a sentence
     */
    public InvalidInputException(String field, Object value, int row, String problem) {
        super(describe(field, value, row, problem));
        this.field = field;
        this.value = value;
        this.row = row;
        this.problem = problem;
    }

    private static String describe(String field, Object value, int row, String problem) {
        StringBuilder sb = new StringBuilder("Invalid input");
        if (field != null) {
            sb.append(" for field '").append(field).append('\'');
        }
        if (row >= 0) {
            sb.append(" in row ").append(row);
        }
        sb.append(": ").append(problem);
        return sb.toString();
    }

    /** Returns the same failure, placed at row {@code row} of a batch. */
    public InvalidInputException atRow(int row) {
        if (row == this.row) {
            return this;
        }
        return new InvalidInputException(field, value, row, problem);
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
}

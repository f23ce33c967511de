package dev.handoff.spi;

import dev.handoff.InputField;
import dev.handoff.ValueType;

import java.util.List;
import java.util.Objects;

/**
 * Rows bound to a model's inputs, one column per {@link InputField}, already checked by Handoff.
 *
 * <pre>{@code
 * for (int f = 0; f < inputs.size(); f++) {
 *     if (inputs.get(f).type() == ValueType.STRING) {
 *         String[] values = columns.strings(f);   // null = missing
 *     } else {
 *         double[] values = columns.doubles(f);   // NaN = missing; row r of a tensor input at
 *     }                                           // [r * elementsPerRow, (r + 1) * elementsPerRow)
 * }
 * }</pre>
 *
 * <p>Numbers, whole numbers and booleans (0/1) come as {@code double[]}; strings as {@code String[]}.
 * The arrays are shared with the caller's batch: a runtime reads them and never modifies them.
 */
public final class InputColumns {
    private final int rowCount;
    private final Object[] columns;

    /**
     * @param rowCount the number of rows
     * @param fields the model's inputs
     * @param columns one column per field: {@code double[]} of {@code rowCount * elementsPerRow()} for
     *                numeric and boolean fields, {@code String[]} of {@code rowCount} for strings
     */
    public InputColumns(int rowCount, List<InputField> fields, Object[] columns) {
        if (rowCount < 0) {
            throw new IllegalArgumentException("rowCount must not be negative, got " + rowCount);
        }
        this.rowCount = rowCount;
        this.columns = Objects.requireNonNull(columns, "columns").clone();
        if (this.columns.length != fields.size()) {
            throw new IllegalArgumentException(fields.size() + " fields but " + this.columns.length + " columns");
        }
        for (int f = 0; f < this.columns.length; f++) {
            InputField field = fields.get(f);
            Object c = this.columns[f];
            int expected = field.type() == ValueType.STRING ? rowCount : rowCount * field.elementsPerRow();
            int length = c instanceof double[] d ? d.length : c instanceof String[] s ? s.length : -1;
            boolean rightKind = field.type() == ValueType.STRING ? c instanceof String[] : c instanceof double[];
            if (!rightKind || length != expected) {
                throw new IllegalArgumentException("column " + f + " ('" + field.name() + "', " + field.type()
                        + ") must be a " + (field.type() == ValueType.STRING ? "String[]" : "double[]") + " of " + expected
                        + " values, got " + (c == null ? "null" : c.getClass().getSimpleName() + " of " + length));
            }
        }
    }

    /** The number of rows. */
    public int rowCount() {
        return rowCount;
    }

    /** The column of numeric or boolean field {@code field}; {@code NaN} marks a missing value. */
    public double[] doubles(int field) {
        return (double[]) columns[field];
    }

    /** The column of string field {@code field}; {@code null} marks a missing value. */
    public String[] strings(int field) {
        return (String[]) columns[field];
    }
}

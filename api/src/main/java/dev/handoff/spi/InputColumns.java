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
 *     switch (inputs.get(f).type()) {
 *         case STRING -> { String[] values = columns.strings(f); }   // null = missing
 *         case INTEGER -> { long[] values = columns.longs(f); }      // exact int64; columns.isMissing(f, i)
 *         default -> { double[] values = columns.doubles(f); }       // NaN = missing
 *     }
 * }
 * // row r of a tensor input is at [r * elementsPerRow, (r + 1) * elementsPerRow)
 * }</pre>
 *
 * <p>Numbers and booleans (0/1) come as {@code double[]}; whole numbers ({@link ValueType#INTEGER}) as
 * {@code long[]}, so that an int64 keeps every digit (a {@code double} holds 53 bits); strings as
 * {@code String[]}. The arrays are handed over as they are (Handoff builds them for each call) and
 * may be shared with the caller's batch: a runtime reads them and never modifies them.
 */
public final class InputColumns {
    private final int rowCount;
    private final Object[] columns;
    /** Per INTEGER field, which of its values are missing; null for other fields and where none is. */
    private final boolean[][] missingLongs;
    /** Row-major values of the scalar number fields bound from records (one array, not one per field); or null. */
    private final double[] block;
    private final int blockWidth;
    /** Per field its column in {@link #block}, or -1. */
    private final int[] blockColumn;

    /**
     * @param rowCount the number of rows
     * @param fields the model's inputs
     * @param columns one column per field: {@code double[]} of {@code rowCount * elementsPerRow()} for
     *                numeric and boolean fields, {@code long[]} of that size for INTEGER fields,
     *                {@code String[]} of {@code rowCount} for strings
     */
    public InputColumns(int rowCount, List<InputField> fields, Object[] columns) {
        this(rowCount, fields, columns, null);
    }

    /**
     * @param missingLongs per field, for an INTEGER field the values that are missing ({@code true});
     *                     {@code null} (the whole array, or a field's entry) when none is
     */
    public InputColumns(int rowCount, List<InputField> fields, Object[] columns, boolean[][] missingLongs) {
        this(rowCount, fields, columns, missingLongs, null, null);
    }

    /**
     * @param block row-major values of the FLOAT, DOUBLE and BOOLEAN scalar fields whose {@code columns}
     *              entry is {@code null}: row {@code r} of such a field is {@code block[r * width + blockColumn[f]]},
     *              {@code width} being the number of such fields; {@code null} when every field has its column
     * @param blockColumn per field its column in {@code block}, or -1; {@code null} with {@code block}
     */
    public InputColumns(int rowCount, List<InputField> fields, Object[] columns, boolean[][] missingLongs, double[] block,
                        int[] blockColumn) {
        if (rowCount < 0) {
            throw new IllegalArgumentException("rowCount must not be negative, got " + rowCount);
        }
        this.rowCount = rowCount;
        this.columns = Objects.requireNonNull(columns, "columns");
        this.missingLongs = missingLongs;
        if (this.columns.length != fields.size() || missingLongs != null && missingLongs.length != fields.size()) {
            throw new IllegalArgumentException(fields.size() + " fields but " + this.columns.length + " columns");
        }
        this.block = block;
        this.blockColumn = block == null ? null : blockColumn;
        int width = 0;
        if (block != null) {
            for (int f = 0; f < this.columns.length; f++) {
                if (this.blockColumn[f] >= 0) {
                    InputField field = fields.get(f);
                    if (this.columns[f] != null || !field.isScalar() || field.type() == ValueType.STRING
                            || field.type() == ValueType.INTEGER) {
                        throw new IllegalArgumentException("field " + f + " ('" + field.name() + "') cannot be in the block");
                    }
                    width++;
                }
            }
            if (block.length != (long) rowCount * width) {
                throw new IllegalArgumentException("the block must have " + rowCount + " x " + width + " values, got " + block.length);
            }
        }
        this.blockWidth = width;
        for (int f = 0; f < this.columns.length; f++) {
            InputField field = fields.get(f);
            if (inBlock(f)) {
                continue;
            }
            Object c = this.columns[f];
            long expected = field.type() == ValueType.STRING ? rowCount : (long) rowCount * field.elementsPerRow();
            Class<?> kind = kind(field.type());
            int length = c != null && c.getClass() == kind ? java.lang.reflect.Array.getLength(c) : -1;
            boolean[] missing = missingLongs == null ? null : missingLongs[f];
            if (length != expected || missing != null && (field.type() != ValueType.INTEGER || missing.length != length)) {
                throw new IllegalArgumentException("column " + f + " ('" + field.name() + "', " + field.type()
                        + ") must be a " + kind.getSimpleName() + " of " + expected + " values"
                        + (missing != null ? " with a missing mask of the same length" : "") + ", got "
                        + (c == null ? "null" : c.getClass().getSimpleName() + " of " + length));
            }
        }
    }

    private static Class<?> kind(ValueType type) {
        return switch (type) {
            case STRING -> String[].class;
            case INTEGER -> long[].class;
            default -> double[].class;
        };
    }

    /** The number of rows. */
    public int rowCount() {
        return rowCount;
    }

    private boolean inBlock(int field) {
        return blockColumn != null && blockColumn[field] >= 0;
    }

    /**
     * The column of a FLOAT, DOUBLE or BOOLEAN field {@code field}; {@code NaN} marks a missing value.
     * For records bound into one block, the column is copied out on first use: {@link #doubleAt} reads
     * without a copy.
     */
    public double[] doubles(int field) {
        if (columns[field] == null && inBlock(field)) {
            double[] column = new double[rowCount];
            for (int r = 0; r < rowCount; r++) {
                column[r] = block[r * blockWidth + blockColumn[field]];
            }
            columns[field] = column;
        }
        return (double[]) columns[field];
    }

    /** Value {@code index} (a row, or an element of a tensor row) of a FLOAT, DOUBLE or BOOLEAN field; {@code NaN} = missing. */
    public double doubleAt(int field, int index) {
        if (inBlock(field)) {
            Objects.checkIndex(index, rowCount);
            return block[index * blockWidth + blockColumn[field]];
        }
        return ((double[]) columns[field])[index];
    }

    /** The column of INTEGER field {@code field}, exact; a missing value reads 0 and {@link #isMissing} says which. */
    public long[] longs(int field) {
        return (long[]) columns[field];
    }

    /** The column of string field {@code field}; {@code null} marks a missing value. */
    public String[] strings(int field) {
        return (String[]) columns[field];
    }

    /** Whether value {@code index} of column {@code field} (a row, or an element of a tensor row) is missing. */
    public boolean isMissing(int field, int index) {
        if (inBlock(field)) {
            return Double.isNaN(doubleAt(field, index));
        }
        Object c = columns[field];
        if (c instanceof double[] d) {
            return Double.isNaN(d[index]);
        }
        if (c instanceof long[] l) {
            boolean[] missing = missingLongs == null ? null : missingLongs[field];
            Objects.checkIndex(index, l.length);
            return missing != null && missing[index];
        }
        return ((String[]) c)[index] == null;
    }
}

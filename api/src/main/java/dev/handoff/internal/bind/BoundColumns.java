package dev.handoff.internal.bind;

import dev.handoff.InputField;
import dev.handoff.spi.InputColumns;
import dev.handoff.ValueType;

import java.util.List;
import java.util.Objects;

/**
 * The {@link InputColumns} the binder fills: scalar FLOAT, DOUBLE and BOOLEAN values of records in one
 * row-major block (one array per call, not one per field), the other fields one array each, and for
 * INTEGER fields a mask of the missing values beside the exact {@code long[]}.
 */
public final class BoundColumns implements InputColumns {
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
     * @param columns one column per field: {@code double[]} of {@code rowCount * elementsPerRow()} for
     *                numeric and boolean fields, {@code long[]} of that size for INTEGER fields,
     *                {@code String[]} of {@code rowCount} for strings; {@code null} for a field in the block
     * @param missingLongs per field, for an INTEGER field the values that are missing ({@code true});
     *                     {@code null} (the whole array, or a field's entry) when none is
     * @param block row-major values of the FLOAT, DOUBLE and BOOLEAN scalar fields whose {@code columns}
     *              entry is {@code null}: row {@code r} of such a field is {@code block[r * width + blockColumn[f]]},
     *              {@code width} being the number of such fields; {@code null} when every field has its column
     * @param blockColumn per field its column in {@code block}, or -1; {@code null} with {@code block}
     */
    public BoundColumns(int rowCount, List<InputField> fields, Object[] columns, boolean[][] missingLongs, double[] block,
                        int[] blockColumn) {
        this(rowCount, columns, missingLongs, block, block == null ? null : blockColumn,
                checkedBlockWidth(rowCount, fields, columns, missingLongs, block, blockColumn));
    }

    private BoundColumns(int rowCount, Object[] columns, boolean[][] missingLongs, double[] block, int[] blockColumn,
                         int blockWidth) {
        this.rowCount = rowCount;
        this.columns = columns;
        this.missingLongs = missingLongs;
        this.block = block;
        this.blockColumn = blockColumn;
        this.blockWidth = blockWidth;
    }

    /**
     * Columns the binder allocated itself from its {@link InputLayout}, whose shapes are right by construction: not
     * checked field by field again on every call (the public constructor checks what others hand in).
     */
    static BoundColumns ofLayout(int rowCount, InputLayout layout, Object[] columns, boolean[][] missingLongs, double[] block) {
        return new BoundColumns(rowCount, columns, missingLongs, block, block == null ? null : layout.blockColumn,
                block == null ? 0 : layout.blockWidth);
    }

    /** Checks the arguments of the public constructor; returns the width of the block (0 without one). */
    private static int checkedBlockWidth(int rowCount, List<InputField> fields, Object[] columns, boolean[][] missingLongs,
                                         double[] block, int[] blockColumn) {
        if (rowCount < 0) {
            throw new IllegalArgumentException("rowCount must not be negative, got " + rowCount);
        }
        Objects.requireNonNull(columns, "columns");
        if (columns.length != fields.size() || missingLongs != null && missingLongs.length != fields.size()) {
            throw new IllegalArgumentException(fields.size() + " fields but " + columns.length + " columns");
        }
        int[] blocked = block == null ? null : blockColumn;
        int width = 0;
        if (block != null) {
            for (int f = 0; f < columns.length; f++) {
                if (blocked[f] >= 0) {
                    InputField field = fields.get(f);
                    if (columns[f] != null || !field.isScalar() || field.type() == ValueType.STRING
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
        for (int f = 0; f < columns.length; f++) {
            InputField field = fields.get(f);
            if (blocked != null && blocked[f] >= 0) {
                continue;
            }
            Object c = columns[f];
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
        return width;
    }

    private static Class<?> kind(ValueType type) {
        return switch (type) {
            case STRING -> String[].class;
            case INTEGER -> long[].class;
            default -> double[].class;
        };
    }

    @Override
    public int rowCount() {
        return rowCount;
    }

    private boolean inBlock(int field) {
        return blockColumn != null && blockColumn[field] >= 0;
    }

    @Override
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

    @Override
    public double doubleAt(int field, int index) {
        if (inBlock(field)) {
            Objects.checkIndex(index, rowCount);
            return block[index * blockWidth + blockColumn[field]];
        }
        return ((double[]) columns[field])[index];
    }

    @Override
    public long[] longs(int field) {
        return (long[]) columns[field];
    }

    @Override
    public String[] strings(int field) {
        return (String[]) columns[field];
    }

    @Override
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

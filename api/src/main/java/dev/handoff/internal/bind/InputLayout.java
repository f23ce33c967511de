package dev.handoff.internal.bind;

import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.ValueType;

import java.util.List;

/**
 * Where each input's values go in {@link BoundColumns}: scalar FLOAT, DOUBLE and BOOLEAN inputs of
 * records share one row-major block (one array per call instead of one per field); every other input
 * has its own column. Array sizes are computed in {@code long} and refused above what one array holds.
 */
final class InputLayout {
    /** The most values one Java array holds. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    final List<InputField> fields;
    final InputField[] fieldArray;
    /** Per field its column in the block, or -1. */
    final int[] blockColumn;
    final int blockWidth;
    /** Whether any input takes an array per row (whose values are counted before anything is allocated). */
    final boolean hasTensors;
    /** Whether any input is INTEGER (whose missing values need a mask beside the long[] column). */
    final boolean hasIntegers;

    InputLayout(List<InputField> fields) {
        this.fields = List.copyOf(fields);
        this.fieldArray = this.fields.toArray(new InputField[0]);
        this.blockColumn = new int[fieldArray.length];
        int width = 0;
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            boolean number = field.type() != ValueType.STRING && field.type() != ValueType.INTEGER;
            blockColumn[f] = field.isScalar() && number ? width++ : -1;
        }
        this.blockWidth = width;
        this.hasTensors = this.fields.stream().anyMatch(f -> !f.isScalar());
        this.hasIntegers = this.fields.stream().anyMatch(f -> f.type() == ValueType.INTEGER);
    }

    /** Values per row of field {@code f} in its column: 1 for a string, {@code elementsPerRow()} otherwise. */
    int width(int f) {
        InputField field = fieldArray[f];
        return field.type() == ValueType.STRING ? 1 : field.elementsPerRow();
    }

    /**
     * Allocates the columns of {@code rows} rows; with {@code block}, none for the fields that go into
     * the block.
     */
    Object[] newColumns(int rows, boolean block) {
        Object[] columns = new Object[fieldArray.length];
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            if (block && blockColumn[f] >= 0) {
                continue;
            }
            if (field.type() == ValueType.STRING) {
                columns[f] = new String[rows];
                continue;
            }
            int size = checkedSize(field, rows);
            columns[f] = field.type() == ValueType.INTEGER ? new long[size] : new double[size];
        }
        return columns;
    }

    double[] newBlock(int rows) {
        if (blockWidth == 0) {
            return null;
        }
        long size = (long) rows * blockWidth;
        if (size > MAX_ARRAY) {
            throw new InvalidInputException(null, null, -1, rows + " rows x " + blockWidth + " number inputs are too many for "
                    + "one call (more than " + MAX_ARRAY + " values); score fewer rows at a time");
        }
        return new double[(int) size];
    }

    /** {@code rows x elementsPerRow}, or an {@link InvalidInputException} when that is more than one array holds. */
    static int checkedSize(InputField field, int rows) {
        long size = (long) rows * field.elementsPerRow();
        if (size > MAX_ARRAY) {
            throw new InvalidInputException(field.name(), null, -1, rows + " rows x " + field.elementsPerRow()
                    + " values per row of input '" + field.name() + "' are too many for one call (more than " + MAX_ARRAY
                    + "); score fewer rows at a time");
        }
        return (int) size;
    }
}

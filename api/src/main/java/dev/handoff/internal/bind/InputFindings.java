package dev.handoff.internal.bind;

import java.util.Arrays;

/**
 * What binding found in each of the caller's rows, handed forward so that no later stage reads the
 * inputs again: which inputs were missing (to explain a row the model gives no prediction for) and,
 * when stats are recorded, which were outside their declared range or an unseen category.
 * Indexed by the caller's row; arrays are allocated only when something is found.
 */
public final class InputFindings {
    private final int fieldCount;
    private final int rowCount;
    /** [field][row]; null (the whole, or a field's entry) until something is found: most calls find nothing. */
    private boolean[][] missing;
    private boolean[][] outOfRange;
    private int[] unseenRows;
    private int[] unseenFields;
    private String[] unseenValues;
    private int unseenCount;

    InputFindings(int fieldCount, int rowCount) {
        this.fieldCount = fieldCount;
        this.rowCount = rowCount;
    }

    void missing(int field, int row) {
        if (missing == null) {
            missing = new boolean[fieldCount][];
        }
        if (missing[field] == null) {
            missing[field] = new boolean[rowCount];
        }
        missing[field][row] = true;
    }

    void outOfRange(int field, int row) {
        if (outOfRange == null) {
            outOfRange = new boolean[fieldCount][];
        }
        if (outOfRange[field] == null) {
            outOfRange[field] = new boolean[rowCount];
        }
        outOfRange[field][row] = true;
    }

    void unseen(int field, int row, String value) {
        if (unseenRows == null) {
            unseenRows = new int[4];
            unseenFields = new int[4];
            unseenValues = new String[4];
        } else if (unseenCount == unseenRows.length) {
            unseenRows = Arrays.copyOf(unseenRows, unseenCount * 2);
            unseenFields = Arrays.copyOf(unseenFields, unseenCount * 2);
            unseenValues = Arrays.copyOf(unseenValues, unseenCount * 2);
        }
        unseenRows[unseenCount] = row;
        unseenFields[unseenCount] = field;
        unseenValues[unseenCount++] = value;
    }

    public int fieldCount() {
        return fieldCount;
    }

    /** Whether some value of input {@code field} was missing in the caller's row {@code row}. */
    public boolean isMissing(int field, int row) {
        return missing != null && missing[field] != null && missing[field][row];
    }

    /** Whether any value of input {@code field} was missing in any row. */
    public boolean anyMissing(int field) {
        return missing != null && missing[field] != null;
    }

    /** Whether a number of input {@code field} in row {@code row} was outside the model's declared range (stats only). */
    public boolean isOutOfRange(int field, int row) {
        return outOfRange != null && outOfRange[field] != null && outOfRange[field][row];
    }

    public boolean anyOutOfRange(int field) {
        return outOfRange != null && outOfRange[field] != null;
    }

    /** The values outside their input's declared categories (stats only), in the order found. */
    public int unseenCount() {
        return unseenCount;
    }

    public int unseenRow(int i) {
        return unseenRows[i];
    }

    public int unseenField(int i) {
        return unseenFields[i];
    }

    public String unseenValue(int i) {
        return unseenValues[i];
    }
}

package dev.handoff.spi;

import dev.handoff.InputField;
import dev.handoff.ValueType;

/**
 * Rows bound to a model's inputs, one column per {@link InputField}, already checked by Handoff: what a
 * {@link ScoringEngine} reads.
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
 * {@code String[]}. The arrays may be shared with the caller's batch: a runtime reads them and never
 * modifies them. Handoff builds the columns for each call; a runtime never builds them itself.
 */
public interface InputColumns {

    /** The number of rows. */
    int rowCount();

    /**
     * The column of a FLOAT, DOUBLE or BOOLEAN field {@code field}; {@code NaN} marks a missing value.
     * May copy the column out of a row-major layout on first use: {@link #doubleAt} reads without a copy.
     */
    double[] doubles(int field);

    /** Value {@code index} (a row, or an element of a tensor row) of a FLOAT, DOUBLE or BOOLEAN field; {@code NaN} = missing. */
    double doubleAt(int field, int index);

    /** The column of INTEGER field {@code field}, exact; a missing value reads 0 and {@link #isMissing} says which. */
    long[] longs(int field);

    /** The column of string field {@code field}; {@code null} marks a missing value. */
    String[] strings(int field);

    /** Whether value {@code index} of column {@code field} (a row, or an element of a tensor row) is missing. */
    boolean isMissing(int field, int index);
}

package dev.handoff.internal.bind;

import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.ValueType;

import java.util.Set;

import static dev.handoff.internal.bind.BindMessages.describe;

/**
 * Rejects, while binding, a whole number that does not fit an input the model holds in 32 bits (an
 * ONNX int32 tensor): known from the model's schema, so it is the record's invalid input, never
 * something the runtime has to refuse.
 */
final class Int32Check {
    private final InputField[] fields;
    /** Per field whether it is 32 bits wide; null when none is. */
    private final boolean[] int32;

    Int32Check(InputField[] fields, Set<String> int32Inputs) {
        this.fields = fields;
        boolean[] flags = new boolean[fields.length];
        boolean any = false;
        for (int f = 0; f < fields.length; f++) {
            flags[f] = fields[f].type() == ValueType.INTEGER && int32Inputs.contains(fields[f].name());
            any |= flags[f];
        }
        this.int32 = any ? flags : null;
    }

    /** Checks row {@code i} of freshly bound columns (the caller's row {@code row}). */
    void check(Object[] columns, boolean[][] masks, int i, int row) {
        if (int32 == null) {
            return;
        }
        for (int f = 0; f < fields.length; f++) {
            if (!int32[f]) {
                continue;
            }
            long[] values = (long[]) columns[f];
            boolean[] mask = masks == null ? null : masks[f];
            int width = fields[f].elementsPerRow();
            for (int k = i * width, end = k + width; k < end; k++) {
                long v = values[k];
                if ((v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) && (mask == null || !mask[k])) {
                    throw new InvalidInputException(fields[f].name(), v, row, "value " + v + " does not fit the model's "
                            + "32-bit input (INT32, " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + "); expected "
                            + describe(fields[f]));
                }
            }
        }
    }
}

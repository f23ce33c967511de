package dev.handoff.internal.bind;

import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.ValueType;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Map;

import static dev.handoff.internal.bind.BindMessages.describe;
import static dev.handoff.internal.bind.BindMessages.notBoolean;

/**
 * Binds the columns of a batch, column by column and without boxing a cell: a caller's
 * {@code double[]} or {@code long[]} is used as it is when the input can take it. A row with a bad
 * cell gets its own {@link InvalidInputException}; a column that is unusable as a whole (wrong Java
 * type or length, a name that only nearly matches an input) throws.
 */
final class BatchBinder {
    private final InputLayout layout;
    private final ValueConversion values;
    private final KeyCheck keys;
    private final RowCompaction compaction;
    private final RowInspector inspector;
    private final Int32Check int32;

    BatchBinder(InputLayout layout, ValueConversion values, KeyCheck keys, Int32Check int32, RowInspector inspector) {
        this.layout = layout;
        this.values = values;
        this.keys = keys;
        this.compaction = new RowCompaction(layout);
        this.inspector = inspector;
        this.int32 = int32;
    }

    /** @param columnsByName the batch's columns by name (the batch's own arrays, never modified) */
    BoundRows bind(int n, Map<String, Object> columnsByName) {
        if (!columnsByName.isEmpty() && !keys.allInputs(columnsByName.keySet())) {
            keys.check(columnsByName.keySet(), -1, "column");
        }
        InputField[] fields = layout.fieldArray;
        Object[] columns = new Object[fields.length];
        MissingMasks masks = layout.hasIntegers ? new MissingMasks(fields.length) : null;
        InvalidInputException[] failures = new InvalidInputException[n];
        for (int f = 0; f < fields.length; f++) {
            InputField field = fields[f];
            Object column = columnsByName.get(field.name());
            columns[f] = switch (field.type()) {
                case STRING -> stringColumn(f, column, n, failures);
                case INTEGER -> longColumn(field, column, n, failures, masks, f);
                default -> numberColumn(field, column, n, failures);
            };
        }
        boolean anyFailed = false;
        InputFindings findings = new InputFindings(fields.length, n);
        boolean[][] maskArrays = masks == null ? null : masks.masks;
        for (int r = 0; r < n; r++) {
            if (failures[r] == null) {
                try {
                    int32.check(columns, maskArrays, r, r);
                    inspector.inspect(columns, null, maskArrays, r, r, findings);
                    continue;
                } catch (InvalidInputException e) {
                    failures[r] = e;
                }
            }
            anyFailed = true;
        }
        return compaction.compact(n, n, columns, null, maskArrays, anyFailed ? failures : null, null, findings, false);
    }

    private String[] stringColumn(int f, Object column, int n, InvalidInputException[] failures) {
        InputField field = layout.fieldArray[f];
        if (column == null) {
            column = new String[n];
        }
        String[] in;
        if (column instanceof String[] strings) {
            in = strings;
        } else if (column instanceof long[] longs) {
            in = new String[n];
            for (int r = 0; r < Math.min(n, longs.length); r++) {
                in[r] = Long.toString(longs[r]);
            }
        } else {
            throw new InvalidInputException(field.name(), null, -1, "the batch column is " + column.getClass().getSimpleName()
                    + "; expected strings (String[]) for a STRING input");
        }
        if (Array.getLength(column) != n) {
            throw new InvalidInputException(field.name(), null, -1, "the batch column has " + Array.getLength(column)
                    + " values; expected one per row (" + n + ") for a scalar STRING input");
        }
        String[] out = in == column ? null : in;
        for (int r = 0; r < n; r++) {
            if (failures[r] != null) {
                continue;
            }
            try {
                String bound = values.toCategory(f, in[r], r);
                if (bound != in[r]) {
                    if (out == null) {
                        out = in.clone();
                    }
                    out[r] = bound;
                }
            } catch (InvalidInputException e) {
                failures[r] = e;
            }
        }
        return out == null ? in : out;
    }

    private double[] numberColumn(InputField field, Object column, int n, InvalidInputException[] failures) {
        int width = field.elementsPerRow();
        int expected = InputLayout.checkedSize(field, n);
        if (column == null) {
            double[] missing = new double[expected];
            Arrays.fill(missing, Double.NaN);
            everyRowMissing(field, n, failures);
            return missing;
        }
        checkColumnLength(field, column, n, expected);
        // one loop per array type: no boxing of a cell
        if (column instanceof double[] doubles) {
            // the caller's array is used as it is; only what this input can refuse is checked, without boxing
            checkDoubles(field, doubles, expected, width, failures);
            return doubles;
        }
        double[] out = new double[expected];
        if (column instanceof long[] longs) {
            for (int i = 0; i < expected; i++) {
                out[i] = longs[i];
                int r = i / width;
                if (failures[r] == null && field.type() == ValueType.BOOLEAN && longs[i] != 0 && longs[i] != 1) {
                    failures[r] = notBoolean(field, longs[i], r);
                }
            }
        } else if (column instanceof boolean[] booleans) {
            for (int i = 0; i < expected; i++) {
                out[i] = booleans[i] ? 1 : 0;
            }
        } else if (column instanceof String[] strings) {
            for (int i = 0; i < expected; i++) {
                int r = i / width;
                if (failures[r] == null) {
                    try {
                        out[i] = values.toNumber(field, strings[i], r);
                    } catch (InvalidInputException e) {
                        failures[r] = e;
                    }
                }
            }
        } else {
            throw wrongColumnType(field, column);
        }
        return out;
    }

    /** An INTEGER column as exact {@code long}s: a {@code long[]} is taken as it is. */
    private long[] longColumn(InputField field, Object column, int n, InvalidInputException[] failures, MissingMasks masks, int f) {
        int width = field.elementsPerRow();
        int expected = InputLayout.checkedSize(field, n);
        if (column == null) {
            everyRowMissing(field, n, failures);
            boolean[] all = new boolean[expected];
            Arrays.fill(all, true);
            masks.masks[f] = all;
            return new long[expected];
        }
        checkColumnLength(field, column, n, expected);
        if (column instanceof long[] longs) {
            return longs;
        }
        long[] out = new long[expected];
        if (column instanceof boolean[] booleans) {
            for (int i = 0; i < expected; i++) {
                out[i] = booleans[i] ? 1 : 0;
            }
            return out;
        }
        if (!(column instanceof double[]) && !(column instanceof String[])) {
            throw wrongColumnType(field, column);
        }
        for (int i = 0; i < expected; i++) {
            int r = i / width;
            if (failures[r] != null) {
                continue;
            }
            try {
                if (column instanceof double[] doubles) {
                    if (Double.isNaN(doubles[i])) {
                        values.checkMissing(field, r);
                        masks.mark(f, expected, i);
                    } else {
                        out[i] = ValueConversion.wholeDouble(field, doubles[i], doubles[i], r);
                    }
                } else {
                    RecordBinder.bindLong(values, field, ((String[]) column)[i], out, masks, f, i, r);
                }
            } catch (InvalidInputException e) {
                failures[r] = e;
            }
        }
        return out;
    }

    private void everyRowMissing(InputField field, int n, InvalidInputException[] failures) {
        for (int r = 0; r < n; r++) {
            if (failures[r] == null) {
                try {
                    values.checkMissing(field, r);
                } catch (InvalidInputException e) {
                    failures[r] = e;
                }
            }
        }
    }

    /**
     * Checks a number column ({@code width} values per row) for what the input refuses (a missing
     * value, an infinity the model does not declare valid, a boolean other than 0/1), giving each row its
     * first failure. Finite numbers cost one comparison each.
     */
    private void checkDoubles(InputField field, double[] column, int to, int width, InvalidInputException[] failures) {
        boolean refusesMissing = values.rejectsMissing() || !field.acceptsMissing();
        boolean booleans = field.type() == ValueType.BOOLEAN;
        for (int i = 0; i < to; i++) {
            double d = column[i];
            if (Double.isFinite(d) ? booleans && d != 0 && d != 1 : refusesMissing || !Double.isNaN(d)) {
                int r = i / width;
                if (failures[r] == null) {
                    try {
                        values.checkNumber(field, d, d, r);
                    } catch (InvalidInputException e) {
                        failures[r] = e;
                    }
                }
            }
        }
    }

    private static void checkColumnLength(InputField field, Object column, int n, int expected) {
        int length = Array.getLength(column);
        if (length != expected) {
            throw new InvalidInputException(field.name(), null, -1, "the batch column has " + length + " values; expected "
                    + expected + " (" + n + " rows x " + field.elementsPerRow() + " per row) for " + describe(field));
        }
    }

    private static InvalidInputException wrongColumnType(InputField field, Object column) {
        return new InvalidInputException(field.name(), null, -1, "the batch column is " + column.getClass().getSimpleName()
                + "; expected double[], long[], boolean[] or String[] for " + describe(field));
    }
}

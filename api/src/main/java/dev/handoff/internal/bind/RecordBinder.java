package dev.handoff.internal.bind;

import dev.handoff.InputField;
import dev.handoff.InvalidInputException;

import java.util.List;
import java.util.Map;

import static dev.handoff.internal.bind.BindMessages.atRow;
import static dev.handoff.internal.bind.BindMessages.nullRecord;

/**
 * Binds records (maps from input name to value) into columns, row by row. A record that cannot be
 * bound gets its own {@link InvalidInputException} and is left out of the columns.
 */
final class RecordBinder {
    private final InputLayout layout;
    private final ValueConversion values;
    private final KeyCheck keys;
    private final TensorReader tensors;
    private final RowCompaction compaction;
    private final RowInspector inspector;
    private final Int32Check int32;

    RecordBinder(InputLayout layout, ValueConversion values, KeyCheck keys, Int32Check int32, RowInspector inspector) {
        this.layout = layout;
        this.values = values;
        this.keys = keys;
        this.tensors = new TensorReader(layout.fieldArray, values);
        this.compaction = new RowCompaction(layout);
        this.inspector = inspector;
        this.int32 = int32;
    }

    /**
     * Binds in two passes. First every tensor value is counted (nesting depth and the number of
     * parts bounded, so a self-referential or endless collection fails fast), and a row whose tensor
     * has the wrong number of values fails before anything is allocated for it. Then the columns are
     * allocated for the rows left, sizes in {@code long}, and filled.
     *
     * @param single whether the caller scored one record (its failure carries row -1)
     */
    BoundRows bind(List<? extends Map<String, ?>> records, boolean single) {
        int n = records.size();
        InvalidInputException[] failures = null;
        int[] workRows = null; // per allocated row its record, when some records failed the count
        if (layout.hasTensors) {
            for (int r = 0; r < n; r++) {
                try {
                    tensors.count(records.get(r), single ? -1 : r);
                } catch (InvalidInputException e) {
                    if (failures == null) {
                        failures = new InvalidInputException[n];
                    }
                    failures[r] = atRow(e, single ? -1 : r);
                }
            }
            if (failures != null) {
                workRows = RowCompaction.goodRows(n, failures);
            }
        }
        int m = workRows == null ? n : workRows.length;
        Object[] columns = layout.newColumns(m, true);
        double[] block = layout.newBlock(m);
        MissingMasks masks = layout.hasIntegers ? new MissingMasks(layout.fieldArray.length) : null;
        boolean[][] maskArrays = masks == null ? null : masks.masks;
        InputFindings findings = new InputFindings(layout.fieldArray.length, n);
        for (int i = 0; i < m; i++) {
            int r = workRows == null ? i : workRows[i];
            int row = single ? -1 : r;
            try {
                bindRecord(records.get(r), columns, block, masks, i, row);
                int32.check(columns, maskArrays, i, row);
                inspector.inspect(columns, block, maskArrays, i, r, findings);
            } catch (InvalidInputException e) {
                if (failures == null) {
                    failures = new InvalidInputException[n];
                }
                failures[r] = atRow(e, row);
            }
        }
        return compaction.compact(n, m, columns, block, maskArrays, failures, workRows, findings, true);
    }

    private void bindRecord(Map<String, ?> record, Object[] columns, double[] block, MissingMasks masks, int r, int row) {
        if (record == null) {
            throw nullRecord(row);
        }
        InputField[] fields = layout.fieldArray;
        int present = 0;
        int absent = 0;
        for (int f = 0; f < fields.length; f++) {
            InputField field = fields[f];
            Object value = record.get(field.name());
            if (value != null || record.containsKey(field.name())) {
                present++;
            } else {
                absent++;
            }
            switch (field.type()) {
                case STRING -> ((String[]) columns[f])[r] = values.toCategory(f, value, row);
                case INTEGER -> {
                    if (field.isScalar()) {
                        bindLong(values, field, value, (long[]) columns[f], masks, f, r, row);
                    } else {
                        tensors.fill(field, value, columns[f], masks, f, r * field.elementsPerRow(), row);
                    }
                }
                default -> {
                    int blockColumn = layout.blockColumn[f];
                    if (blockColumn >= 0) {
                        block[r * layout.blockWidth + blockColumn] = values.toNumber(field, value, row);
                    } else {
                        tensors.fill(field, value, columns[f], masks, f, r * field.elementsPerRow(), row);
                    }
                }
            }
        }
        if (record.size() > present && (keys.strict() || absent > 0)) {
            keys.check(record.keySet(), row, "key");
        }
    }

    /** One value of an INTEGER column: exact, or missing (then the mask says so). */
    static void bindLong(ValueConversion values, InputField field, Object value, long[] column, MissingMasks masks, int f,
                         int index, int row) {
        if (ValueConversion.isMissingValue(value)) {
            values.checkMissing(field, row);
            masks.mark(f, column.length, index);
        } else {
            column[index] = values.toLong(field, value, row);
        }
    }
}

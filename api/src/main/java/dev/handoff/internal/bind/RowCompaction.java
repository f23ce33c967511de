package dev.handoff.internal.bind;

import dev.handoff.InvalidInputException;

import java.lang.reflect.Array;

/** Leaves the rows that failed to bind out of the columns, keeping the others in order. */
final class RowCompaction {
    private final InputLayout layout;

    RowCompaction(InputLayout layout) {
        this.layout = layout;
    }

    /** The caller's rows that did not fail, in order. */
    static int[] goodRows(int n, InvalidInputException[] failures) {
        int good = 0;
        for (InvalidInputException failure : failures) {
            if (failure == null) {
                good++;
            }
        }
        int[] rows = new int[good];
        for (int r = 0, i = 0; r < n; r++) {
            if (failures[r] == null) {
                rows[i++] = r;
            }
        }
        return rows;
    }

    /**
     * @param n the rows the caller gave
     * @param m the rows the columns hold
     * @param failures per given row its failure, or null when none failed
     * @param workRows per row of the columns its given row, or null when they are the same
     * @param allocatedHere whether the binder allocated every column from the layout (records), so that their shapes need no
     *                      check; a batch's columns may be the caller's own arrays
     */
    BoundRows compact(int n, int m, Object[] columns, double[] block, boolean[][] masks, InvalidInputException[] failures,
                      int[] workRows, InputFindings findings, boolean allocatedHere) {
        int[] keep = null;
        if (failures != null) {
            int good = 0;
            for (int i = 0; i < m; i++) {
                if (failures[workRows == null ? i : workRows[i]] == null) {
                    good++;
                }
            }
            if (good < m) {
                keep = new int[good];
                for (int i = 0, k = 0; i < m; i++) {
                    if (failures[workRows == null ? i : workRows[i]] == null) {
                        keep[k++] = i;
                    }
                }
            }
        }
        if (keep == null) {
            BoundColumns bound = allocatedHere ? BoundColumns.ofLayout(m, layout, columns, masks, block)
                    : new BoundColumns(m, layout.fields, columns, masks, block, block == null ? null : layout.blockColumn);
            return new BoundRows(bound, n, failures, workRows,
                    findings);
        }
        int good = keep.length;
        int[] sourceRows = new int[good];
        for (int k = 0; k < good; k++) {
            sourceRows[k] = workRows == null ? keep[k] : workRows[keep[k]];
        }
        Object[] kept = new Object[columns.length];
        boolean[][] keptMasks = masks == null ? null : new boolean[columns.length][];
        for (int f = 0; f < columns.length; f++) {
            if (columns[f] == null) {
                continue; // in the block
            }
            int width = layout.width(f);
            kept[f] = copyRows(columns[f], keep, width);
            if (masks != null && masks[f] != null) {
                keptMasks[f] = (boolean[]) copyRows(masks[f], keep, width);
            }
        }
        double[] keptBlock = block == null ? null : (double[]) copyRows(block, keep, layout.blockWidth);
        return new BoundRows(BoundColumns.ofLayout(good, layout, kept, keptMasks, keptBlock), n, failures,
                sourceRows, findings);
    }

    private static Object copyRows(Object column, int[] rows, int width) {
        Object target = Array.newInstance(column.getClass().getComponentType(), rows.length * width);
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(column, rows[k] * width, target, k * width, width);
        }
        return target;
    }
}

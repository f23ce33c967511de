package dev.handoff.onnx.internal;

import java.lang.reflect.Array;
import java.util.List;

/**
 * Decoded outputs of some rows: per output a flat Java array (double[], long[], boolean[], String[]),
 * cut and joined when a graph that fixes its batch size is run chunk by chunk.
 */
final class DecodedColumns {
    final int rows;
    final Object[] columns;

    DecodedColumns(int rows, Object[] columns) {
        this.rows = rows;
        this.columns = columns;
    }

    /** The first {@code count} rows. */
    DecodedColumns head(int count) {
        Object[] cut = new Object[columns.length];
        for (int c = 0; c < columns.length; c++) {
            int width = Array.getLength(columns[c]) / rows;
            Object target = Array.newInstance(columns[c].getClass().getComponentType(), count * width);
            System.arraycopy(columns[c], 0, target, 0, count * width);
            cut[c] = target;
        }
        return new DecodedColumns(count, cut);
    }

    /** Concatenates the columns of consecutive row ranges. */
    static DecodedColumns concat(List<DecodedColumns> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int rows = parts.stream().mapToInt(p -> p.rows).sum();
        int width = parts.get(0).columns.length;
        Object[] merged = new Object[width];
        for (int c = 0; c < width; c++) {
            int length = 0;
            for (DecodedColumns p : parts) {
                length += Array.getLength(p.columns[c]);
            }
            Object target = Array.newInstance(parts.get(0).columns[c].getClass().getComponentType(), length);
            int offset = 0;
            for (DecodedColumns p : parts) {
                int n = Array.getLength(p.columns[c]);
                System.arraycopy(p.columns[c], 0, target, offset, n);
                offset += n;
            }
            merged[c] = target;
        }
        return new DecodedColumns(rows, merged);
    }
}

package dev.handoff.internal.bind;

import dev.handoff.InputField;
import dev.handoff.InputField.ValueRange;
import dev.handoff.ValueType;

import java.util.Map;
import java.util.Set;

/**
 * Notes, in the binding pass, what a bound row holds that later stages need: its missing values
 * always, and, when stats are recorded, its numbers outside the declared ranges and its unseen categories.
 */
final class RowInspector {
    private final InputLayout layout;
    private final ValueConversion values;
    private final ValueRange[] ranges;
    private final boolean forStats;

    RowInspector(InputLayout layout, ValueConversion values, Map<String, ValueRange> declaredRanges, boolean forStats) {
        this.layout = layout;
        this.values = values;
        this.forStats = forStats;
        this.ranges = new ValueRange[layout.fieldArray.length];
        for (int f = 0; f < ranges.length; f++) {
            InputField field = layout.fieldArray[f];
            ranges[f] = field.type() == ValueType.STRING ? null : declaredRanges.get(field.name());
        }
    }

    /**
     * Inspects row {@code i} of freshly bound columns, the caller's row {@code row}.
     *
     * @param block the block of the record path, or {@code null}
     * @param masks the missing masks of INTEGER columns, or {@code null}
     */
    void inspect(Object[] columns, double[] block, boolean[][] masks, int i, int row, InputFindings findings) {
        InputField[] fields = layout.fieldArray;
        for (int f = 0; f < fields.length; f++) {
            InputField field = fields[f];
            if (field.type() == ValueType.STRING) {
                String v = ((String[]) columns[f])[i];
                if (v == null) {
                    findings.missing(f, row);
                } else if (forStats) {
                    Set<String> known = values.categories(f);
                    if (known != null && !known.contains(v)) {
                        findings.unseen(f, row, v);
                    }
                }
                continue;
            }
            ValueRange range = forStats ? ranges[f] : null;
            int blockColumn = layout.blockColumn[f];
            if (block != null && blockColumn >= 0) {
                double d = block[i * layout.blockWidth + blockColumn];
                if (Double.isNaN(d)) {
                    findings.missing(f, row);
                } else if (range != null && !range.contains(d)) {
                    findings.outOfRange(f, row);
                }
                continue;
            }
            int width = field.elementsPerRow();
            boolean missing = false;
            boolean outside = false;
            if (field.type() == ValueType.INTEGER) {
                long[] longs = (long[]) columns[f];
                boolean[] mask = masks == null ? null : masks[f];
                for (int k = i * width, end = k + width; k < end; k++) {
                    if (mask != null && mask[k]) {
                        missing = true;
                    } else if (range != null && !range.contains((double) longs[k])) {
                        outside = true;
                    }
                }
            } else {
                double[] doubles = (double[]) columns[f];
                for (int k = i * width, end = k + width; k < end; k++) {
                    double d = doubles[k];
                    if (Double.isNaN(d)) {
                        missing = true;
                    } else if (range != null && !range.contains(d)) {
                        outside = true;
                    }
                }
            }
            if (missing) {
                findings.missing(f, row);
            }
            if (outside) {
                findings.outOfRange(f, row);
            }
        }
    }
}

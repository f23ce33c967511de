package dev.handoff.internal.bind;

import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.ValueType;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Map;

import static dev.handoff.internal.bind.BindMessages.describe;
import static dev.handoff.internal.bind.BindMessages.notAnArray;
import static dev.handoff.internal.bind.BindMessages.nullRecord;
import static dev.handoff.internal.bind.BindMessages.tensorSize;
import static dev.handoff.internal.bind.BindMessages.tooManyValues;

/**
 * Reads the array value of a tensor input (a {@code double[]}, {@code float[]}, {@code int[]},
 * {@code long[]}, or nested arrays and lists of numbers) in two steps: first {@link #count} its
 * numbers without storing them, bounded, so that a self-referential or endless value fails fast and
 * a value of the wrong size fails before anything is allocated; then {@link #fill} its row of the column.
 */
final class TensorReader {
    private final InputField[] fields;
    private final ValueConversion values;

    TensorReader(InputField[] fields, ValueConversion values) {
        this.fields = fields;
        this.values = values;
    }

    /** Counts every tensor value of a record; a value of the wrong size throws. */
    void count(Map<String, ?> record, int row) {
        if (record == null) {
            throw nullRecord(row);
        }
        for (InputField field : fields) {
            if (!field.isScalar()) {
                Object value = record.get(field.name());
                if (value != null) {
                    TensorCount count = new TensorCount(field, row);
                    count.count(value, 0);
                    if (count.values != field.elementsPerRow()) {
                        throw tensorSize(field, value, count.values, row);
                    }
                }
            }
        }
    }

    /**
     * Counts the numbers in one tensor value without storing them. Arrays and lists may nest at most
     * one level deeper than the input's shape; the parts visited are bounded by what a value of that
     * shape can have; counting stops at the first value too many. So a self-referential list, a
     * 5,000-deep nesting or an endless {@link Iterable} fail at once with an {@link InvalidInputException}.
     */
    private static final class TensorCount {
        private final InputField field;
        private final int row;
        private final int maxDepth;
        private long partsLeft;
        long values;

        TensorCount(InputField field, int row) {
            this.field = field;
            this.row = row;
            this.maxDepth = field.shape().size() + 1;
            this.partsLeft = (long) field.shape().size() * field.elementsPerRow() + 16;
        }

        void count(Object value, int depth) {
            if (depth >= maxDepth) {
                throw new InvalidInputException(field.name(), null, row, "the value nests arrays or lists deeper than "
                        + "the input's shape " + field.shape() + " allows (" + maxDepth + " levels); expected " + describe(field));
            }
            if (--partsLeft < 0) {
                throw new InvalidInputException(field.name(), null, row, "the value has more arrays or lists than a value "
                        + "of shape " + field.shape() + " can have; expected " + describe(field));
            }
            if (value instanceof double[] || value instanceof float[] || value instanceof int[] || value instanceof long[]) {
                add(Array.getLength(value), value);
            } else if (value instanceof Object[] array) {
                for (Object element : array) {
                    element(element, depth);
                }
            } else if (value instanceof Iterable<?> iterable) {
                for (Object element : iterable) {
                    element(element, depth);
                }
            } else {
                throw notAnArray(field, value, row);
            }
        }

        private void element(Object element, int depth) {
            if (isScalarElement(element)) {
                add(1, element);
            } else {
                count(element, depth + 1);
            }
        }

        private void add(int n, Object value) {
            values += n;
            if (values > field.elementsPerRow()) {
                throw tooManyValues(field, value == null || value instanceof Number ? value : null, row);
            }
        }
    }

    private static boolean isScalarElement(Object element) {
        return element == null || element instanceof Number || element instanceof CharSequence || element instanceof Boolean;
    }

    /**
     * Fills one row of a tensor input ({@code double[]}, or {@code long[]} for INTEGER) from a value
     * already counted; the bounds are checked again, since an {@link Iterable} may give other elements
     * the second time.
     */
    void fill(InputField field, Object value, Object dest, MissingMasks masks, int f, int offset, int row) {
        int width = field.elementsPerRow();
        if (value == null) {
            values.checkMissing(field, row);
            if (dest instanceof double[] doubles) {
                Arrays.fill(doubles, offset, offset + width, Double.NaN);
            } else {
                for (int i = offset; i < offset + width; i++) {
                    masks.mark(f, ((long[]) dest).length, i);
                }
            }
            return;
        }
        TensorFill fill = new TensorFill(field, dest, masks, f, offset, offset + width, row);
        fill.fill(value);
        if (fill.position != offset + width) {
            throw tensorSize(field, value, fill.position - offset, row);
        }
        if (dest instanceof double[] doubles) {
            boolean booleans = field.type() == ValueType.BOOLEAN;
            for (int i = offset; i < offset + width; i++) { // primitive arrays were copied unchecked
                double d = doubles[i];
                if (!Double.isFinite(d) || booleans && d != 0 && d != 1) {
                    values.checkNumber(field, d, d, row); // a missing value, an infinity, a boolean other than 0/1
                }
            }
        }
    }

    /** Writes the numbers of one tensor value into its row of the column. */
    private final class TensorFill {
        private final InputField field;
        private final double[] doubles;
        private final long[] longs;
        private final MissingMasks masks;
        private final int f;
        private final int end;
        private final int row;
        int position;

        TensorFill(InputField field, Object dest, MissingMasks masks, int f, int offset, int end, int row) {
            this.field = field;
            this.doubles = dest instanceof double[] d ? d : null;
            this.longs = dest instanceof long[] l ? l : null;
            this.masks = masks;
            this.f = f;
            this.position = offset;
            this.end = end;
            this.row = row;
        }

        void fill(Object value) {
            if (value instanceof double[] a) {
                room(a.length);
                if (doubles != null) {
                    System.arraycopy(a, 0, doubles, position, a.length);
                    position += a.length;
                } else {
                    for (double x : a) {
                        scalar(x);
                    }
                }
            } else if (value instanceof long[] a) {
                room(a.length);
                if (longs != null) {
                    System.arraycopy(a, 0, longs, position, a.length);
                    position += a.length;
                } else {
                    for (long x : a) {
                        doubles[position++] = x;
                    }
                }
            } else if (value instanceof float[] a) {
                room(a.length);
                for (float x : a) {
                    if (doubles != null) {
                        doubles[position++] = x;
                    } else {
                        scalar(x);
                    }
                }
            } else if (value instanceof int[] a) {
                room(a.length);
                for (int x : a) {
                    if (doubles != null) {
                        doubles[position++] = x;
                    } else {
                        longs[position++] = x;
                    }
                }
            } else if (value instanceof Object[] a) {
                for (Object element : a) {
                    element(element);
                }
            } else if (value instanceof Iterable<?> it) {
                for (Object element : it) {
                    element(element);
                }
            } else {
                throw notAnArray(field, value, row);
            }
        }

        private void element(Object element) {
            if (isScalarElement(element)) {
                room(1);
                scalar(element);
            } else {
                fill(element);
            }
        }

        private void scalar(Object element) {
            if (doubles != null) {
                doubles[position++] = values.toNumber(field, element, row);
            } else {
                RecordBinder.bindLong(values, field, element, longs, masks, f, position++, row);
            }
        }

        private void scalar(double x) {
            if (Double.isNaN(x)) {
                scalar((Object) null);
            } else {
                longs[position++] = ValueConversion.wholeDouble(field, x, x, row);
            }
        }

        private void room(int n) {
            if (position + n > end) {
                throw tooManyValues(field, null, row);
            }
        }
    }
}

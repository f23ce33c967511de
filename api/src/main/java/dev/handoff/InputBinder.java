package dev.handoff;

import dev.handoff.spi.InputColumns;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns records and batches into {@link InputColumns} for one model: names, types, missing values,
 * unknown categories, under one {@link ScorerOptions} policy. The same for every runtime.
 */
final class InputBinder {
    private final List<InputField> fields;
    private final InputField[] fieldArray;
    private final Set<String>[] categorySets;
    private final MissingFieldPolicy missingPolicy;
    private final UnknownCategoryPolicy categoryPolicy;

    @SuppressWarnings("unchecked")
    InputBinder(List<InputField> fields, ScorerOptions options) {
        this.fields = List.copyOf(fields);
        this.fieldArray = this.fields.toArray(new InputField[0]);
        this.categorySets = new Set[fieldArray.length];
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            if (field.type() == ValueType.STRING && !field.categories().isEmpty()) {
                categorySets[f] = Set.copyOf(new HashSet<>(field.categories()));
            }
        }
        this.missingPolicy = options.missingFields();
        this.categoryPolicy = options.unknownCategories();
    }

    InputColumns bindRecord(Map<String, ?> record) {
        return bindRecords(List.of(record), -1);
    }

    InputColumns bindRecords(List<? extends Map<String, ?>> records) {
        return bindRecords(records, 0);
    }

    /** @param firstRow -1 when a single record is bound (no row in messages), otherwise 0 */
    private InputColumns bindRecords(List<? extends Map<String, ?>> records, int firstRow) {
        int n = records.size();
        if (n == 0) {
            throw new IllegalArgumentException("no records to score");
        }
        Object[] columns = new Object[fieldArray.length];
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            columns[f] = field.type() == ValueType.STRING ? new String[n] : new double[n * field.elementsPerRow()];
        }
        for (int r = 0; r < n; r++) {
            Map<String, ?> record = records.get(r);
            int row = firstRow < 0 ? -1 : r;
            if (record == null) {
                throw new InvalidInputException(null, null, row, "the record is null; expected a map from field name to value");
            }
            for (int f = 0; f < fieldArray.length; f++) {
                InputField field = fieldArray[f];
                Object value = record.get(field.name());
                if (field.type() == ValueType.STRING) {
                    ((String[]) columns[f])[r] = toCategory(f, value, row);
                } else if (field.isScalar()) {
                    ((double[]) columns[f])[r] = toNumber(field, value, row);
                } else {
                    fillTensor(field, value, (double[]) columns[f], r * field.elementsPerRow(), row);
                }
            }
        }
        return new InputColumns(n, fields, columns);
    }

    InputColumns bindBatch(Batch batch) {
        int n = batch.rowCount();
        Object[] columns = new Object[fieldArray.length];
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            Object column = batch.column(field.name());
            columns[f] = field.type() == ValueType.STRING ? stringColumn(f, column, n) : numberColumn(field, column, n);
        }
        return new InputColumns(n, fields, columns);
    }

    // ---- batches ----

    private String[] stringColumn(int f, Object column, int n) {
        InputField field = fieldArray[f];
        if (column == null) {
            column = new String[n];
        }
        String[] out;
        if (column instanceof String[] strings) {
            out = strings;
        } else if (column instanceof long[] longs) {
            out = new String[n];
            for (int r = 0; r < n; r++) {
                out[r] = Long.toString(longs[r]);
            }
        } else {
            throw new InvalidInputException(field.name(), null, -1, "the batch column is " + column.getClass().getSimpleName()
                    + "; expected strings (String[]) for a STRING input");
        }
        if (out.length != n) {
            throw new InvalidInputException(field.name(), null, -1, "the batch column has " + out.length
                    + " values; expected one per row (" + n + ") for a scalar STRING input");
        }
        String[] copy = null;
        for (int r = 0; r < n; r++) {
            String bound = toCategory(f, out[r], r);
            if (!java.util.Objects.equals(bound, out[r])) {
                if (copy == null) {
                    copy = out.clone();
                }
                copy[r] = bound;
            }
        }
        return copy == null ? out : copy;
    }

    private double[] numberColumn(InputField field, Object column, int n) {
        int width = field.elementsPerRow();
        int expected = n * width;
        if (column == null) {
            double[] missing = new double[expected];
            Arrays.fill(missing, Double.NaN);
            if (field.required() && missingPolicy == MissingFieldPolicy.ERROR) {
                throw missing(field, 0);
            }
            return missing;
        }
        int length = Array.getLength(column);
        if (length != expected) {
            throw new InvalidInputException(field.name(), null, -1, "the batch column has " + length + " values; expected "
                    + expected + " (" + n + " rows x " + width + " per row) for " + describe(field));
        }
        double[] out;
        if (column instanceof double[] doubles) {
            out = doubles;
            for (int i = 0; i < expected; i++) {
                checkNumber(field, out[i], out[i], i / width);
            }
            return out;
        }
        out = new double[expected];
        for (int i = 0; i < expected; i++) {
            Object cell = column instanceof long[] l ? (Object) l[i]
                    : column instanceof boolean[] b ? (Object) b[i]
                    : ((String[]) column)[i];
            out[i] = width == 1 ? toNumber(field, cell, i) : elementToNumber(field, cell, i / width);
        }
        return out;
    }

    // ---- single values ----

    private double toNumber(InputField field, Object value, int row) {
        double d = elementToNumber(field, value, row);
        return checkNumber(field, value, d, row);
    }

    private double checkNumber(InputField field, Object original, double d, int row) {
        if (Double.isNaN(d)) {
            if (field.required() && missingPolicy == MissingFieldPolicy.ERROR) {
                throw missing(field, row);
            }
            return d;
        }
        if (field.type() == ValueType.INTEGER && d != Math.rint(d)) {
            throw new InvalidInputException(field.name(), original, row, "value " + show(original)
                    + " is not a whole number; expected " + describe(field));
        }
        if (field.type() == ValueType.BOOLEAN && d != 0 && d != 1) {
            throw new InvalidInputException(field.name(), original, row, "value " + show(original)
                    + " is not a boolean; expected true/false or 1/0 for " + describe(field));
        }
        return d;
    }

    /** Converts one value to a double; NaN for missing. Policy checks are the caller's. */
    private double elementToNumber(InputField field, Object value, int row) {
        if (value == null) {
            return Double.NaN;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Boolean b) {
            if (field.type() == ValueType.BOOLEAN) {
                return b ? 1 : 0;
            }
            throw wrongType(field, value, row);
        }
        if (value instanceof CharSequence text) {
            String s = text.toString().strip();
            if (s.isEmpty()) {
                return Double.NaN;
            }
            if (field.type() == ValueType.BOOLEAN) {
                if (s.equalsIgnoreCase("true")) {
                    return 1;
                }
                if (s.equalsIgnoreCase("false")) {
                    return 0;
                }
            }
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(field.name(), value, row, "value " + show(value)
                        + " is not a number; expected " + describe(field));
            }
        }
        throw wrongType(field, value, row);
    }

    private String toCategory(int f, Object value, int row) {
        InputField field = fieldArray[f];
        String s;
        if (value == null) {
            s = null;
        } else if (value instanceof CharSequence text) {
            s = text.toString();
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof java.math.BigInteger) {
            s = value.toString();
        } else if (value instanceof Enum<?> e) {
            s = e.name();
        } else if (value instanceof Character || value instanceof Boolean) {
            s = value.toString();
        } else {
            throw wrongType(field, value, row);
        }
        if (s == null || s.isEmpty()) {
            if (field.required() && missingPolicy == MissingFieldPolicy.ERROR) {
                throw missing(field, row);
            }
            return null;
        }
        Set<String> categories = categorySets[f];
        if (categories != null && categoryPolicy != UnknownCategoryPolicy.AS_MODEL_DECLARES && !categories.contains(s)) {
            if (categoryPolicy == UnknownCategoryPolicy.AS_MISSING) {
                return null;
            }
            throw new InvalidInputException(field.name(), value, row, "value " + show(value)
                    + " is not a known category; expected one of " + field.categories());
        }
        return s;
    }

    private void fillTensor(InputField field, Object value, double[] dest, int offset, int row) {
        int width = field.elementsPerRow();
        if (value == null) {
            if (field.required() && missingPolicy == MissingFieldPolicy.ERROR) {
                throw missing(field, row);
            }
            Arrays.fill(dest, offset, offset + width, Double.NaN);
            return;
        }
        int[] cursor = {offset};
        flatten(field, value, dest, cursor, offset + width, row);
        if (cursor[0] != offset + width) {
            throw tensorSize(field, value, cursor[0] - offset, row);
        }
    }

    private void flatten(InputField field, Object value, double[] dest, int[] cursor, int end, int row) {
        if (value instanceof double[] a) {
            checkRoom(field, value, a.length, cursor, end, row);
            System.arraycopy(a, 0, dest, cursor[0], a.length);
            cursor[0] += a.length;
        } else if (value instanceof float[] a) {
            checkRoom(field, value, a.length, cursor, end, row);
            for (float x : a) {
                dest[cursor[0]++] = x;
            }
        } else if (value instanceof int[] a) {
            checkRoom(field, value, a.length, cursor, end, row);
            for (int x : a) {
                dest[cursor[0]++] = x;
            }
        } else if (value instanceof long[] a) {
            checkRoom(field, value, a.length, cursor, end, row);
            for (long x : a) {
                dest[cursor[0]++] = x;
            }
        } else if (value instanceof Object[] a) {
            for (Object element : a) {
                flattenElement(field, element, dest, cursor, end, row);
            }
        } else if (value instanceof Iterable<?> it) {
            for (Object element : it) {
                flattenElement(field, element, dest, cursor, end, row);
            }
        } else {
            throw new InvalidInputException(field.name(), value, row, "value " + show(value) + " is not an array; expected "
                    + describe(field) + " as a double[], float[], int[], long[] or list of numbers");
        }
    }

    private void flattenElement(InputField field, Object element, double[] dest, int[] cursor, int end, int row) {
        if (element == null || element instanceof Number || element instanceof CharSequence || element instanceof Boolean) {
            if (cursor[0] >= end) {
                cursor[0]++;
                return;
            }
            dest[cursor[0]++] = elementToNumber(field, element, row);
        } else {
            flatten(field, element, dest, cursor, end, row);
        }
    }

    private static void checkRoom(InputField field, Object value, int length, int[] cursor, int end, int row) {
        if (cursor[0] + length > end) {
            throw new InvalidInputException(field.name(), value, row, "the array has more than " + field.elementsPerRow()
                    + " values; expected " + describe(field));
        }
    }

    // ---- messages ----

    private static InvalidInputException tensorSize(InputField field, Object value, int count, int row) {
        return new InvalidInputException(field.name(), value, row, "the array has " + count + " values; expected "
                + field.elementsPerRow() + " for " + describe(field));
    }

    private InvalidInputException missing(InputField field, int row) {
        return new InvalidInputException(field.name(), null, row, "the value is missing; the model needs " + describe(field)
                + " (set MissingFieldPolicy.AS_MISSING to hand the model a missing value instead)");
    }

    private static InvalidInputException wrongType(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "value " + show(value) + " has the wrong type; expected "
                + describe(field));
    }

    private static String describe(InputField field) {
        String what = switch (field.type()) {
            case DOUBLE, FLOAT -> "a number";
            case INTEGER -> "a whole number";
            case BOOLEAN -> "a boolean";
            case STRING -> "a string";
            case MAP -> "a map";
        };
        if (!field.isScalar()) {
            what = "an array of " + field.elementsPerRow() + " numbers (shape " + field.shape() + ")";
        }
        return what + " (" + field.type() + ")";
    }

    private static String show(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
        if (text.length() > 80) {
            text = text.substring(0, 77) + "...";
        }
        return text + " (" + value.getClass().getSimpleName() + ")";
    }
}

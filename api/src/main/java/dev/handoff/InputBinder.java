package dev.handoff;

import dev.handoff.spi.InputColumns;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns records and batches into {@link InputColumns} for one model: names, types, missing values,
 * unknown categories, under one {@link ScorerOptions} policy. The same for every runtime. A row that
 * cannot be bound gets its own {@link InvalidInputException} and is left out of the columns, so that
 * the other rows of a batch are still scored.
 */
final class InputBinder {
    private final List<InputField> fields;
    private final InputField[] fieldArray;
    private final Set<String>[] categorySets;
    private final Set<String> inputNames;
    /** The input names in model order, for messages. */
    private final List<String> inputNameList;
    /** Input names by their {@link #loose} form, for "did you mean". */
    private final Map<String, String> inputsByLooseName;
    private final MissingValuePolicy missingPolicy;
    private final UnknownCategoryPolicy categoryPolicy;
    private final boolean strictKeys;

    @SuppressWarnings("unchecked")
    InputBinder(List<InputField> fields, ScorerOptions options) {
        this.fields = List.copyOf(fields);
        this.fieldArray = this.fields.toArray(new InputField[0]);
        this.categorySets = new Set[fieldArray.length];
        Map<String, String> loose = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            if (field.type() == ValueType.STRING && !field.categories().isEmpty()) {
                categorySets[f] = Set.copyOf(new HashSet<>(field.categories()));
            }
            names.add(field.name());
            loose.putIfAbsent(loose(field.name()), field.name());
        }
        this.inputNames = Set.copyOf(names);
        this.inputNameList = this.fields.stream().map(InputField::name).toList();
        this.inputsByLooseName = Map.copyOf(loose);
        this.missingPolicy = options.missingValues();
        this.categoryPolicy = options.unknownCategories();
        this.strictKeys = options.strictKeys();
    }

    BoundRows bindRecord(Map<String, ?> record) {
        return bindRecords(List.of(record), true);
    }

    BoundRows bindRecords(List<? extends Map<String, ?>> records) {
        return bindRecords(records, false);
    }

    private BoundRows bindRecords(List<? extends Map<String, ?>> records, boolean single) {
        int n = records.size();
        Object[] columns = newColumns(n);
        InvalidInputException[] failures = null;
        for (int r = 0; r < n; r++) {
            int row = single ? -1 : r;
            try {
                bindRecord(records.get(r), columns, r, row);
            } catch (InvalidInputException e) {
                if (failures == null) {
                    failures = new InvalidInputException[n];
                }
                failures[r] = e.atRow(row);
            }
        }
        return compact(n, columns, failures);
    }

    private void bindRecord(Map<String, ?> record, Object[] columns, int r, int row) {
        if (record == null) {
            throw new InvalidInputException(null, null, row, "the record is null; expected a map from field name to value");
        }
        int present = 0;
        int absent = 0;
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            Object value = record.get(field.name());
            if (value != null || record.containsKey(field.name())) {
                present++;
            } else {
                absent++;
            }
            if (field.type() == ValueType.STRING) {
                ((String[]) columns[f])[r] = toCategory(f, value, row);
            } else if (field.isScalar()) {
                ((double[]) columns[f])[r] = toNumber(field, value, row);
            } else {
                fillTensor(field, value, (double[]) columns[f], r * field.elementsPerRow(), row);
            }
        }
        if (record.size() > present && (strictKeys || absent > 0)) {
            checkKeys(record.keySet(), row, "key");
        }
    }

    BoundRows bindBatch(Batch batch) {
        int n = batch.rowCount();
        if (batch.columnNames().size() > 0 && !inputNames.containsAll(batch.columnNames())) {
            checkKeys(batch.columnNames(), -1, "column");
        }
        Object[] columns = new Object[fieldArray.length];
        InvalidInputException[] failures = new InvalidInputException[n];
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            Object column = batch.column(field.name());
            columns[f] = field.type() == ValueType.STRING ? stringColumn(f, column, n, failures)
                    : numberColumn(field, column, n, failures);
        }
        for (InvalidInputException failure : failures) {
            if (failure != null) {
                return compact(n, columns, failures);
            }
        }
        return compact(n, columns, null);
    }

    // ---- keys ----

    /**
     * Rejects keys the model does not read: under strict keys every one; otherwise those that match
     * an input only up to case, '_', '-', '.' or spaces while that input itself is absent.
     */
    private void checkKeys(Set<String> keys, int row, String what) {
        List<String> unread = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        String nearInput = null;
        for (String key : keys) {
            if (key == null || inputNames.contains(key)) {
                continue;
            }
            String near = inputsByLooseName.get(loose(key));
            if (near != null && !keys.contains(near)) {
                hints.add("'" + key + "' (did you mean '" + near + "'?)");
                nearInput = near;
            } else if (strictKeys) {
                unread.add("'" + key + "'");
            }
        }
        if (!hints.isEmpty()) {
            // field(): the input the key was meant for, when there is one
            throw new InvalidInputException(hints.size() == 1 ? nearInput : null, null, row, "the " + what + (hints.size() == 1 ? " " : "s ")
                    + String.join(", ", hints) + " " + (hints.size() == 1 ? "is" : "are")
                    + " not an input of the model; input names are matched exactly");
        }
        if (!unread.isEmpty()) {
            throw new InvalidInputException(null, null, row, "the " + what + (unread.size() == 1 ? " " : "s ")
                    + String.join(", ", unread) + (unread.size() == 1 ? " is" : " are") + " not read by the model; "
                    + "the model's inputs are " + inputNameList, InvalidInputException.Setting.STRICT_KEYS);
        }
    }

    /** The name with case, '_', '-', '.' and white space ignored: {@code TENURE-Months} and {@code tenure_months} meet. */
    private static String loose(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-' && c != '.' && !Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    // ---- rows in, good rows out ----

    private Object[] newColumns(int n) {
        Object[] columns = new Object[fieldArray.length];
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            columns[f] = field.type() == ValueType.STRING ? new String[n] : new double[Math.multiplyExact(n, field.elementsPerRow())];
        }
        return columns;
    }

    /** Leaves the failed rows out of the columns, keeping the others in order. */
    private BoundRows compact(int n, Object[] columns, InvalidInputException[] failures) {
        if (failures == null) {
            return new BoundRows(new InputColumns(n, fields, columns), n, null, null);
        }
        int good = 0;
        for (InvalidInputException failure : failures) {
            if (failure == null) {
                good++;
            }
        }
        int[] sourceRows = new int[good];
        for (int r = 0, i = 0; r < n; r++) {
            if (failures[r] == null) {
                sourceRows[i++] = r;
            }
        }
        Object[] kept = new Object[columns.length];
        for (int f = 0; f < columns.length; f++) {
            int width = fieldArray[f].type() == ValueType.STRING ? 1 : fieldArray[f].elementsPerRow();
            Object target = Array.newInstance(columns[f].getClass().getComponentType(), good * width);
            for (int i = 0; i < good; i++) {
                System.arraycopy(columns[f], sourceRows[i] * width, target, i * width, width);
            }
            kept[f] = target;
        }
        return new BoundRows(new InputColumns(good, fields, kept), n, failures, sourceRows);
    }

    // ---- batches ----

    private String[] stringColumn(int f, Object column, int n, InvalidInputException[] failures) {
        InputField field = fieldArray[f];
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
                String bound = toCategory(f, in[r], r);
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
        long expectedLong = (long) n * width;
        if (expectedLong > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException(field.name(), null, -1, n + " rows x " + width + " values per row of input '"
                    + field.name() + "' are too many for one call; score fewer rows at a time");
        }
        int expected = (int) expectedLong;
        if (column == null) {
            double[] missing = new double[expected];
            Arrays.fill(missing, Double.NaN);
            for (int r = 0; r < n; r++) {
                if (failures[r] == null) {
                    try {
                        checkMissing(field, r);
                    } catch (InvalidInputException e) {
                        failures[r] = e;
                    }
                }
            }
            return missing;
        }
        int length = Array.getLength(column);
        if (length != expected) {
            throw new InvalidInputException(field.name(), null, -1, "the batch column has " + length + " values; expected "
                    + expected + " (" + n + " rows x " + width + " per row) for " + describe(field));
        }
        double[] out = column instanceof double[] doubles ? doubles : new double[expected];
        for (int i = 0; i < expected; i++) {
            int r = i / width;
            if (failures[r] != null) {
                continue;
            }
            try {
                if (column instanceof double[] doubles) {
                    checkNumber(field, doubles[i], doubles[i], r);
                } else {
                    Object cell = column instanceof long[] l ? (Object) l[i]
                            : column instanceof boolean[] b ? (Object) b[i]
                            : ((String[]) column)[i];
                    out[i] = toNumber(field, cell, r);
                }
            } catch (InvalidInputException e) {
                failures[r] = e;
            }
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
            checkMissing(field, row);
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

    /** A missing value: handed to the model unless the policy or the model's treatment of the input forbids it. */
    private void checkMissing(InputField field, int row) {
        if (missingPolicy == MissingValuePolicy.REJECT) {
            throw new InvalidInputException(field.name(), null, row, "the value is missing, and missing values are "
                    + "not accepted; expected " + describe(field), InvalidInputException.Setting.MISSING_VALUES_REJECTED);
        }
        if (!field.acceptsMissing()) {
            throw new InvalidInputException(field.name(), null, row, "the value is missing, and the model does not accept a "
                    + "missing value for this input; expected " + describe(field));
        }
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
            return b ? 1 : 0; // as pandas, scikit-learn and JPMML read a boolean for a number
        }
        if (value instanceof CharSequence text) {
            String s = text.toString().strip();
            if (s.isEmpty()) {
                return Double.NaN;
            }
            if (s.equalsIgnoreCase("true")) {
                return 1;
            }
            if (s.equalsIgnoreCase("false")) {
                return 0;
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
        } else if (value instanceof String text) {
            s = text;
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
            checkMissing(field, row);
            return null;
        }
        Set<String> categories = categorySets[f];
        if (categories != null && categoryPolicy != UnknownCategoryPolicy.AS_MODEL_DECLARES && !categories.contains(s)) {
            if (categoryPolicy == UnknownCategoryPolicy.AS_MISSING) {
                return null;
            }
            throw new InvalidInputException(field.name(), value, row, "value " + show(value)
                    + " is not a known category; expected one of " + field.categories(), InvalidInputException.Setting.UNKNOWN_CATEGORIES_REJECTED);
        }
        return s;
    }

    private void fillTensor(InputField field, Object value, double[] dest, int offset, int row) {
        int width = field.elementsPerRow();
        if (value == null) {
            checkMissing(field, row);
            Arrays.fill(dest, offset, offset + width, Double.NaN);
            return;
        }
        int[] cursor = {offset};
        flatten(field, value, dest, cursor, offset + width, row);
        if (cursor[0] != offset + width) {
            throw tensorSize(field, value, cursor[0] - offset, row);
        }
        if (field.type() != ValueType.FLOAT && field.type() != ValueType.DOUBLE || missingPolicy == MissingValuePolicy.REJECT) {
            for (int i = offset; i < offset + width; i++) { // primitive arrays were copied unchecked
                checkNumber(field, dest[i], dest[i], row);
            }
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
                throw new InvalidInputException(field.name(), null, row, "the array has more than " + field.elementsPerRow()
                        + " values; expected " + describe(field));
            }
            dest[cursor[0]++] = toNumber(field, element, row);
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

    private static InvalidInputException wrongType(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "value " + show(value) + " has the wrong type; expected "
                + describe(field));
    }

    static String describe(InputField field) {
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

package dev.handoff;

import dev.handoff.spi.InputColumns;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
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
    private final boolean rejectMissing;
    private final UnknownCategoryPolicy categoryPolicy;
    private final boolean strictKeys;
    /** Whether any input takes an array per row (whose values are counted before anything is allocated). */
    private final boolean hasTensors;
    /**
     * Per field, its column in the row-major block that records bind their scalar FLOAT, DOUBLE and
     * BOOLEAN values into (one array per call instead of one per field), or -1.
     */
    private final int[] blockColumn;
    private final int blockWidth;
    /** Whether any input is INTEGER (whose missing values need a mask beside the long[] column). */
    private final boolean hasIntegers;

    /** The most values one Java array holds. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

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
        this.rejectMissing = options.rejectMissingValues();
        this.categoryPolicy = options.unknownCategories();
        this.strictKeys = options.strictKeys();
        this.hasTensors = this.fields.stream().anyMatch(f -> !f.isScalar());
        this.blockColumn = new int[fieldArray.length];
        int width = 0;
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            boolean number = field.type() != ValueType.STRING && field.type() != ValueType.INTEGER;
            blockColumn[f] = field.isScalar() && number ? width++ : -1;
        }
        this.blockWidth = width;
        this.hasIntegers = this.fields.stream().anyMatch(f -> f.type() == ValueType.INTEGER);
    }

    BoundRows bindRecord(Map<String, ?> record) {
        return bindRecords(List.of(record), true);
    }

    BoundRows bindRecords(List<? extends Map<String, ?>> records) {
        return bindRecords(records, false);
    }

    /**
     * Binds in two passes. First every tensor value is counted (nesting depth and the number of
     * parts bounded, so a self-referential or endless collection fails fast), and a row whose tensor
     * has the wrong number of values fails before anything is allocated for it. Then the columns are
     * allocated for the rows left, sizes in {@code long}, and filled.
     */
    private BoundRows bindRecords(List<? extends Map<String, ?>> records, boolean single) {
        int n = records.size();
        InvalidInputException[] failures = null;
        int[] workRows = null; // per allocated row its record, when some records failed the count
        if (hasTensors) {
            for (int r = 0; r < n; r++) {
                try {
                    countTensors(records.get(r), single ? -1 : r);
                } catch (InvalidInputException e) {
                    if (failures == null) {
                        failures = new InvalidInputException[n];
                    }
                    failures[r] = e.atRow(single ? -1 : r);
                }
            }
            if (failures != null) {
                workRows = goodRows(n, failures);
            }
        }
        int m = workRows == null ? n : workRows.length;
        Object[] columns = newColumns(m, true);
        double[] block = blockWidth == 0 ? null : new double[checkedBlockSize(m)];
        boolean[][] masks = hasIntegers ? new boolean[fieldArray.length][] : null;
        for (int i = 0; i < m; i++) {
            int r = workRows == null ? i : workRows[i];
            int row = single ? -1 : r;
            try {
                bindRecord(records.get(r), columns, block, masks, i, row);
            } catch (InvalidInputException e) {
                if (failures == null) {
                    failures = new InvalidInputException[n];
                }
                failures[r] = e.atRow(row);
            }
        }
        return compact(n, m, columns, block, masks, failures, workRows);
    }

    private int checkedBlockSize(int rows) {
        long size = (long) rows * blockWidth;
        if (size > MAX_ARRAY) {
            throw new InvalidInputException(null, null, -1, rows + " rows x " + blockWidth + " number inputs are too many for "
                    + "one call (more than " + MAX_ARRAY + " values); score fewer rows at a time");
        }
        return (int) size;
    }

    private void countTensors(Map<String, ?> record, int row) {
        if (record == null) {
            throw nullRecord(row);
        }
        for (InputField field : fieldArray) {
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

    private static InvalidInputException nullRecord(int row) {
        return new InvalidInputException(null, null, row, "the record is null; expected a map from field name to value");
    }

    private void bindRecord(Map<String, ?> record, Object[] columns, double[] block, boolean[][] masks, int r, int row) {
        if (record == null) {
            throw nullRecord(row);
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
            switch (field.type()) {
                case STRING -> ((String[]) columns[f])[r] = toCategory(f, value, row);
                case INTEGER -> {
                    if (field.isScalar()) {
                        bindLong(field, value, (long[]) columns[f], masks, f, r, row);
                    } else {
                        fillTensor(field, value, columns[f], masks, f, r * field.elementsPerRow(), row);
                    }
                }
                default -> {
                    if (blockColumn[f] >= 0) {
                        block[r * blockWidth + blockColumn[f]] = toNumber(field, value, row);
                    } else {
                        fillTensor(field, value, columns[f], masks, f, r * field.elementsPerRow(), row);
                    }
                }
            }
        }
        if (record.size() > present && (strictKeys || absent > 0)) {
            checkKeys(record.keySet(), row, "key");
        }
    }

    /** One value of an INTEGER column: exact, or missing (then the mask says so). */
    private void bindLong(InputField field, Object value, long[] column, boolean[][] masks, int f, int index, int row) {
        if (isMissingValue(value)) {
            checkMissing(field, row);
            markMissing(masks, f, column.length, index);
        } else {
            column[index] = toLong(field, value, row);
        }
    }

    private static void markMissing(boolean[][] masks, int f, int length, int index) {
        if (masks[f] == null) {
            masks[f] = new boolean[length];
        }
        masks[f][index] = true;
    }

    BoundRows bindBatch(Batch batch) {
        int n = batch.rowCount();
        if (batch.columnNames().size() > 0 && !inputNames.containsAll(batch.columnNames())) {
            checkKeys(batch.columnNames(), -1, "column");
        }
        Object[] columns = new Object[fieldArray.length];
        boolean[][] masks = hasIntegers ? new boolean[fieldArray.length][] : null;
        InvalidInputException[] failures = new InvalidInputException[n];
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            Object column = batch.column(field.name());
            columns[f] = switch (field.type()) {
                case STRING -> stringColumn(f, column, n, failures);
                case INTEGER -> longColumn(field, column, n, failures, masks, f);
                default -> numberColumn(field, column, n, failures);
            };
        }
        for (InvalidInputException failure : failures) {
            if (failure != null) {
                return compact(n, n, columns, null, masks, failures, null);
            }
        }
        return compact(n, n, columns, null, masks, null, null);
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

    /**
     * Allocates the columns of {@code m} rows, refusing (with long arithmetic) more values than one array
     * holds; with {@code block}, none for the fields that go into the block.
     */
    private Object[] newColumns(int m, boolean block) {
        Object[] columns = new Object[fieldArray.length];
        for (int f = 0; f < fieldArray.length; f++) {
            InputField field = fieldArray[f];
            if (block && blockColumn[f] >= 0) {
                continue;
            }
            if (field.type() == ValueType.STRING) {
                columns[f] = new String[m];
                continue;
            }
            int size = checkedSize(field, m);
            columns[f] = field.type() == ValueType.INTEGER ? new long[size] : new double[size];
        }
        return columns;
    }

    /** {@code rows x elementsPerRow}, or an {@link InvalidInputException} when that is more than one array holds. */
    private static int checkedSize(InputField field, int rows) {
        long size = (long) rows * field.elementsPerRow();
        if (size > MAX_ARRAY) {
            throw new InvalidInputException(field.name(), null, -1, rows + " rows x " + field.elementsPerRow()
                    + " values per row of input '" + field.name() + "' are too many for one call (more than " + MAX_ARRAY
                    + "); score fewer rows at a time");
        }
        return (int) size;
    }

    private static int[] goodRows(int n, InvalidInputException[] failures) {
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
     * Leaves the failed rows out of the columns, keeping the others in order.
     *
     * @param n the rows the caller gave
     * @param m the rows the columns hold
     * @param failures per given row its failure, or null when none failed
     * @param workRows per row of the columns its given row, or null when they are the same
     */
    private BoundRows compact(int n, int m, Object[] columns, double[] block, boolean[][] masks, InvalidInputException[] failures,
                              int[] workRows) {
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
            return new BoundRows(new InputColumns(m, fields, columns, masks, block, block == null ? null : blockColumn), n,
                    failures, workRows);
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
            int width = fieldArray[f].type() == ValueType.STRING ? 1 : fieldArray[f].elementsPerRow();
            kept[f] = copyRows(columns[f], keep, width);
            if (masks != null && masks[f] != null) {
                keptMasks[f] = (boolean[]) copyRows(masks[f], keep, width);
            }
        }
        double[] keptBlock = block == null ? null : (double[]) copyRows(block, keep, blockWidth);
        return new BoundRows(new InputColumns(good, fields, kept, keptMasks, keptBlock, block == null ? null : blockColumn), n,
                failures, sourceRows);
    }

    private static Object copyRows(Object column, int[] rows, int width) {
        Object target = Array.newInstance(column.getClass().getComponentType(), rows.length * width);
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(column, rows[k] * width, target, k * width, width);
        }
        return target;
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
        int expected = checkedSize(field, n);
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
            boolean refusesMissing = rejectMissing || !field.acceptsMissing();
            boolean booleans = field.type() == ValueType.BOOLEAN;
            if (refusesMissing || booleans) {
                checkDoubles(field, doubles, 0, expected, width, failures);
            }
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
                        out[i] = toNumber(field, strings[i], r);
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
    private long[] longColumn(InputField field, Object column, int n, InvalidInputException[] failures, boolean[][] masks, int f) {
        int width = field.elementsPerRow();
        int expected = checkedSize(field, n);
        if (column == null) {
            everyRowMissing(field, n, failures);
            boolean[] all = new boolean[expected];
            Arrays.fill(all, true);
            masks[f] = all;
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
                        checkMissing(field, r);
                        markMissing(masks, f, expected, i);
                    } else {
                        out[i] = wholeDouble(field, doubles[i], doubles[i], r);
                    }
                } else {
                    bindLong(field, ((String[]) column)[i], out, masks, f, i, r);
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
                    checkMissing(field, r);
                } catch (InvalidInputException e) {
                    failures[r] = e;
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

    // ---- single values ----

    private double toNumber(InputField field, Object value, int row) {
        double d = elementToNumber(field, value, row);
        return checkNumber(field, value, d, row);
    }

    /**
     * Checks values {@code [from, to)} of a number column ({@code width} per row) for what the input
     * refuses (a missing value, a boolean other than 0/1), giving each row its first failure.
     */
    private void checkDoubles(InputField field, double[] values, int from, int to, int width, InvalidInputException[] failures) {
        for (int i = from; i < to; i++) {
            double d = values[i];
            if (Double.isNaN(d) || field.type() == ValueType.BOOLEAN && d != 0 && d != 1) {
                int r = i / width;
                if (failures[r] == null) {
                    try {
                        checkNumber(field, d, d, r);
                    } catch (InvalidInputException e) {
                        failures[r] = e;
                    }
                }
            }
        }
    }

    private double checkNumber(InputField field, Object original, double d, int row) {
        if (Double.isNaN(d)) {
            checkMissing(field, row);
            return d;
        }
        if (field.type() == ValueType.BOOLEAN && d != 0 && d != 1) {
            throw notBoolean(field, original, row);
        }
        return d;
    }

    /** A missing value: handed to the model unless the policy or the model's treatment of the input forbids it. */
    private void checkMissing(InputField field, int row) {
        if (rejectMissing) {
            throw new InvalidInputException(field.name(), null, row, "the value is missing, and missing values are "
                    + "not accepted; expected " + describe(field), InvalidInputException.Setting.MISSING_VALUES_REJECTED);
        }
        if (!field.acceptsMissing()) {
            throw new InvalidInputException(field.name(), null, row, "the value is missing, and the model does not accept a "
                    + "missing value for this input; expected " + describe(field));
        }
    }

    /** Whether a record value is missing: null, NaN, or an empty or blank string. */
    private static boolean isMissingValue(Object value) {
        return value == null
                || value instanceof Double d && d.isNaN()
                || value instanceof Float x && x.isNaN()
                || value instanceof CharSequence text && text.toString().isBlank();
    }

    /**
     * One value of an INTEGER input, exactly: {@code 9007199254740993} (a {@code Long}, a {@code BigInteger},
     * a {@code BigDecimal} or a string) stays {@code 9007199254740993}, never going through a double.
     */
    private long toLong(InputField field, Object value, int row) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof java.util.concurrent.atomic.AtomicLong || value instanceof java.util.concurrent.atomic.AtomicInteger) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw outOfLongRange(field, value, row);
            }
            return big.longValue();
        }
        if (value instanceof BigDecimal decimal) {
            return exactLong(field, value, decimal, row);
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            return wholeDouble(field, value, d, row);
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof CharSequence text) {
            String s = text.toString().strip();
            if (s.equalsIgnoreCase("true")) {
                return 1;
            }
            if (s.equalsIgnoreCase("false")) {
                return 0;
            }
            try {
                return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            } catch (NumberFormatException notAPlainLong) {
                try {
                    return exactLong(field, value, new BigDecimal(s), row); // "14.0", "1e3", "9007199254740993.0"
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(field.name(), value, row, "value " + show(value)
                            + " is not a number; expected " + describe(field));
                }
            }
        }
        throw wrongType(field, value, row);
    }

    private long exactLong(InputField field, Object original, BigDecimal decimal, int row) {
        if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
            throw notWhole(field, original, row);
        }
        if (decimal.compareTo(LONG_MIN) < 0 || decimal.compareTo(LONG_MAX) > 0) {
            throw outOfLongRange(field, original, row);
        }
        return decimal.longValue();
    }

    /** A double that must be a whole number within the range of a long. */
    private long wholeDouble(InputField field, Object original, double d, int row) {
        if (Double.isNaN(d)) {
            throw new InvalidInputException(field.name(), original, row, "value " + show(original)
                    + " is not a number; expected " + describe(field));
        }
        if (d != Math.rint(d)) {
            throw notWhole(field, original, row);
        }
        if (d < -0x1p63 || d >= 0x1p63) {
            throw outOfLongRange(field, original, row);
        }
        return (long) d;
    }

    private static InvalidInputException notWhole(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "value " + show(value) + " is not a whole number; expected "
                + describe(field));
    }

    private static InvalidInputException outOfLongRange(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "value " + show(value) + " is outside the range of a "
                + "64-bit integer (" + Long.MIN_VALUE + " to " + Long.MAX_VALUE + "); expected " + describe(field));
    }

    private static InvalidInputException notBoolean(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "value " + show(value)
                + " is not a boolean; expected true/false or 1/0 for " + describe(field));
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

    // ---- tensors ----

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
                throw new InvalidInputException(field.name(), value == null || value instanceof Number ? value : null, row,
                        "the array has more than " + field.elementsPerRow() + " values; expected " + describe(field));
            }
        }
    }

    private static boolean isScalarElement(Object element) {
        return element == null || element instanceof Number || element instanceof CharSequence || element instanceof Boolean;
    }

    /**
     * Fills one row of a tensor input ({@code double[]}, or {@code long[]} for INTEGER) from a value
     * already counted by {@link TensorCount}; the bounds are checked again, since an {@link Iterable}
     * may give other elements the second time.
     */
    private void fillTensor(InputField field, Object value, Object dest, boolean[][] masks, int f, int offset, int row) {
        int width = field.elementsPerRow();
        if (value == null) {
            checkMissing(field, row);
            if (dest instanceof double[] doubles) {
                Arrays.fill(doubles, offset, offset + width, Double.NaN);
            } else {
                for (int i = offset; i < offset + width; i++) {
                    markMissing(masks, f, ((long[]) dest).length, i);
                }
            }
            return;
        }
        TensorFill fill = new TensorFill(field, dest, masks, f, offset, offset + width, row);
        fill.fill(value);
        if (fill.position != offset + width) {
            throw tensorSize(field, value, fill.position - offset, row);
        }
        if (dest instanceof double[] doubles
                && (field.type() == ValueType.BOOLEAN || rejectMissing)) {
            for (int i = offset; i < offset + width; i++) { // primitive arrays were copied unchecked
                double d = doubles[i];
                if (Double.isNaN(d) || field.type() == ValueType.BOOLEAN && d != 0 && d != 1) {
                    checkNumber(field, d, d, row);
                }
            }
        }
    }

    /** Writes the numbers of one tensor value into its row of the column. */
    private final class TensorFill {
        private final InputField field;
        private final double[] doubles;
        private final long[] longs;
        private final boolean[][] masks;
        private final int f;
        private final int end;
        private final int row;
        int position;

        TensorFill(InputField field, Object dest, boolean[][] masks, int f, int offset, int end, int row) {
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
                doubles[position++] = toNumber(field, element, row);
            } else {
                bindLong(field, element, longs, masks, f, position++, row);
            }
        }

        private void scalar(double x) {
            if (Double.isNaN(x)) {
                scalar((Object) null);
            } else {
                longs[position++] = wholeDouble(field, x, x, row);
            }
        }

        private void room(int n) {
            if (position + n > end) {
                throw new InvalidInputException(field.name(), null, row, "the array has more than " + field.elementsPerRow()
                        + " values; expected " + describe(field));
            }
        }
    }

    private static InvalidInputException notAnArray(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "value " + show(value) + " is not an array; expected "
                + describe(field) + " as a double[], float[], int[], long[] or list of numbers");
    }

    // ---- messages ----

    private static InvalidInputException tensorSize(InputField field, Object value, long count, int row) {
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

    /**
     * The value as a message shows it: bounded and escaped, and never through the {@code toString} of a
     * collection, an array or an unknown object (a deep, self-referential or huge value must not cost
     * the caller a stack or a heap to describe).
     */
    private static String show(Object value) {
        if (value == null) {
            return "null";
        }
        String text;
        if (value instanceof CharSequence chars) {
            text = "'" + (chars.length() > 80 ? chars.subSequence(0, 77) + "..." : chars) + "'";
        } else if (value instanceof Number || value instanceof Boolean || value instanceof Character || value instanceof Enum<?>) {
            text = String.valueOf(value);
        } else if (value instanceof java.util.Collection<?> collection) {
            text = "a collection of " + collection.size() + " elements";
        } else if (value.getClass().isArray()) {
            text = "an array of " + Array.getLength(value) + " elements";
        } else {
            text = "a " + value.getClass().getName();
        }
        return dev.handoff.internal.LogText.safe(text, 100) + " (" + value.getClass().getSimpleName() + ")";
    }
}

package dev.handoff.internal.shape;

import dev.handoff.OutputField;
import dev.handoff.ScoringException;
import dev.handoff.ValueType;
import dev.handoff.internal.ClassLabels;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Reads one named output column of a runtime as the plain Java values {@link OutputField} promises:
 * one value per row as {@code Double}, {@code Long}, {@code Boolean} or {@code String}; several as
 * {@code double[]}, {@code long[]}, {@code boolean[]} or {@code String[]}; a {@link ValueType#MAP}
 * as a {@code Map<String, Double>} in class order. The same rules for every runtime.
 */
final class OutputConversion {
    private OutputConversion() {
    }

    /** A reader of row {@code r} of {@code column}, which holds {@code rows} rows of {@code field}. */
    static IntFunction<Object> reader(OutputField field, Object column, int rows, List<String> classes) {
        if (column instanceof Object[] objects && !(column instanceof String[])) {
            Object[] converted = new Object[rows];
            for (int r = 0; r < rows; r++) {
                converted[r] = convert(field, objects[r]);
            }
            return r -> converted[r];
        }
        int length = java.lang.reflect.Array.getLength(column);
        int width = rows == 0 ? 1 : length / rows;
        if (field.type() == ValueType.MAP) {
            if (!(column instanceof double[] matrix) || width != classes.size()) {
                throw new ScoringException("the map output '" + field.name() + "' must come as a double[] of one probability "
                        + "per class and row (" + classes.size() + " per row), got " + column.getClass().getSimpleName()
                        + " of " + width + " per row");
            }
            return r -> {
                Map<String, Double> map = new LinkedHashMap<>(width * 2);
                for (int c = 0; c < width; c++) {
                    map.put(classes.get(c), matrix[r * width + c]);
                }
                return Collections.unmodifiableMap(map);
            };
        }
        Object typed = typed(field, column);
        if (width == 1) {
            if (typed instanceof double[] a) {
                return r -> a[r];
            }
            if (typed instanceof long[] a) {
                return r -> a[r];
            }
            if (typed instanceof boolean[] a) {
                return r -> a[r];
            }
            String[] a = (String[]) typed;
            return r -> a[r];
        }
        return r -> {
            Object slice = java.lang.reflect.Array.newInstance(typed.getClass().getComponentType(), width);
            System.arraycopy(typed, r * width, slice, 0, width);
            return slice;
        };
    }

    /** The column as the array type of the declared value type, converting where the runtime's differs. */
    private static Object typed(OutputField field, Object column) {
        switch (field.type()) {
            case DOUBLE, FLOAT -> {
                if (column instanceof double[]) {
                    return column;
                }
                if (column instanceof long[] longs) {
                    double[] out = new double[longs.length];
                    for (int i = 0; i < longs.length; i++) {
                        out[i] = longs[i];
                    }
                    return out;
                }
            }
            case INTEGER -> {
                if (column instanceof long[]) {
                    return column;
                }
            }
            case BOOLEAN -> {
                if (column instanceof boolean[]) {
                    return column;
                }
            }
            case STRING -> {
                if (column instanceof String[]) {
                    return column;
                }
                if (column instanceof long[] longs) {
                    String[] out = new String[longs.length];
                    for (int i = 0; i < longs.length; i++) {
                        out[i] = Long.toString(longs[i]);
                    }
                    return out;
                }
            }
            default -> {
            }
        }
        throw new ScoringException("output '" + field.name() + "' is declared " + field.type() + " but the runtime returned a "
                + column.getClass().getSimpleName() + " column");
    }

    /** One value of an {@code Object[]} column as the declared type; {@code null} stays {@code null}. */
    private static Object convert(OutputField field, Object value) {
        if (value == null) {
            return null;
        }
        switch (field.type()) {
            case DOUBLE, FLOAT -> {
                if (value instanceof Number n) {
                    return n.doubleValue();
                }
                if (value instanceof Boolean b) {
                    return b ? 1.0 : 0.0;
                }
            }
            case INTEGER -> {
                if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                    return n.longValue();
                }
            }
            case BOOLEAN -> {
                if (value instanceof Boolean) {
                    return value;
                }
                if (value instanceof Number n) {
                    return n.doubleValue() != 0;
                }
            }
            case STRING -> {
                return ClassLabels.canonical(value);
            }
            default -> {
            }
        }
        throw new ScoringException("output '" + field.name() + "' is declared " + field.type() + " but the runtime returned "
                + value + " (" + value.getClass().getSimpleName() + ")");
    }
}

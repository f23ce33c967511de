package dev.handoff;

import java.util.List;
import java.util.Objects;

/**
 * One input the model reads: the key of a record, or the name of a column of a {@link Batch}.
 *
 * <pre>{@code
 * for (InputField f : scorer.inputs()) {
 *     System.out.printf("%s %s %s missing: %s%n", f.name(), f.type(),
 *             f.categories().isEmpty() ? "" : f.categories(), f.missingValues());
 * }
 * }</pre>
 *
 * @param name the field name, exactly as the record key
 * @param type the declared value type
 * @param shape the shape of one row's value: empty for a scalar, for example {@code [64]} or
 *              {@code [1, 8, 8]} for a tensor input that takes an array per row
 * @param categories the valid values of a categorical input (empty when the model does not declare them)
 * @param missingValues what the model does with a missing value of this input
 */
public record InputField(String name, ValueType type, List<Long> shape, List<String> categories,
                         MissingValueTreatment missingValues) {

    /** Checks the fields (a MAP input, a non-positive dimension, a string tensor are refused) and copies the lists. */
    public InputField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(missingValues, "missingValues");
        if (type == ValueType.MAP) {
            throw new IllegalArgumentException("type MAP is for outputs only, input '" + name + "'");
        }
        shape = List.copyOf(shape);
        categories = List.copyOf(categories);
        long elements = 1;
        for (Long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("shape of input '" + name + "' must have fixed positive dimensions, got " + shape);
            }
            elements *= d;
            if (elements > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("input '" + name + "' has more than " + Integer.MAX_VALUE
                        + " values per row (shape " + shape + ")");
            }
        }
        if (type == ValueType.STRING && !shape.isEmpty()) {
            throw new IllegalArgumentException("string input '" + name + "' must be a scalar, got shape " + shape);
        }
    }

    /** A scalar input without declared categories. */
    public static InputField scalar(String name, ValueType type, MissingValueTreatment missingValues) {
        return new InputField(name, type, List.of(), List.of(), missingValues);
    }

    /** Whether one row's value is a single value rather than an array. */
    public boolean isScalar() {
        return shape.isEmpty();
    }

    /** Whether a record may leave this input missing and still be handed to the model. */
    public boolean acceptsMissing() {
        return missingValues != MissingValueTreatment.NOT_ACCEPTED;
    }

    /** The number of values in one row's value: 1 for a scalar, the product of {@link #shape()} otherwise. */
    public int elementsPerRow() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return (int) n;
    }
}

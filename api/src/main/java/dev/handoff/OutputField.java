package dev.handoff;

import java.util.List;
import java.util.Objects;

/**
 * One named output the model gives, readable for every row through {@link Prediction#output(String)}.
 *
 * <pre>{@code
 * for (OutputField f : scorer.outputs()) {
 *     Object value = prediction.output(f.name());
 * }
 * }</pre>
 *
 * <p>The Java value of one row is a {@code String}, {@code Double}, {@code Long} or {@code Boolean}
 * when {@link #shape()} has one element; a {@code String[]}, {@code double[]}, {@code long[]} or
 * {@code boolean[]} (row-major) otherwise; a {@code Map<String, Double>} for {@link ValueType#MAP}.
 *
 * @param name the output name, as the model declares it
 * @param type the value type (FLOAT outputs are returned as {@code double})
 * @param shape the shape of one row's value: empty or {@code [1]} for a single value
 */
public record OutputField(String name, ValueType type, List<Long> shape) {

    /** Checks the name and type and copies the shape. */
    public OutputField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = List.copyOf(shape);
    }
}

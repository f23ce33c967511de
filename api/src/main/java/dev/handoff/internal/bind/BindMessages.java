package dev.handoff.internal.bind;

import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.internal.LogText;

import java.lang.reflect.Array;
import java.util.Collection;

/** The binder's words: what a bad value is, what the input expected, and the value shown safely. */
final class BindMessages {
    private BindMessages() {
    }

    /** The same failure, placed at row {@code row} of the caller's rows (-1 for a single record). */
    static InvalidInputException atRow(InvalidInputException failure, int row) {
        if (failure.row() == row) {
            return failure;
        }
        return new InvalidInputException(failure.field(), failure.value(), row, failure.problem(), failure.setting().orElse(null));
    }

    static InvalidInputException nullRecord(int row) {
        return new InvalidInputException(null, null, row, "the record is null; expected a map from field name to value");
    }

    static InvalidInputException tensorSize(InputField field, Object value, long count, int row) {
        return new InvalidInputException(field.name(), value, row, "the array has " + count + " values; expected "
                + field.elementsPerRow() + " for " + describe(field));
    }

    static InvalidInputException wrongType(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "value " + show(value) + " has the wrong type; expected "
                + describe(field));
    }

    static InvalidInputException notANumber(InputField field, Object value, int row) {
        return notANumber(field, value, row, null);
    }

    /**
     * @param reason the number parser's reason ({@code '1e400' is beyond the range of a double}), or {@code null};
     *        left out when it says no more than "not a number"
     */
    static InvalidInputException notANumber(InputField field, Object value, int row, String reason) {
        boolean says = reason != null && !reason.endsWith("is not a number");
        return new InvalidInputException(field.name(), value, row, "value " + show(value) + " is not a number"
                + (says ? ": " + reason : "") + "; expected " + describe(field));
    }

    static InvalidInputException notWhole(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "value " + show(value) + " is not a whole number; expected "
                + describe(field));
    }

    static InvalidInputException outOfLongRange(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "value " + show(value) + " is outside the range of a "
                + "64-bit integer (" + Long.MIN_VALUE + " to " + Long.MAX_VALUE + "); expected " + describe(field));
    }

    static InvalidInputException notBoolean(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "value " + show(value)
                + " is not a boolean; expected true/false or 1/0 for " + describe(field));
    }

    static InvalidInputException notAnArray(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "value " + show(value) + " is not an array; expected "
                + describe(field) + " as a double[], float[], int[], long[] or list of numbers");
    }

    static InvalidInputException tooManyValues(InputField field, Object value, int row) {
        return new InvalidInputException(field.name(), value, row, "the array has more than " + field.elementsPerRow()
                + " values; expected " + describe(field));
    }

    /** What an input expects, for messages: {@code a number (FLOAT)}, {@code an array of 4 numbers (shape [2, 2]) (FLOAT)}. */
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
    static String show(Object value) {
        if (value == null) {
            return "null";
        }
        String text;
        if (value instanceof CharSequence chars) {
            text = "'" + (chars.length() > 80 ? chars.subSequence(0, 77) + "..." : chars) + "'";
        } else if (value instanceof Number || value instanceof Boolean || value instanceof Character || value instanceof Enum<?>) {
            text = String.valueOf(value);
        } else if (value instanceof Collection<?> collection) {
            text = "a collection of " + collection.size() + " elements";
        } else if (value.getClass().isArray()) {
            text = "an array of " + Array.getLength(value) + " elements";
        } else {
            text = "a " + value.getClass().getName();
        }
        return LogText.safe(text, 100) + " (" + value.getClass().getSimpleName() + ")";
    }
}

package dev.handoff.internal.shape;

import dev.handoff.InvalidInputException;
import dev.handoff.ScoringException;
import dev.handoff.spi.OutputColumns;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a runtime wrote for one call, checked as it is written (every length is checked here, once):
 * the input of {@link OutputShaper}.
 */
public final class RuntimeOutput implements OutputColumns {
    private final int rowCount;
    private final int classCount;
    String labelOutput;
    double[] probabilities;
    double[] values;
    // a few outputs, kept in arrays: no map built per call
    private String[] names = new String[4];
    private Object[] columns = new Object[4];
    private int count;
    String[] noPrediction;
    InvalidInputException[] rejected;

    /**
     * @param rowCount the rows handed to the runtime
     * @param classCount the model's classes (the width of a probability row)
     */
    public RuntimeOutput(int rowCount, int classCount) {
        this.rowCount = rowCount;
        this.classCount = classCount;
    }

    @Override
    public int rowCount() {
        return rowCount;
    }

    @Override
    public OutputColumns labelOutput(String name) {
        this.labelOutput = Objects.requireNonNull(name, "label output name");
        return this;
    }

    @Override
    public OutputColumns probabilities(double[] probabilities) {
        Objects.requireNonNull(probabilities, "probabilities");
        if (probabilities.length != (long) rowCount * classCount) {
            throw new ScoringException("the runtime returned " + probabilities.length + " probabilities for " + rowCount
                    + " rows and " + classCount + " classes");
        }
        this.probabilities = probabilities;
        return this;
    }

    @Override
    public OutputColumns values(double[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length != rowCount) {
            throw new ScoringException("values must have one entry per row (" + rowCount + "), got " + values.length);
        }
        this.values = values;
        return this;
    }

    @Override
    public OutputColumns output(String name, Object column) {
        Objects.requireNonNull(name, "output name");
        if (column == null) { // not requireNonNull: its message would be built on every call
            throw new NullPointerException("column of output '" + name + "'");
        }
        int length;
        if (column instanceof double[] a) {
            length = a.length;
        } else if (column instanceof long[] a) {
            length = a.length;
        } else if (column instanceof boolean[] a) {
            length = a.length;
        } else if (column instanceof String[] a) {
            length = a.length;
        } else if (column instanceof Object[] a) {
            if (a.length != rowCount) {
                throw new ScoringException("Object[] column of output '" + name + "' must have one value per row ("
                        + rowCount + "), got " + a.length);
            }
            length = a.length;
        } else {
            throw new ScoringException("column of output '" + name + "' must be double[], long[], boolean[], "
                    + "String[] or Object[], got " + column.getClass().getSimpleName());
        }
        if (rowCount == 0 ? length != 0 : length % rowCount != 0) {
            throw new ScoringException("output '" + name + "' has " + length + " values for " + rowCount
                    + " rows; a column holds rows x width values");
        }
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                columns[i] = column;
                return this;
            }
        }
        if (count == names.length) {
            names = Arrays.copyOf(names, count * 2);
            columns = Arrays.copyOf(columns, count * 2);
        }
        names[count] = name;
        columns[count++] = column;
        return this;
    }

    @Override
    public OutputColumns noPrediction(int row, String reason) {
        Objects.checkIndex(row, rowCount);
        if (noPrediction == null) {
            noPrediction = new String[rowCount];
        }
        noPrediction[row] = Objects.requireNonNull(reason, "reason");
        return this;
    }

    @Override
    public OutputColumns reject(InvalidInputException failure) {
        Objects.checkIndex(failure.row(), rowCount);
        if (rejected == null) {
            rejected = new InvalidInputException[rowCount];
        }
        rejected[failure.row()] = failure;
        return this;
    }

    /** The column of output {@code name}, or {@code null} when there is none. */
    Object output(String name) {
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                return columns[i];
            }
        }
        return null;
    }

    /** Checks what only the whole can tell: the label output is among the outputs. */
    void checkComplete() {
        if (labelOutput != null && output(labelOutput) == null) {
            throw new ScoringException("label output '" + labelOutput + "' is not among the outputs "
                    + Arrays.asList(names).subList(0, count));
        }
    }
}

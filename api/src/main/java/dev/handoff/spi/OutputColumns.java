package dev.handoff.spi;

import dev.handoff.InvalidInputException;
import dev.handoff.ScoringException;

/**
 * Where a {@link ScoringEngine} writes what it computed for the rows of one {@link InputColumns}, as
 * plain Java arrays. Handoff, not the runtime, turns them into {@link dev.handoff.Prediction}s: it
 * converts each named output to the Java type its {@link dev.handoff.OutputField} declares, turns label
 * outputs into canonical class labels, fills argmax labels, and rejects rows for which the model gave
 * no prediction.
 *
 * <pre>{@code
 * public void score(InputColumns columns, OutputColumns out) {
 *     out.output("output_label", labels)          // long[] / String[] / double[] / boolean[] / Object[], rows x width
 *        .labelOutput("output_label")             // the labels are this output's values
 *        .probabilities(probabilities)            // double[rows * classes], row-major, in classes() order
 *        .noPrediction(3, "the target has no value");
 * }
 * }</pre>
 *
 * <p>A column is one array of {@code rowCount() * width} values, row-major. An {@code Object[]} column
 * holds one value per row ({@code null} = no value) and is converted by Handoff. A missing number is
 * {@code NaN}. The arrays are handed over: the runtime must not touch them afterwards.
 *
 * <p>A column that does not fit the rows (or a value column of another kind) throws
 * {@link ScoringException} at once: what the runtime computed does not match what the model declares,
 * which is the model's failure while scoring, not the record's.
 */
public interface OutputColumns {

    /** The number of rows scored: {@code columns.rowCount()}. */
    int rowCount();

    /**
     * A named output: {@code double[]}, {@code long[]}, {@code boolean[]} or {@code String[]} of
     * {@code rows * width} values, or an {@code Object[]} of one plain value per row. A second call for
     * the same name replaces the first.
     */
    OutputColumns output(String name, Object column);

    /** Names the output (given with {@link #output}) whose values are the predicted class labels. */
    OutputColumns labelOutput(String name);

    /** Row-major {@code rows x classes} probabilities, in class order; {@code NaN} where a row has none. */
    OutputColumns probabilities(double[] probabilities);

    /** One regression value per row; {@code NaN} where a row has none. */
    OutputColumns values(double[] values);

    /** Says that the model gave no prediction for row {@code row}, and why (for the row's error message). */
    OutputColumns noPrediction(int row, String reason);

    /** Rejects one row with the runtime's own reason; {@link InvalidInputException#row()} is the row in these columns. */
    OutputColumns reject(InvalidInputException failure);
}

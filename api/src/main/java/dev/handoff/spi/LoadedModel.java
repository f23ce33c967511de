package dev.handoff.spi;

import dev.handoff.InputField;
import dev.handoff.ModelInfo;
import dev.handoff.OutputField;
import dev.handoff.InputField.ValueRange;
import dev.handoff.Verification;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model loaded by a {@link ScorerProvider}: its description and a columnar scoring call. Handoff
 * wraps it into a {@link dev.handoff.Scorer}, which binds records to {@link InputColumns}, shapes
 * {@link ScoredRows} into predictions, and calls {@link #close()} only once no call is in flight.
 *
 * <pre>{@code
 * ScoredRows score(InputColumns columns) {
 *     double[] tenure = columns.doubles(0);   // field 0 of inputs(), NaN = missing
 *     ...
 *     return ScoredRows.builder(columns.rowCount())
 *             .output("label", labels).labelOutput("label")
 *             .probabilities(probabilities)
 *             .build();
 * }
 * }</pre>
 *
 * <p>Implementations must be safe for concurrent {@link #score} calls.
 */
public interface LoadedModel extends AutoCloseable {

    /** The model's description; {@code info().sha256()} is {@code source.sha256()}. */
    ModelInfo info();

    /** The inputs, in the order of {@link InputColumns}' field indexes. */
    List<InputField> inputs();

    /** Every named output the model can give. */
    List<OutputField> outputs();

    /** Class labels in model order, in canonical string form (integers without a fraction: {@code "1"}, not {@code "1.0"}); empty for regression. */
    List<String> classes();

    /**
     * Scores the rows. The columns are already bound and checked against {@link #inputs()}: a missing
     * value only reaches an input whose {@link InputField#missingValues()} accepts it. A row the model
     * rejects or gives no prediction for is reported through {@link ScoredRows.Builder#reject} or
     * {@link ScoredRows.Builder#noPrediction}, never thrown, so that the other rows keep their predictions.
     */
    ScoredRows score(InputColumns columns);

    /**
     * The numbers the model declares valid, per numeric input name (PMML {@code Interval}s and valid
     * values); inputs without a declaration are absent. Handoff counts numbers outside them in
     * {@link dev.handoff.Scorer#stats()}. None by default.
     */
    default Map<String, ValueRange> declaredRanges() {
        return Map.of();
    }

    /** The golden cases the model file carries itself (PMML {@code <ModelVerification>}); none by default. */
    default Optional<Verification> embeddedVerification() {
        return Optional.empty();
    }

    /** Frees the native or heap resources; called once, after the last {@link #score} returned. */
    /**
     * Asks the calls now running to stop as soon as the runtime can (ONNX Runtime checks between
     * operators); each then throws {@link IllegalStateException} ("closed"). Called by
     * {@code Scorer.close()} when calls are still running after {@code ScorerOptions.closeTimeout()};
     * {@link #close()} still comes only after the last of them has left. Does nothing by default (a
     * runtime that cannot be interrupted lets its calls run to their end).
     */
    default void stopRunningCalls() {
    }

    @Override
    void close();
}

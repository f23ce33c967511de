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
 * The engine that runs one loaded model (ONNX Runtime's session, JPMML's evaluator), as a
 * {@link ScorerProvider} returns it: the model's description and a columnar scoring call. Handoff
 * wraps it into a {@link dev.handoff.Scorer}, which binds records to {@link InputColumns}, shapes what
 * the model writes to {@link OutputColumns} into predictions, and calls {@link #close()} only once no
 * call is in flight.
 *
 * <pre>{@code
 * public void score(InputColumns columns, OutputColumns out) {
 *     double[] tenure = columns.doubles(0);   // field 0 of inputs(), NaN = missing
 *     ...
 *     out.output("label", labels).labelOutput("label")
 *        .probabilities(probabilities);
 * }
 * }</pre>
 *
 * <p>Implementations must be safe for concurrent {@link #score} calls.
 */
public interface ScoringEngine extends AutoCloseable {

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
     * rejects or gives no prediction for is reported through {@link OutputColumns#reject} or
     * {@link OutputColumns#noPrediction}, never thrown, so that the other rows keep their predictions.
     * Anything else the runtime throws fails the whole call, as a {@link dev.handoff.ScoringException}.
     *
     * @param out where the results go, sized for {@code columns.rowCount()} rows
     */
    void score(InputColumns columns, OutputColumns out);

    /**
     * The numbers the model declares valid, per numeric input name (PMML {@code Interval}s and valid
     * values); inputs without a declaration are absent. Handoff counts numbers outside them in
     * {@link dev.handoff.Scorer#stats()}. None by default.
     */
    default Map<String, ValueRange> declaredRanges() {
        return Map.of();
    }

    /**
     * The {@link dev.handoff.ValueType#INTEGER} inputs whose values the model holds in 32 bits (an ONNX
     * int32 tensor): Handoff rejects a value outside -2<sup>31</sup> to 2<sup>31</sup>-1 while binding, as
     * invalid input, so that such a value never reaches the runtime. None by default (64 bits).
     */
    default java.util.Set<String> int32Inputs() {
        return java.util.Set.of();
    }

    /** The golden cases the model file carries itself (PMML {@code <ModelVerification>}); none by default. */
    default Optional<Verification> embeddedVerification() {
        return Optional.empty();
    }

    /**
     * Asks the calls now running to stop as soon as the runtime can (ONNX Runtime checks between
     * operators); each then throws {@link IllegalStateException} ("closed"). Called by
     * {@code Scorer.close()} when calls are still running after {@code ScorerOptions.closeTimeout()};
     * {@link #close()} still comes only after the last of them has left. Does nothing by default (a
     * runtime that cannot be interrupted lets its calls run to their end).
     */
    default void stopRunningCalls() {
    }

    /** Frees the native or heap resources; called once, after the last {@link #score} returned. */
    @Override
    void close();
}

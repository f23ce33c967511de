package dev.handoff.internal;

import dev.handoff.spi.InputColumns;
import dev.handoff.spi.OutputColumns;

/**
 * A {@link dev.handoff.spi.ScoringEngine} that stops a call at its deadline itself (ONNX Runtime, between
 * operators), so that each call can carry its own: a service's call {@code ScorerOptions.callTimeout}, a
 * reload check's {@code ReloadingScorer.Builder.checkTimeout}. An engine without it is timed when it
 * returns. The scorer decides the deadline; the engine only enforces it.
 *
 * <pre>{@code
 * if (engine instanceof StoppableEngine stoppable) {
 *     stoppable.score(columns, out, timeoutNanos, "ScorerOptions.callTimeout");
 * }
 * }</pre>
 */
public interface StoppableEngine {

    /**
     * As {@link dev.handoff.spi.ScoringEngine#score}, stopped once {@code timeoutNanos} have passed since it
     * began ({@code 0}: never) with a {@link dev.handoff.ScoringTimeoutException} whose message names
     * {@code setting}, the option that set the deadline.
     */
    void score(InputColumns columns, OutputColumns out, long timeoutNanos, String setting);
}

package dev.handoff;

import dev.handoff.ScorerStats.RowFailureKind;

/**
 * Events of a scorer's life, for metrics and audit bridges, in the style of OkHttp's {@code EventListener}:
 * override what you need; every method does nothing by default.
 *
 * <pre>{@code
 * ScoringListener metrics = new ScoringListener() {
 *     @Override
 *     public void callFinished(ModelInfo model, int rows, int failedRows, long nanos) {
 *         timer.record(nanos, TimeUnit.NANOSECONDS);
 *     }
 *
 *     @Override
 *     public void reloadRejected(ModelInfo serving, String candidate, String reason) {
 *         rejectedReloads.increment();
 *     }
 * };
 * Scorer scorer = Scorer.load(path, ScorerOptions.builder().listener(metrics).build());
 * }</pre>
 *
 * <p>Methods are called on the thread that scores (or loads), inside the call: keep them fast and free
 * of locks; hand slow work to another thread. A listener may be called from many threads at once. One
 * that throws never breaks a call: the first failure is logged as a WARN and the call goes on. Every
 * call that enters the model ends with {@link #callFinished} or {@link #callFailed}.
 */
public interface ScoringListener {

    /** The listener that listens to nothing: the default. Scorers skip event work for it. */
    ScoringListener NONE = new ScoringListener() {
        @Override
        public String toString() {
            return "ScoringListener.NONE";
        }
    };

    /** A model was loaded (also a {@link ReloadingScorer}'s candidate, before it is checked). */
    default void modelLoaded(ModelInfo model, long loadNanos) {
    }

    /**
     * A call returned: {@code rows} rows, of which {@code failedRows} got no prediction (each was told to
     * {@link #rowRejected} first). {@code nanos} includes input binding.
     */
    default void callFinished(ModelInfo model, int rows, int failedRows, long nanos) {
    }

    /**
     * A call threw something other than a row's {@link InvalidInputException}: a batch column that
     * cannot be read, a failure inside the runtime.
     */
    default void callFailed(ModelInfo model, RuntimeException failure, long nanos) {
    }

    /** A row got no prediction, and why. For {@code score(Map)} this comes before the exception is thrown. */
    default void rowRejected(ModelInfo model, InvalidInputException failure, RowFailureKind kind) {
    }

    /** A {@link ReloadingScorer} now serves {@code current} instead of {@code previous}. */
    default void reloadSucceeded(ModelInfo previous, ModelInfo current) {
    }

    /**
     * A {@link ReloadingScorer}'s candidate was refused (it does not load, is not schema-compatible or
     * fails verification); {@code serving} keeps serving.
     */
    default void reloadRejected(ModelInfo serving, String candidate, String reason) {
    }

    /**
     * A {@link ShadowScorer}'s candidate scored a sampled record on its background thread (never on the
     * serving thread): whether its answer {@code agreed} with the serving model's within the comparison's
     * tolerance, or {@code candidateFailed} to score it.
     */
    default void shadowCompared(ModelInfo serving, ModelInfo candidate, boolean agreed, boolean candidateFailed) {
    }
}

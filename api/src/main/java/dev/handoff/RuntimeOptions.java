package dev.handoff;

/**
 * Settings of one runtime, as a typed object from the runtime module ({@code OnnxOptions},
 * {@code PmmlOptions}), handed to {@link ScorerOptions.Builder#runtime(RuntimeOptions)}.
 *
 * <pre>{@code
 * ScorerOptions options = ScorerOptions.builder()
 *         .runtime(OnnxOptions.builder().intraOpThreads(2).build())
 *         .build();
 * }</pre>
 *
 * <p>Implementations are immutable. Settings for the runtime of another format than the model's
 * fail the load with {@link ModelLoadException}: they would otherwise be silently ignored.
 */
public interface RuntimeOptions {
    /** The format whose runtime reads these settings. */
    ModelFormat format();
}

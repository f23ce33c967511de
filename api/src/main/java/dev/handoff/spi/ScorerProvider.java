package dev.handoff.spi;

import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.ScorerOptions;

/**
 * A runtime for one model format, found with {@link java.util.ServiceLoader}: declare it with
 * {@code provides dev.handoff.spi.ScorerProvider with ...} in {@code module-info.java} and in
 * {@code META-INF/services/dev.handoff.spi.ScorerProvider} for the class path.
 *
 * <pre>{@code
 * public final class OnnxScorerProvider implements ScorerProvider {
 *     public ModelFormat format() { return ModelFormat.ONNX; }
 *     public LoadedModel load(ModelSource source, ScorerOptions options) { ... }
 * }
 * }</pre>
 *
 * <p>Handoff detects the format from the content, then asks the provider of that format. Input
 * binding, the closing protocol and output shaping are done by Handoff around the {@link LoadedModel}.
 */
public interface ScorerProvider {

    /** The format this provider loads. */
    ModelFormat format();

    /**
     * Loads a model. Everything that can be checked at load is checked here: a model that loads
     * scores every well-formed record.
     *
     * @throws ModelLoadException when the model cannot be used; the message names {@code source.name()},
     *         the format and the cause
     */
    LoadedModel load(ModelSource source, ScorerOptions options);
}

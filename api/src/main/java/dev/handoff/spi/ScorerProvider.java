package dev.handoff.spi;

import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.ScorerOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Objects;

/**
 * A runtime for one model format, found with {@link java.util.ServiceLoader}: declare it with
 * {@code provides dev.handoff.spi.ScorerProvider with ...} in {@code module-info.java} and in
 * {@code META-INF/services/dev.handoff.spi.ScorerProvider} for the class path.
 *
 * <pre>{@code
 * public final class OnnxScorerProvider implements ScorerProvider {
 *     public ModelFormat format() { return ModelFormat.ONNX; }
 *     public ScoringEngine load(ModelSource source, ScorerOptions options) { ... }
 * }
 * }</pre>
 *
 * <p>Handoff detects the format from the content, then asks the provider of that format. Input
 * binding, the closing protocol and output shaping are done by Handoff around the {@link ScoringEngine}.
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
    ScoringEngine load(ModelSource source, ScorerOptions options);

    /**
     * The bytes of a model that {@link dev.handoff.Scorer#load} has read, handed to a {@link ScorerProvider}.
     *
     * <pre>{@code
     * ScoringEngine load(ModelSource source, ScorerOptions options) {
     *     try (InputStream in = source.openStream()) { ... }
     * }
     * }</pre>
     *
     * <p>The bytes are shared, not copied: a provider reads them and never modifies them.
     */
    public static final class ModelSource {
        private final String name;
        private final byte[] bytes;
        private final String sha256;

        /**
         * @param name a file name, {@code <bytes>} or {@code <stream>}, used in messages
         * @param bytes the whole model, not copied
         * @param sha256 the SHA-256 of {@code bytes}, lowercase hex
         */
        public ModelSource(String name, byte[] bytes, String sha256) {
            this.name = Objects.requireNonNull(name, "name");
            this.bytes = Objects.requireNonNull(bytes, "bytes");
            this.sha256 = Objects.requireNonNull(sha256, "sha256");
        }

        /** A file name, {@code <bytes>} or {@code <stream>}, for messages. */
        public String name() {
            return name;
        }

        /** The model bytes; shared, so never modify them. */
        public byte[] bytes() {
            return bytes;
        }

        /** A fresh stream over the model bytes. */
        public InputStream openStream() {
            return new ByteArrayInputStream(bytes);
        }

        /** The SHA-256 of the bytes, lowercase hex. */
        public String sha256() {
            return sha256;
        }

        @Override
        public String toString() {
            return name + " (" + bytes.length + " bytes)";
        }
    }
}

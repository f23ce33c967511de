package dev.handoff.spi;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Objects;

/**
 * The bytes of a model that {@link dev.handoff.Scorer#load} has read, handed to a {@link ScorerProvider}.
 *
 * <pre>{@code
 * LoadedModel load(ModelSource source, ScorerOptions options) {
 *     try (InputStream in = source.openStream()) { ... }
 * }
 * }</pre>
 *
 * <p>The bytes are shared, not copied: a provider reads them and never modifies them.
 */
public final class ModelSource {
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

package dev.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts about the Handoff library itself, for a service's startup log or its health endpoint.
 *
 * <pre>{@code
 * log.info("scoring with Handoff {}", Handoff.version());   // "0.1.0"
 * }</pre>
 */
public final class Handoff {
    private static final String VERSION = readVersion();

    private Handoff() {
    }

    /** The version of {@code handoff-api} on the class or module path, as its Maven artifact is versioned. */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = Handoff.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/handoff/version.properties is missing from the handoff-api jar");
            }
            Properties properties = new Properties();
            // through the one guarded reader, bounded as every other read: a resource is a file Handoff reads too
            properties.load(new java.io.ByteArrayInputStream(GuardedFileReader.readBounded(in, 64 * 1024,
                    "the 64 KiB a version file may have", 0)));
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dev/handoff/version.properties of the handoff-api jar", e);
        }
    }
}

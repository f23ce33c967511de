package dev.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Reads the version of {@code handoff-api} once, for {@link Scorer#handoffVersion()}. */
final class LibraryVersion {
    private static final String VERSION = readVersion();

    private LibraryVersion() {
    }

    static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = LibraryVersion.class.getResourceAsStream("version.properties")) {
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

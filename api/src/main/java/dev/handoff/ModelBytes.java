package dev.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bytes of a model file or stream, never more than {@link ScorerOptions#maxModelBytes()} + 1.
 *
 * <p>A path must name a regular file: a directory is refused with a hint, and a device
 * ({@code /dev/zero}, {@code /dev/random}), a named pipe or a socket is refused before it is opened,
 * because reading it may never end and opening a pipe blocks until someone writes to it. A stream is
 * read in chunks that grow with what arrives, so an endless stream stops at the limit without
 * anything larger than the limit ever being allocated.
 */
final class ModelBytes {
    /** The first chunk read from a stream of unknown length; chunks double up to {@link #MAX_CHUNK}. */
    private static final int FIRST_CHUNK = 8 * 1024;
    private static final int MAX_CHUNK = 1 << 20;

    private ModelBytes() {
    }

    static byte[] read(Path path, long limit) {
        String name = path.toString();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class); // follows links, opens nothing
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(name, null, "the file does not exist", e);
        } catch (IOException e) {
            throw new ModelLoadException(name, null, "the file's attributes cannot be read (" + e + ")", e);
        }
        if (attributes.isDirectory()) {
            throw new ModelLoadException(name, null, "it is a directory, not a model file; give the path of the "
                    + ".onnx or .pmml file inside it");
        }
        if (!attributes.isRegularFile()) {
            throw new ModelLoadException(name, null, "it is not a regular file but a device, named pipe or socket, which "
                    + "may never end or may block when opened, so it is not opened; copy the model into a file, or pass "
                    + "it to Scorer.load(InputStream), which reads at most maxModelBytes");
        }
        if (attributes.size() > limit) {
            throw tooLarge(name, "the model has " + attributes.size() + " bytes", limit);
        }
        try (InputStream in = Files.newInputStream(path)) {
            // the size is a hint: a file can grow or shrink between the two calls, and /proc files report 0
            return read(name, in, limit, (int) attributes.size());
        } catch (AccessDeniedException e) {
            throw new ModelLoadException(name, null, "the file cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new ModelLoadException(name, null, "the file cannot be read (" + e + ")", e);
        }
    }

    static byte[] read(InputStream in, long limit) {
        try {
            return read("<stream>", in, limit, 0);
        } catch (IOException e) {
            throw new ModelLoadException("<stream>", null, "the stream cannot be read (" + e + ")", e);
        }
    }

    /** @param what "the model has N bytes", or how far reading got */
    static ModelLoadException tooLarge(String name, String what, long limit) {
        return new ModelLoadException(name, null, what + ", more than maxModelBytes (" + limit
                + "); raise ScorerOptions.maxModelBytes if this model is expected");
    }

    /**
     * Reads {@code in} to its end. The first chunk has the expected size, so that a file whose size was
     * right is returned without a copy; at most {@code limit + 1} bytes are ever read from {@code in}.
     */
    private static byte[] read(String name, InputStream in, long limit, int expected) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        long total = 0;
        int size = expected > 0 ? expected : FIRST_CHUNK;
        while (true) {
            int wanted = (int) Math.min(size, limit + 1 - total);
            byte[] chunk = new byte[wanted];
            int n = in.readNBytes(chunk, 0, wanted);
            total += n;
            if (total > limit) {
                throw tooLarge(name, "reading stopped after " + total + " bytes", limit);
            }
            if (n < wanted) {
                chunks.add(java.util.Arrays.copyOf(chunk, n));
                break;
            }
            chunks.add(chunk);
            size = chunks.size() == 1 && expected > 0 ? FIRST_CHUNK : Math.min(MAX_CHUNK, size * 2);
        }
        if (chunks.size() == 2 && chunks.get(1).length == 0) {
            return chunks.get(0); // the expected size was right: no copy
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        return all;
    }
}

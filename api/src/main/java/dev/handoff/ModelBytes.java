package dev.handoff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads the bytes of a model file or stream, never more than {@link ScorerOptions#maxModelBytes()} + 1, and
 * turns a refusal into the {@link ModelLoadException} a caller retires the model on. A path goes through
 * {@link GuardedFileReader} (regular files only, bounded while reading, a consistent read or a refusal, never
 * blocking on a pipe); a stream is read in chunks that grow with what arrives, so an endless stream stops at
 * the limit without anything larger than the limit ever being allocated.
 */
final class ModelBytes {
    private ModelBytes() {
    }

    static byte[] read(Path path, long limit) {
        try {
            return GuardedFileReader.read(path, limit, limitHint(limit));
        } catch (GuardedFileReader.Refused e) {
            throw refusal(path, e);
        }
    }

    /** A refusal of the guarded reader as the load failure of the model at {@code path}. */
    static ModelLoadException refusal(Path path, GuardedFileReader.Refused e) {
        String reason = e.reason();
        if (reason.startsWith("it is a directory")) {
            reason = "it is a directory, not a model file; give the path of the .onnx or .pmml file inside it";
        } else if (reason.contains("not a regular file")) {
            reason = reason + "; copy the model into a file, or pass it to Scorer.load(InputStream), which reads at most "
                    + "maxModelBytes";
        }
        return new ModelLoadException(path.toString(), null, reason, e);
    }

    static byte[] read(InputStream in, long limit) {
        try {
            return GuardedFileReader.readBounded(in, limit, limitHint(limit), 0);
        } catch (GuardedFileReader.Refused e) {
            throw new ModelLoadException("<stream>", null, e.reason(), e);
        } catch (IOException e) {
            throw new ModelLoadException("<stream>", null, "the stream cannot be read (" + e + ")", e);
        }
    }

    /** @param what "the model has N bytes", or how far reading got */
    static ModelLoadException tooLarge(String name, String what, long limit) {
        return new ModelLoadException(name, null, what + ", more than " + limitHint(limit));
    }

    private static String limitHint(long limit) {
        return "maxModelBytes (" + limit + "); raise ScorerOptions.maxModelBytes if this model is expected";
    }
}

package dev.handoff.cli;

import dev.handoff.InvalidInputException;

import java.util.Map;

/**
 * The library's messages in the words of the command line: a setting is named by its flag
 * ({@code --missing reject}), never by the Java call a service would make
 * ({@code ScorerOptions.missingValues}).
 *
 * <pre>{@code
 * writer.failed(id, CliWording.rowFailure(failure));   // the error column of score
 * err.println(CliWording.forCli(loadFailure.getMessage()));
 * }</pre>
 */
final class CliWording {
    /**
     * Phrases of load failures that name a Java option, and how the command line says them. Each one is
     * pinned by a test that provokes it, so a change of the library's wording fails a test.
     */
    private static final Map<String, String> JAVA_TO_FLAGS = Map.of(
            "the classes given in ScorerOptions", "the classes given with --classes",
            "classes were given in ScorerOptions", "classes were given with --classes",
            "featureNames are for", "--features are for",
            "featureNames were given", "--features were given",
            "featureNames need", "--features need",
            "runtime options for ONNX were given", "--features are for ONNX models with one input tensor; they were given",
            "raise ScorerOptions.maxModelBytes", "raise --max-model-bytes",
            "use the default AS_MODEL_DECLARES", "use the default --unknown-categories as-model-declares");

    private CliWording() {
    }

    /** A row's failure for the {@code error} column: field and problem, and the flag under which it fails, if any. */
    static String rowFailure(InvalidInputException failure) {
        String text = new InvalidInputException(failure.field(), failure.value(), -1, failure.problem(),
                failure.setting().orElse(null)).clientMessage(); // the output row is the input row: no batch-relative number
        return failure.setting().map(setting -> text + " (" + flag(setting) + ")").orElse(text);
    }

    /** The flag that sets {@code setting} on the command line. */
    static String flag(InvalidInputException.Setting setting) {
        return switch (setting) {
            case MISSING_VALUES_REJECTED -> "--missing reject";
            case STRICT_KEYS -> "--strict-keys";
            case UNKNOWN_CATEGORIES_REJECTED -> "--unknown-categories error";
        };
    }

    /** {@code message} with the Java options it names replaced by their command-line flags. */
    static String forCli(String message) {
        String text = message;
        for (Map.Entry<String, String> phrase : JAVA_TO_FLAGS.entrySet()) {
            text = text.replace(phrase.getKey(), phrase.getValue());
        }
        return text;
    }
}

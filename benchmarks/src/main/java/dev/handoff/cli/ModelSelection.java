package dev.handoff.cli;

import dev.handoff.ScorerOptions;
import dev.handoff.onnx.OnnxOptions;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The model argument and the options that say what the model is, shared by every command that loads
 * one: {@code inspect}, {@code score}, {@code verify}.
 *
 * <pre>{@code
 * @Mixin
 * private ModelSelection model;
 * ...
 * Scorer.load(model.file(), model.options().build())
 * }</pre>
 */
final class ModelSelection {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    private boolean help;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx or .pmml file (the format is detected from the content).")
    private Path file;

    @Option(names = "--classes", split = ",", paramLabel = "CLASS",
            description = "Class labels in the order of the model's probability columns, for a model that does not carry them "
                    + "(a PyTorch classifier): its label is then the most probable class.")
    private List<String> classes = new ArrayList<>();

    @Option(names = "--features", split = ",", paramLabel = "NAME",
            description = "Names of the columns of a single-tensor ONNX model's input ([N, F]), in tensor order: "
                    + "the CSV columns of that name fill the tensor.")
    private List<String> features = new ArrayList<>();

    @Option(names = "--max-model-bytes", paramLabel = "BYTES", defaultValue = "1073741824",
            description = "Larger model files are refused. Default: ${DEFAULT-VALUE} (1 GiB).")
    private long maxModelBytes;

    @Option(names = "--engine", paramLabel = "ENGINE", converter = EngineConverter.class,
            description = ENGINE_DESCRIPTION)
    private Engine engine = Engine.AUTO;

    static final String ENGINE_DESCRIPTION = "Which engine scores the model: auto (the compiled tree engine where it covers "
            + "the model, a tree ensemble, with the runtime's answers; the model's runtime otherwise) or runtime (always ONNX "
            + "Runtime or JPMML-Evaluator). inspect's engine: line says which serves. Default: auto.";

    /** The command line's words for ScorerOptions.compiledTrees: auto (true) or runtime (false). */
    enum Engine {
        AUTO, RUNTIME;

        boolean compiledTrees() {
            return this == AUTO;
        }
    }

    static final class EngineConverter implements picocli.CommandLine.ITypeConverter<Engine> {
        @Override
        public Engine convert(String value) {
            for (Engine e : Engine.values()) {
                if (e.name().equalsIgnoreCase(value.strip())) {
                    return e;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not one of auto, runtime");
        }
    }

    /** The model file named on the command line. */
    Path file() {
        return file;
    }

    /** Whether {@code --features} named the columns of a single-tensor model. */
    boolean hasFeatures() {
        return !features.isEmpty();
    }

    /** The scorer options these flags set; the scoring commands add theirs. */
    ScorerOptions.Builder options() {
        return options(List.of());
    }

    /** As {@link #options()}, with {@code featureNames} (when not empty) naming a single tensor's columns instead of {@code --features}. */
    ScorerOptions.Builder options(List<String> featureNames) {
        ScorerOptions.Builder options = ScorerOptions.builder()
                .classes(classes)
                .maxModelBytes(maxModelBytes)
                .compiledTrees(engine.compiledTrees());
        List<String> names = featureNames.isEmpty() ? features : featureNames;
        if (!names.isEmpty()) { // ONNX only: any other format refuses them as runtime options for ONNX
            options.runtime(OnnxOptions.builder().featureNames(names).build());
        }
        return options;
    }
}

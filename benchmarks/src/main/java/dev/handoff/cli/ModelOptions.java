package dev.handoff.cli;

import dev.handoff.MissingValuePolicy;
import dev.handoff.ScorerOptions;
import dev.handoff.UnknownCategoryPolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The model argument and the command-line options that become {@link ScorerOptions}: shared by
 * {@code inspect}, {@code score} and {@code verify}.
 */
final class ModelOptions {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help.")
    private boolean help;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .onnx or .pmml file (the format is detected from the content).")
    private Path model;

    @Option(names = "--classes", split = ",", paramLabel = "CLASS",
            description = "Class labels in the order of the model's probability columns, for a model that does not carry them "
                    + "(a PyTorch classifier): its label is then the most probable class.")
    private List<String> classes = new ArrayList<>();

    @Option(names = "--features", split = ",", paramLabel = "NAME",
            description = "Names of the columns of a single-tensor model's input, in tensor order. "
                    + "Without it, score and verify fill such a model from the CSV columns in header order.")
    private List<String> features = new ArrayList<>();

    @Option(names = "--missing", paramLabel = "POLICY", converter = MissingPolicyConverter.class,
            description = "A missing value (empty cell): to-model (the model's own treatment applies, as in the framework "
                    + "that trained it; a row the model then gives no prediction for fails) or reject (every row with a "
                    + "missing value fails). Default: to-model.")
    private MissingValuePolicy missing = MissingValuePolicy.TO_MODEL;

    @Option(names = "--strict-keys",
            description = "Fail the rows when the CSV has a column the model does not read. Default: such columns are ignored.")
    private boolean strictKeys;

    @Option(names = "--unknown-categories", paramLabel = "POLICY", converter = UnknownCategoryPolicyConverter.class,
            description = "A value outside an input's declared categories: as-model-declares, error or as-missing. "
                    + "Default: as-model-declares.")
    private UnknownCategoryPolicy unknownCategories = UnknownCategoryPolicy.AS_MODEL_DECLARES;

    /** The model file named on the command line. */
    Path model() {
        return model;
    }

    ScorerOptions scorerOptions() {
        return ScorerOptions.builder()
                .classes(classes)
                .featureNames(features)
                .missingValues(missing)
                .strictKeys(strictKeys)
                .unknownCategories(unknownCategories)
                .build();
    }

    /** Converts {@code as-missing} to {@code AS_MISSING}, naming the valid values when it fails. */
    private static <E extends Enum<E>> E policy(Class<E> type, String text) {
        String constant = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(constant)) {
                return value;
            }
        }
        throw new TypeConversionException("'" + text + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(v -> v.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", ")));
    }

    static final class MissingPolicyConverter implements ITypeConverter<MissingValuePolicy> {
        @Override
        public MissingValuePolicy convert(String value) {
            return policy(MissingValuePolicy.class, value);
        }
    }

    static final class UnknownCategoryPolicyConverter implements ITypeConverter<UnknownCategoryPolicy> {
        @Override
        public UnknownCategoryPolicy convert(String value) {
            return policy(UnknownCategoryPolicy.class, value);
        }
    }
}

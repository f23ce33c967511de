package dev.handoff.cli;

import dev.handoff.ScorerOptions;
import dev.handoff.UnknownCategoryPolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The model of a command that scores a CSV file ({@code score}, {@code verify}), with the options that
 * say how the CSV columns bind to its inputs and what becomes of a row that does not fit.
 */
final class ModelOptions {

    @Mixin
    private ModelSelection selection;

    @Option(names = "--by-position",
            description = "Fill a single-tensor model's input from the CSV columns in header order (--id excluded), and print "
                    + "the binding. Without it such a model needs --features.")
    private boolean byPosition;

    @Option(names = "--allow-missing-columns",
            description = "Score even when the header lacks a column for some input: that input is missing in every row, and "
                    + "the model's treatment of a missing value applies. Without it such a header is an error.")
    private boolean allowMissingColumns;

    @Option(names = "--missing", paramLabel = "POLICY", converter = MissingPolicyConverter.class,
            description = "A missing value (empty cell): to-model (the model's own treatment applies, as in the framework "
                    + "that trained it; a row the model then gives no prediction for fails) or reject (every row with a "
                    + "missing value fails). Default: to-model.")
    private MissingPolicy missing = MissingPolicy.TO_MODEL;

    @Option(names = "--strict-keys",
            description = "Refuse a header with a column the model does not read (--id excepted). Default: such columns are ignored.")
    private boolean strictKeys;

    @Option(names = "--unknown-categories", paramLabel = "POLICY", converter = UnknownCategoryPolicyConverter.class,
            description = "A value outside an input's declared categories: as-model-declares, error or as-missing. "
                    + "Default: as-model-declares.")
    private UnknownCategoryPolicy unknownCategories = UnknownCategoryPolicy.AS_MODEL_DECLARES;

    /** The model file named on the command line. */
    Path model() {
        return selection.file();
    }

    ScorerOptions scorerOptions() {
        return scorerOptions(List.of());
    }

    /**
     * The scorer options, with {@code positionalFeatures} (when not empty, under {@code --by-position}) naming the
     * columns of a single-tensor model instead of {@code --features}.
     */
    ScorerOptions scorerOptions(List<String> positionalFeatures) {
        return selection.options(positionalFeatures)
                .rejectMissingValues(missing == MissingPolicy.REJECT)
                .strictKeys(strictKeys)
                .unknownCategories(unknownCategories)
                .build();
    }

    boolean hasFeatures() {
        return selection.hasFeatures();
    }

    boolean strictKeys() {
        return strictKeys;
    }

    boolean byPosition() {
        return byPosition;
    }

    boolean allowMissingColumns() {
        return allowMissingColumns;
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

    /** The command line's words for ScorerOptions.rejectMissingValues: to-model (false) or reject (true). */
    enum MissingPolicy { TO_MODEL, REJECT }

    static final class MissingPolicyConverter implements ITypeConverter<MissingPolicy> {
        @Override
        public MissingPolicy convert(String value) {
            return policy(MissingPolicy.class, value);
        }
    }

    static final class UnknownCategoryPolicyConverter implements ITypeConverter<UnknownCategoryPolicy> {
        @Override
        public UnknownCategoryPolicy convert(String value) {
            return policy(UnknownCategoryPolicy.class, value);
        }
    }
}

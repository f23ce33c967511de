package dev.handoff.cli;

import dev.handoff.Scorer;
import dev.handoff.Verification;
import dev.handoff.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code handoff verify MODEL --input in.csv --expected expected.csv [--atol A] [--rtol R]}: the library's
 * {@link Scorer#verify} on the data scientist's files ({@link Verification#fromCsv}), printed as its
 * {@link VerificationReport}. Without {@code --input} and {@code --expected} it runs the golden cases the
 * model carries itself (PMML {@code <ModelVerification>}). Exits 0 when every case matches, 1 on a
 * mismatch, 2 on a usage error or a model or file that cannot be read.
 */
@Command(name = "verify", description = {
        "Scores input.csv and compares the predictions with expected.csv (the layout score writes), or runs the "
                + "model's own PMML <ModelVerification> cases when neither file is given.",
        "Labels must match exactly; a number passes when |actual - expected| <= atol + rtol * |expected|;"
                + " an expected inf or nan only when the answer is the same; an empty expected row means the model must"
                + " give no prediction.",
        "Prints the cases, the largest error per column and the first mismatches. Exits 0 if all match, 1 on a mismatch,"
                + " 2 on a usage error or a model or file that cannot be read, 4 on an internal error."})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--input", paramLabel = "CSV", description = "The rows to score (header = input names, empty cell = missing).")
    private Path input;

    @Option(names = "--expected", paramLabel = "CSV", description = "The expected predictions, row i for input row i.")
    private Path expected;

    @Option(names = "--atol", paramLabel = "ABS",
            description = "Absolute tolerance. Default: " + Verification.DEFAULT_ABSOLUTE_TOLERANCE
                    + " with --input/--expected (float32 rounding near 0); the model's own zeroThreshold for its embedded cases.")
    private Double atol;

    @Option(names = "--rtol", paramLabel = "REL",
            description = "Relative tolerance. Default: " + Verification.DEFAULT_RELATIVE_TOLERANCE
                    + " with --input/--expected (passes a sound float32 export, fails a differently trained model);"
                    + " the model's own precision for its embedded cases.")
    private Double rtol;

    @Mixin
    private ModelOptions modelOptions;

    @Override
    public Integer call() throws IOException {
        if ((input == null) != (expected == null)) {
            throw new ParameterException(spec.commandLine(), "give both --input and --expected, or neither to run the "
                    + "model's own embedded cases");
        }
        VerificationReport report;
        if (input != null) {
            Verification cases = Verification.fromCsv(input, expected);
            cases = cases.withTolerance(atol == null ? cases.absoluteTolerance() : atol, rtol == null ? cases.relativeTolerance() : rtol);
            List<String> header;
            try (CsvRowReader rows = CsvRowReader.open(input.toString(), System.in, StandardCharsets.UTF_8, ',')) {
                header = rows.header(); // the cases were read above: only the header is needed here
            }
            // bound to the header as score binds it: header checks, --features / --by-position
            try (BoundModel model = BoundModel.open(modelOptions, header, null, input.toString(), spec.commandLine().getErr())) {
                report = model.scorer().verify(cases);
            }
        } else {
            try (Scorer scorer = Scorer.load(modelOptions.model(), modelOptions.scorerOptions())) {
                Verification cases = scorer.embeddedVerification().orElseThrow(() -> new ParameterException(spec.commandLine(),
                        modelOptions.model() + " carries no golden cases of its own; give --input and --expected"));
                cases = cases.withTolerance(atol == null ? cases.absoluteTolerance() : atol, rtol == null ? cases.relativeTolerance() : rtol);
                report = scorer.verify(cases);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(report);
        out.flush();
        return report.passed() ? 0 : HandoffCommand.EXIT_MISMATCH;
    }
}

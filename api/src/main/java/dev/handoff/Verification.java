package dev.handoff;

import dev.handoff.internal.csv.DecodingReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * Golden cases a model must reproduce (input records and the answers the training framework gave) with
 * the tolerance a number may differ by. Immutable.
 *
 * <pre>{@code
 * Verification golden = Verification.fromCsv(Path.of("input.csv"), Path.of("expected.csv"));
 * VerificationReport report = scorer.verify(golden);
 * if (!report.passed()) {
 *     throw new IllegalStateException("the model does not reproduce its golden cases:\n" + report);
 * }
 * }</pre>
 *
 * <p><b>Tolerance.</b> A number passes when {@code |actual - expected| <= absolute + relative * |expected|}
 * (numpy's {@code isclose}); {@code NaN} matches {@code NaN} and an infinity the same infinity. Labels and
 * text must match exactly. The defaults ({@value #DEFAULT_ABSOLUTE_TOLERANCE} absolute,
 * {@value #DEFAULT_RELATIVE_TOLERANCE} relative) pass a sound float32 ONNX export of a float64 model, which
 * differs from the framework by a few units of float32 rounding (about 1e-7 relative, more after summing
 * hundreds of trees), and fail a model that was trained differently, whose answers move by far more.
 */
public final class Verification {
    /** Default absolute tolerance: float32 rounding of probabilities near 0. */
    public static final double DEFAULT_ABSOLUTE_TOLERANCE = 1e-6;
    /** Default relative tolerance: float32 rounding accumulated over a few hundred operations. */
    public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-5;
    /** The most bytes {@link #fromCsv(Path, Path)} reads of one file: golden cases are a sample, not a data set. */
    static final long MAX_CSV_BYTES = 64L << 20;

    private final String source;
    private final List<VerificationCase> cases;
    private final double absoluteTolerance;
    private final double relativeTolerance;

    private Verification(String source, List<VerificationCase> cases, double absoluteTolerance, double relativeTolerance) {
        this.source = Objects.requireNonNull(source, "source");
        Objects.requireNonNull(cases, "cases");
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("a verification needs at least one case (" + source + " has none)");
        }
        List<VerificationCase> named = new ArrayList<>(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            VerificationCase c = Objects.requireNonNull(cases.get(i), "case " + i);
            if (!c.expectsSomething()) {
                throw new IllegalArgumentException("case " + i + (c.name().isEmpty() ? "" : " ('" + c.name() + "')")
                        + " of " + source + " expects nothing: give a label, probabilities, a value, outputs or no prediction");
            }
            named.add(c.name().isEmpty() ? new VerificationCase("case " + i, c.input(), c.label(), c.probabilities(), c.value(),
                    c.outputs(), c.noPrediction()) : c);
        }
        this.cases = List.copyOf(named);
        this.absoluteTolerance = checkTolerance("absolute", absoluteTolerance);
        this.relativeTolerance = checkTolerance("relative", relativeTolerance);
    }

    /** Cases made in code, with the default tolerances. */
    public static Verification of(List<VerificationCase> cases) {
        return of("<cases>", cases);
    }

    /** Cases with the default tolerances; {@code source} names them in reports (a file name, a model). */
    public static Verification of(String source, List<VerificationCase> cases) {
        return new Verification(source, cases, DEFAULT_ABSOLUTE_TOLERANCE, DEFAULT_RELATIVE_TOLERANCE);
    }

    /**
     * Reads the data scientist's files, with the default tolerances: {@code input} has a header of input
     * names and one record per row (an empty cell is a missing value); {@code expected} has, for row
     * {@code i} of the input, the framework's answer in the columns {@code label},
     * {@code probability(<class>)}..., {@code value}, or one column per named output. A row of empty cells
     * expects no prediction; another empty cell is not checked; an {@code error} column (which
     * {@code handoff score} writes) is ignored. Every row has as many cells as its header. UTF-8 (a byte
     * order mark is dropped), RFC 4180 quoting, LF or CRLF; numbers as {@link Scorer} reads them
     * (see the README: {@code nan} and {@code NA} are missing, {@code inf} an infinity, no Java forms).
     * Each file must be a regular file of at most 64 MiB, read as one consistent version (a pipe, a device,
     * a directory, a larger file or one replaced while it is read is refused).
     *
     * @throws UncheckedIOException when a file cannot be read
     * @throws IllegalArgumentException when a file is malformed or the two files do not have the same rows
     */
    public static Verification fromCsv(Path input, Path expected) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(expected, "expected");
        return fromCsv(readCsv(input), readCsv(expected), input.getFileName() + " + " + expected.getFileName());
    }

    /** As {@link #fromCsv(Path, Path)}, from readers (read to their end, not closed); {@code source} names them. */
    public static Verification fromCsv(Reader input, Reader expected, String source) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(source, "source");
        try {
            return fromCsv(VerificationCsv.Table.read(input, source + " (input)"),
                    VerificationCsv.Table.read(expected, source + " (expected)"), source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the verification files " + source + ": " + e.getMessage(), e);
        }
    }

    private static Verification fromCsv(VerificationCsv.Table input, VerificationCsv.Table expected, String source) {
        return of(source, VerificationCsv.cases(input, expected));
    }

    /**
     * Reads one case file through the {@link GuardedFileReader}: a regular file of at most {@link #MAX_CSV_BYTES},
     * read whole before it is decoded, so that a pipe, a device or a file that grows without end is refused
     * instead of holding the caller (a reload check among them).
     */
    private static VerificationCsv.Table readCsv(Path file) {
        byte[] bytes;
        try {
            bytes = GuardedFileReader.read(file, MAX_CSV_BYTES, "the " + (MAX_CSV_BYTES >> 20) + " MiB a verification file "
                    + "may have; keep the golden cases to a sample");
        } catch (GuardedFileReader.Refused e) {
            throw new UncheckedIOException(e.missing() ? "CSV file " + file + " does not exist"
                    : "cannot read CSV file " + file + ": " + e.reason(), e);
        }
        try (Reader reader = new DecodingReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8, file.toString(),
                "verification files are read as UTF-8")) {
            return VerificationCsv.Table.read(reader, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CSV file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The same cases with other tolerances (see the class comment). */
    public Verification withTolerance(double absolute, double relative) {
        return new Verification(source, cases, absolute, relative);
    }

    /** The cases whose index {@code keep} accepts, keeping their names (for example to leave out documented rows). */
    public Verification select(IntPredicate keep) {
        List<VerificationCase> kept = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            if (keep.test(i)) {
                kept.add(cases.get(i));
            }
        }
        return new Verification(source, kept, absoluteTolerance, relativeTolerance);
    }

    /** Where the cases came from, for reports. */
    public String source() {
        return source;
    }

    public List<VerificationCase> cases() {
        return cases;
    }

    /** The input records of the cases, in case order: what to score for {@link #compare(List)}. */
    public List<Map<String, Object>> inputs() {
        return cases.stream().map(VerificationCase::input).toList();
    }

    public double absoluteTolerance() {
        return absoluteTolerance;
    }

    public double relativeTolerance() {
        return relativeTolerance;
    }

    /**
     * Compares predictions made for {@link #inputs()} (prediction {@code i} for case {@code i}) with the
     * expected answers. {@link Scorer#verify(Verification)} scores and compares in one call.
     */
    public VerificationReport compare(List<Prediction> predictions) {
        Objects.requireNonNull(predictions, "predictions");
        if (predictions.size() != cases.size()) {
            throw new IllegalArgumentException(predictions.size() + " predictions for " + cases.size() + " cases of " + source);
        }
        VerificationReport.Builder report = new VerificationReport.Builder(this);
        for (int i = 0; i < cases.size(); i++) {
            report.compare(i, cases.get(i), predictions.get(i));
        }
        return report.build();
    }

    /**
     * Scores the inputs as {@link Scorer#score(java.util.stream.Stream)} scores a stream (in the library's
     * chunks, one {@code scoreAll} call each) and compares.
     */
    VerificationReport run(Function<? super List<Map<String, ?>>, Predictions> scoreAll) {
        return compare(RecordStream.outcomes(scoreAll, inputs().iterator()).toList());
    }

    private static double checkTolerance(String what, double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException(what + " tolerance must be a finite number >= 0, got " + tolerance);
        }
        return tolerance;
    }

    @Override
    public String toString() {
        return "Verification{" + cases.size() + " cases from " + source + ", tolerance " + absoluteTolerance + " + "
                + relativeTolerance + " * |expected|}";
    }
}

package dev.handoff;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A loaded model that scores records: the one API for ONNX and PMML models.
 *
 * <pre>{@code
 * try (Scorer scorer = Scorer.load(Path.of("churn.onnx"))) {      // format detected from content
 *     Prediction p = scorer.score(Map.of("tenure_months", 14, "plan", "plus"));
 *     String label = p.label();                                  // "0" / "1"
 *     double churn = p.probability("1");
 * }
 * }</pre>
 *
 * <p>The runtime for the model's format is found with {@link java.util.ServiceLoader}: add
 * {@code handoff-runtime-onnx} and/or {@code handoff-runtime-pmml} to the class path.
 *
 * <p>A {@code Scorer} is immutable and safe for any number of threads. {@link #close()} waits for
 * in-flight calls, then frees native memory; a call after {@code close()} throws
 * {@link IllegalStateException}. Nothing it returns holds a native handle.
 *
 * <p>Records are maps from {@linkplain #inputs() input} name to value. Numbers may be any
 * {@link Number}, a numeric string or a boolean (1/0); {@code null}, {@code NaN}, an empty string and
 * an absent key mean missing, and a missing value goes to the model, which treats it as it declares
 * ({@link InputField#missingValues()}). Keys the model does not read are ignored (unless
 * {@link ScorerOptions#strictKeys()}), but a key that matches an input only up to case or separators is
 * rejected. A bad record throws {@link InvalidInputException} and leaves the scorer healthy; in a batch,
 * each bad row gets its own exception in the {@link Predictions} and the other rows are scored. A model
 * that fails while scoring, through no fault of the record, throws {@link ScoringException} and fails
 * the whole call.
 *
 * <h2>Many rows: one way for each shape of work</h2>
 * <ul>
 *   <li>One record: {@link #score(Map)}, which throws for a bad record.</li>
 *   <li>A stream of records of any length, in constant memory: {@link #score(Stream)}. Records are scored
 *       in chunks of 1,024 inside the library (one model call each) and each record's outcome comes out in
 *       order, a failed record as a {@link Prediction#failed() failed} prediction whose exception's
 *       {@link InvalidInputException#row() row} is the record's index in the stream.
 *       <pre>{@code
 * try (Stream<Map<String, Object>> records = readRecords();
 *      Stream<Prediction> outcomes = scorer.score(records)) {
 *     outcomes.forEach(p -> write(p.failed() ? "error: " + p.failure().get().clientMessage() : p.label()));
 * }
 * }</pre></li>
 *   <li>Records already in memory: {@link #scoreAll(List)} (one model call, per-row outcomes).</li>
 *   <li>Columns already in memory, without boxing: {@link #score(Batch)} (per-row outcomes).</li>
 * </ul>
 * Before scoring a file, {@link #checkColumns(Collection)} says whether its header names every input,
 * which columns the model does not read, and which only nearly match an input name.
 */
public interface Scorer extends AutoCloseable {

    /**
     * The version of Handoff ({@code handoff-api}) on the class or module path, as its Maven artifact is
     * versioned: for a service's startup log or its health endpoint.
     *
     * <pre>{@code
     * log.info("scoring with Handoff {}", Scorer.handoffVersion());   // "0.1.0"
     * }</pre>
     */
    static String handoffVersion() {
        return LibraryVersion.version();
    }

    /** Loads a model file with {@link ScorerOptions#defaults()}. */
    static Scorer load(Path model) {
        return ModelLoader.load(model, ScorerOptions.defaults());
    }

    /**
     * Loads a model file; ONNX or PMML is detected from the content, not the file name. The path must name
     * a regular file (links are followed): a directory, a device or a named pipe is refused before it is
     * opened.
     *
     * @throws ModelLoadException when the model cannot be used: the message names the file, the format and the cause
     */
    static Scorer load(Path model, ScorerOptions options) {
        return ModelLoader.load(model, options);
    }

    /**
     * Loads a model from a stream, which is read to its end (at most {@link ScorerOptions#maxModelBytes()}
     * plus one byte) but not closed.
     */
    static Scorer load(InputStream model) {
        return ModelLoader.load(model, ScorerOptions.defaults());
    }

    /** Loads a model from a stream, which is read to its end but not closed. */
    static Scorer load(InputStream model, ScorerOptions options) {
        return ModelLoader.load(model, options);
    }

    /** Loads a model from its bytes (which are copied). */
    static Scorer load(byte[] model) {
        return ModelLoader.load(model, ScorerOptions.defaults());
    }

    /** Loads a model from its bytes (which are copied). */
    static Scorer load(byte[] model, ScorerOptions options) {
        return ModelLoader.load(model, options);
    }

    /** Format, task, producer, SHA-256, description and metadata of the model. */
    ModelInfo info();

    /** The inputs a record is bound to, in model order. */
    List<InputField> inputs();

    /** Every named output the model can give, readable through {@link Prediction#output(String)}. */
    List<OutputField> outputs();

    /** Class labels in model order, in canonical string form; empty for a regression. */
    List<String> classes();

    /**
     * Scores one record.
     *
     * @throws ScoringException when the model fails on the record through no fault of the record
     * @throws InvalidInputException when the record is bad or the model gives no prediction for it (the
     *         message names field, value and expectation)
     * @throws IllegalStateException after {@link #close()}
     */
    Prediction score(Map<String, ?> record);

    /**
     * Scores records in one model call; outcome {@code i} belongs to record {@code i}. A bad record does
     * not throw: its row holds its {@link InvalidInputException} ({@link Predictions#failures()}) and the
     * other rows are scored. An empty list gives empty predictions.
     *
     * @throws ScoringException when the model fails while scoring, through no fault of the records
     * @throws IllegalStateException after {@link #close()}
     */
    Predictions scoreAll(List<? extends Map<String, ?>> records);

    /**
     * Scores a columnar batch without boxing per cell. A bad row does not throw: its row holds its
     * {@link InvalidInputException} and the other rows are scored.
     *
     * @throws ScoringException when the model fails while scoring, through no fault of the rows
     * @throws InvalidInputException when a column itself is unusable (wrong Java type or length, a column
     *         name that only nearly matches an input)
     * @throws IllegalStateException after {@link #close()}
     */
    Predictions score(Batch batch);

    /**
     * Scores a stream of records lazily, in chunks of 1,024 records per model call, so that memory stays
     * constant however long the stream is: outcome {@code i} belongs to record {@code i}. A bad record does
     * not throw: its outcome is {@linkplain Prediction#failed() failed}, with an
     * {@link InvalidInputException} whose {@link InvalidInputException#row() row} is the record's index in
     * the stream. Closing the returned stream closes {@code records}.
     *
     * <pre>{@code
     * try (Stream<Prediction> outcomes = scorer.score(records)) {
     *     outcomes.forEach(p -> out.println(p.failed() ? p.failure().get().clientMessage() : p.label()));
     * }
     * }</pre>
     *
     * @throws ScoringException (from the stream's terminal operation) when the model fails on a chunk,
     *         through no fault of its records
     * @throws IllegalStateException (likewise) once the scorer is closed
     */
    default Stream<Prediction> score(Stream<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        return RecordStream.outcomes(this::scoreAll, records.iterator()).onClose(records::close);
    }

    /**
     * Checks column names (a CSV header, a table's schema) against {@link #inputs()} before any row is
     * scored: which inputs have no column, which columns the model does not read, and which of those only
     * nearly match an input that has no column (case, {@code _}, {@code -}, {@code .}, spaces), which
     * {@link #score(Map)} would refuse as a likely typo.
     *
     * <pre>{@code
     * ColumnCheck check = scorer.checkColumns(List.of(header));
     * if (!check.missingInputs().isEmpty() || !check.nearMisses().isEmpty()) {
     *     throw new IllegalArgumentException(check.toString());
     * }
     * }</pre>
     */
    default ColumnCheck checkColumns(Collection<String> columnNames) {
        Objects.requireNonNull(columnNames, "columnNames");
        return new dev.handoff.internal.bind.KeyCheck(inputs(), false).checkColumns(columnNames);
    }

    /**
     * What {@link #checkColumns} found.
     *
     * @param missingInputs the inputs no column is named after, in model order
     * @param unreadColumns the columns that are not inputs and do not nearly match one, in the order given
     * @param nearMisses per column that only nearly matches an input without a column, that input, in the order given
     */
    record ColumnCheck(List<String> missingInputs, List<String> unreadColumns, Map<String, String> nearMisses) {

        public ColumnCheck {
            missingInputs = List.copyOf(missingInputs);
            unreadColumns = List.copyOf(unreadColumns);
            nearMisses = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(nearMisses));
        }

        /** Whether every input has a column and no column only nearly matches one. */
        public boolean matches() {
            return missingInputs.isEmpty() && nearMisses.isEmpty();
        }

        /** For example {@code missing inputs [plan]; columns only nearly matching an input: 'Tenure' (did you mean 'tenure'?)}. */
        @Override
        public String toString() {
            List<String> parts = new java.util.ArrayList<>();
            if (!missingInputs.isEmpty()) {
                parts.add("missing inputs " + missingInputs);
            }
            if (!nearMisses.isEmpty()) {
                java.util.StringJoiner j = new java.util.StringJoiner(", ");
                nearMisses.forEach((column, input) -> j.add("'" + column + "' (did you mean '" + input + "'?)"));
                parts.add("columns only nearly matching an input: " + j);
            }
            if (!unreadColumns.isEmpty()) {
                parts.add("columns the model does not read " + unreadColumns);
            }
            return parts.isEmpty() ? "every input has a column" : String.join("; ", parts);
        }
    }

    /**
     * Scores golden cases and compares the answers with the expected ones, within the verification's
     * tolerance: the check a service runs at startup, and a {@link ReloadingScorer} before a new model
     * serves. These calls are not counted in {@link #stats()}.
     *
     * <pre>{@code
     * VerificationReport report = scorer.verify(Verification.fromCsv(Path.of("input.csv"), Path.of("expected.csv")));
     * if (!report.passed()) throw new IllegalStateException(report.toString());
     * }</pre>
     *
     * <p>The default scores the cases through {@link #scoreAll}, so that an implementation of this
     * interface (a test double, a decorator) verifies like any scorer.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    default VerificationReport verify(Verification verification) {
        Objects.requireNonNull(verification, "verification");
        return verification.run(this::scoreAll);
    }

    /**
     * The golden cases the model file carries itself, for {@link #verify}: PMML's
     * {@code <ModelVerification>}, with its precision as the tolerance. Empty when the model has none
     * (every ONNX model); the default is empty.
     */
    default Optional<Verification> embeddedVerification() {
        return Optional.empty();
    }

    /**
     * What this scorer has done since it was loaded: calls, rows, failed rows by kind, latency
     * percentiles, per-input missing, invalid, unseen and out-of-range values. See {@link ScorerStats}.
     * The default, for implementations that record nothing, is {@link ScorerStats#none()}.
     */
    default ScorerStats stats() {
        return ScorerStats.none();
    }

    /** Waits for in-flight calls, then frees the model's native memory. Idempotent. */
    @Override
    void close();
}

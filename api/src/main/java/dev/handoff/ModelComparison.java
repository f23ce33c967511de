package dev.handoff;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Scores the same records with two models and reports how their answers differ: per output the rows
 * compared, how many agree within tolerance, and the maximum, median and 99th percentile of the absolute
 * and relative differences; the rows only one model could score; the worst rows; and the classes or
 * outputs that only one model has. Memory stays constant however many records there are.
 *
 * <pre>{@code
 * try (Scorer serving = Scorer.load(Path.of("churn.onnx"));
 *      Scorer candidate = Scorer.load(Path.of("churn-retrained.pmml"));
 *      Stream<Map<String, Object>> records = readRecords()) {
 *     ModelComparison.Report report = ModelComparison.builder().tolerance(1e-6, 1e-5).idColumn("customer_id").build()
 *             .compare(serving, candidate, records);
 *     if (!report.agrees()) log.warn("candidate differs:\n{}", report);
 * }
 * }</pre>
 *
 * <p>Model A is the reference: a difference is {@code |b - a|}, a relative difference {@code |b - a| / |a|}
 * (undefined where {@code a} is 0 or infinite), and a value agrees under the rule of
 * {@link Scorer#verify verify} with A's answer as the expected one: {@code |b - a| <= atol + rtol * |a|},
 * NaN only with NaN, an infinity only with the same infinity. Labels agree when they are equal. Compared
 * are the outputs {@code score} writes: {@code label}, {@code probability(<class>)} per class both models
 * have, and {@code value}.
 *
 * <p>Quantiles come from fixed log-scale buckets (16 per power of two): within 1/32 of the true value
 * for differences between 5.4e-20 and 1.8e19, smaller ones read as 5.4e-20; maxima are exact.
 * Immutable and thread-safe; a {@code compare} call does not close the scorers.
 */
public final class ModelComparison {
    /** How many worst rows and one-sided rows a report keeps, unless {@link Builder#rowsKept} says otherwise. */
    public static final int DEFAULT_ROWS_KEPT = 10;

    private final double atol;
    private final double rtol;
    private final String idColumn;
    private final int rowsKept;

    private ModelComparison(Builder b) {
        this.atol = b.atol;
        this.rtol = b.rtol;
        this.idColumn = b.idColumn;
        this.rowsKept = b.rowsKept;
    }

    /** A comparison with {@code verify}'s default tolerances, no id column and {@value #DEFAULT_ROWS_KEPT} rows kept. */
    public static Builder builder() {
        return new Builder();
    }

    public double absoluteTolerance() {
        return atol;
    }

    public double relativeTolerance() {
        return rtol;
    }

    /** Scores {@code records} with both models, in chunks of 1,024 records, and reports their differences. */
    public Report compare(Scorer a, Scorer b, Stream<? extends Map<String, ?>> records) {
        Objects.requireNonNull(records, "records");
        return compare(a, b, records.iterator(), null);
    }

    /**
     * As {@link #compare(Scorer, Scorer, Stream)}, telling {@code eachRow} (may be null) every record's
     * outcomes and differences, in order: for writing per-row differences.
     *
     * @throws IllegalStateException when a scorer is closed
     */
    public Report compare(Scorer a, Scorer b, Iterator<? extends Map<String, ?>> records, Consumer<RowComparison> eachRow) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(records, "records");
        ComparisonTally tally = tally(a, b);
        long first = 0;
        while (records.hasNext()) {
            List<Map<String, ?>> chunk = RecordStream.nextChunk(records, RecordStream.CHUNK_ROWS);
            Scored sa = scored(a, chunk);
            Scored sb = scored(b, chunk);
            for (int r = 0; r < chunk.size(); r++) {
                tally.add(first + r, idOf(chunk.get(r)), sa.row(r), sa.failure, sb.row(r), sb.failure, eachRow);
            }
            first += chunk.size();
        }
        return tally.report();
    }

    /** The running figures for {@code a} against {@code b}, as shadow scoring keeps them. */
    ComparisonTally tally(Scorer a, Scorer b) {
        return new ComparisonTally(a, b, atol, rtol, rowsKept);
    }

    /** The id of a record: the value of the id column as text, or null without one. */
    String idOf(Map<String, ?> record) {
        if (idColumn == null) {
            return null;
        }
        Object id = record.get(idColumn);
        return id == null ? "" : id.toString();
    }

    /** The outcomes of one chunk, or the failure of the model call as a whole (every row then failed). */
    private record Scored(Predictions predictions, String failure) {
        Prediction row(int r) {
            return predictions == null ? null : predictions.get(r);
        }
    }

    private static Scored scored(Scorer scorer, List<Map<String, ?>> chunk) {
        try {
            return new Scored(scorer.scoreAll(chunk), null);
        } catch (ScoringException | InvalidInputException e) {
            return new Scored(null, e.getMessage());
        }
    }

    /**
     * Builds a {@link ModelComparison}; each setter checks its argument at once.
     *
     * <pre>{@code
     * ModelComparison diff = ModelComparison.builder().tolerance(0, 1e-9).idColumn("id").rowsKept(20).build();
     * }</pre>
     */
    public static final class Builder {
        private double atol = Verification.DEFAULT_ABSOLUTE_TOLERANCE;
        private double rtol = Verification.DEFAULT_RELATIVE_TOLERANCE;
        private String idColumn;
        private int rowsKept = DEFAULT_ROWS_KEPT;

        private Builder() {
        }

        /** A value agrees when {@code |b - a| <= absolute + relative * |a|}; both finite and {@code >= 0}. */
        public Builder tolerance(double absolute, double relative) {
            if (!(absolute >= 0) || Double.isInfinite(absolute)) {
                throw new IllegalArgumentException("absolute tolerance must be finite and >= 0, got " + absolute);
            }
            if (!(relative >= 0) || Double.isInfinite(relative)) {
                throw new IllegalArgumentException("relative tolerance must be finite and >= 0, got " + relative);
            }
            this.atol = absolute;
            this.rtol = relative;
            return this;
        }

        /** The record key that names a row in the report (a customer id); rows are otherwise named by index. */
        public Builder idColumn(String column) {
            Objects.requireNonNull(column, "column");
            if (column.isBlank()) {
                throw new IllegalArgumentException("idColumn must not be blank");
            }
            this.idColumn = column;
            return this;
        }

        /** How many worst rows and rows only one model scored the report keeps; 0 to 1,000. */
        public Builder rowsKept(int rows) {
            if (rows < 0 || rows > 1000) {
                throw new IllegalArgumentException("rowsKept must be 0 to 1000, got " + rows);
            }
            this.rowsKept = rows;
            return this;
        }

        public ModelComparison build() {
            return new ModelComparison(this);
        }
    }

    /**
     * The differences of one output over the rows both models scored.
     *
     * @param name {@code label}, {@code probability(<class>)} or {@code value}
     * @param compared the rows compared
     * @param agreeing the rows whose answers agree: equal labels, numbers within tolerance
     * @param maxAbsolute the largest {@code |b - a|} (exact); NaN for {@code label} or with no rows
     * @param p50Absolute the median of {@code |b - a|}, within 1/32
     * @param p99Absolute the 99th percentile of {@code |b - a|}, within 1/32
     * @param maxRelative the largest {@code |b - a| / |a|} over rows with {@code a} non-zero and finite
     * @param p50Relative its median
     * @param p99Relative its 99th percentile
     */
    public record Output(String name, long compared, long agreeing, double maxAbsolute, double p50Absolute, double p99Absolute,
                         double maxRelative, double p50Relative, double p99Relative) {

        /** {@code agreeing / compared}; 1 when no row was compared. */
        public double agreementRate() {
            return compared == 0 ? 1 : (double) agreeing / compared;
        }
    }

    /**
     * A row among the worst: rows whose labels differ first, then by the largest absolute difference.
     *
     * @param row the record's index (0 = the first record)
     * @param id the value of the id column, or null without one
     * @param output the output with the row's largest difference
     * @param a A's value of that output (NaN for a label-only comparison)
     * @param b B's value
     * @param absoluteDifference {@code |b - a|}
     * @param labelA A's label, or null when the models are not both classifiers
     * @param labelB B's label
     */
    public record WorstRow(long row, String id, String output, double a, double b, double absoluteDifference, String labelA,
                           String labelB) {

        public boolean labelsDiffer() {
            return labelA != null && !labelA.equals(labelB);
        }
    }

    /**
     * A row only one model could score.
     *
     * @param row the record's index
     * @param id the value of the id column, or null without one
     * @param failedModel {@code A} or {@code B}: the model that could not score it
     * @param failure why, as that model said
     */
    public record OneSidedRow(long row, String id, String failedModel, String failure) {
    }

    /**
     * One record's outcomes, for {@link #compare(Scorer, Scorer, Iterator, Consumer)}.
     *
     * @param row the record's index
     * @param id the value of the id column, or null
     * @param a A's outcome, or null when A's call failed as a whole
     * @param b B's outcome, or null likewise
     * @param absoluteDifferences per compared numeric output, {@code |b - a|}; empty when a model failed the row
     * @param agrees whether both scored it and every compared output agrees
     */
    public record RowComparison(long row, String id, Prediction a, Prediction b, Map<String, Double> absoluteDifferences,
                                boolean agrees) {
        public RowComparison {
            absoluteDifferences = java.util.Collections.unmodifiableMap(absoluteDifferences);
        }
    }

    /**
     * What a comparison found. {@link #toString()} prints it as a table.
     *
     * @param modelA where model A came from
     * @param modelB where model B came from
     * @param absoluteTolerance the tolerance applied
     * @param relativeTolerance the tolerance applied
     * @param rows every record read
     * @param failedOnlyByA records B scored but A could not
     * @param failedOnlyByB records A scored but B could not
     * @param failedByBoth records neither could score
     * @param outputs per output both models give, its figures
     * @param outputsOnlyInA outputs (such as a class's probability) only A gives: never compared, and a disagreement
     * @param outputsOnlyInB likewise for B
     * @param worstRows the worst rows, worst first
     * @param oneSidedRows the first rows only one model could score
     */
    public record Report(String modelA, String modelB, double absoluteTolerance, double relativeTolerance, long rows,
                         long failedOnlyByA, long failedOnlyByB, long failedByBoth, List<Output> outputs, List<String> outputsOnlyInA,
                         List<String> outputsOnlyInB, List<WorstRow> worstRows, List<OneSidedRow> oneSidedRows) {

        public Report {
            outputs = List.copyOf(outputs);
            outputsOnlyInA = List.copyOf(outputsOnlyInA);
            outputsOnlyInB = List.copyOf(outputsOnlyInB);
            worstRows = List.copyOf(worstRows);
            oneSidedRows = List.copyOf(oneSidedRows);
        }

        /** The records both models scored. */
        public long rowsCompared() {
            return rows - failedOnlyByA - failedOnlyByB - failedByBoth;
        }

        /** The records at least one model could not score. */
        public long rowsFailed() {
            return failedOnlyByA + failedOnlyByB + failedByBoth;
        }

        /**
         * Whether the models agree: both give the same outputs, every row one scored the other scored too, and
         * every compared output agrees on every row. Rows neither could score do not count against it.
         */
        public boolean agrees() {
            return outputsOnlyInA.isEmpty() && outputsOnlyInB.isEmpty() && failedOnlyByA == 0 && failedOnlyByB == 0
                    && outputs.stream().allMatch(o -> o.agreeing() == o.compared());
        }

        /** The figures of one output, if both models give it. */
        public java.util.Optional<Output> output(String name) {
            return outputs.stream().filter(o -> o.name().equals(name)).findFirst();
        }

        /** The report as a table: rows, tolerance, per-output figures, one-model outputs and rows, worst rows, AGREE or DIFFER. */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            out.append("A: ").append(modelA).append('\n').append("B: ").append(modelB).append('\n');
            out.append("rows:       ").append(rows).append(" read, ").append(rowsCompared()).append(" scored by both, ")
                    .append(failedOnlyByA).append(" only by B, ").append(failedOnlyByB).append(" only by A, ")
                    .append(failedByBoth).append(" by neither\n");
            out.append("tolerance:  |b - a| <= ").append(format(absoluteTolerance)).append(" + ").append(format(relativeTolerance))
                    .append(" * |a|\n");
            int width = "output".length();
            int agreeWidth = "agree".length();
            for (Output o : outputs) {
                width = Math.max(width, o.name().length());
                agreeWidth = Math.max(agreeWidth, agreement(o).length());
            }
            out.append(pad("output", width)).append("  ").append(pad("agree", agreeWidth));
            for (String h : new String[] {"max abs", "p50 abs", "p99 abs", "max rel", "p50 rel", "p99 rel"}) {
                out.append("  ").append(pad(h, 9));
            }
            stripLine(out);
            for (Output o : outputs) {
                out.append(pad(o.name(), width)).append("  ").append(pad(agreement(o), agreeWidth));
                for (double d : new double[] {o.maxAbsolute(), o.p50Absolute(), o.p99Absolute(), o.maxRelative(), o.p50Relative(),
                        o.p99Relative()}) {
                    out.append("  ").append(pad(format(d), 9));
                }
                stripLine(out);
            }
            if (!outputsOnlyInA.isEmpty()) {
                out.append("only in A:  ").append(String.join(", ", outputsOnlyInA)).append('\n');
            }
            if (!outputsOnlyInB.isEmpty()) {
                out.append("only in B:  ").append(String.join(", ", outputsOnlyInB)).append('\n');
            }
            for (OneSidedRow r : oneSidedRows) {
                out.append("  ").append(name(r.row(), r.id())).append(": only ").append("A".equals(r.failedModel()) ? "B" : "A")
                        .append(" scored it; ").append(r.failedModel()).append(": ").append(r.failure()).append('\n');
            }
            if (!worstRows.isEmpty()) {
                out.append("worst rows:\n");
                for (WorstRow w : worstRows) {
                    out.append("  ").append(name(w.row(), w.id())).append(": ");
                    if (w.labelA() != null) {
                        out.append("label ").append(w.labelA()).append(w.labelsDiffer() ? " vs " + w.labelB() : "").append(", ");
                    }
                    out.append(w.output()).append(' ').append(value(w.a())).append(" vs ").append(value(w.b()))
                            .append(" (abs ").append(format(w.absoluteDifference())).append(")\n");
                }
            }
            out.append(agrees() ? "AGREE" : "DIFFER");
            return out.toString();
        }

        private static String agreement(Output o) {
            return o.agreeing() + "/" + o.compared() + " (" + String.format(Locale.ROOT, "%.4f%%", 100 * o.agreementRate()) + ")";
        }

        /** Ends a table line without its trailing padding. */
        private static void stripLine(StringBuilder out) {
            int end = out.length();
            while (end > 0 && out.charAt(end - 1) == ' ') {
                end--;
            }
            out.setLength(end);
            out.append('\n');
        }

        /** A model's answer: enough digits to see a difference of 1e-6 in a probability. */
        private static String value(double d) {
            return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.7g", d);
        }

        private static String name(long row, String id) {
            return id == null ? "row " + row : "id " + id + " (row " + row + ")";
        }

        private static String format(double d) {
            if (Double.isNaN(d)) {
                return "-";
            }
            return d == 0 ? "0" : String.format(Locale.ROOT, "%.3g", d);
        }

        private static String pad(String text, int width) {
            return text.length() >= width ? text : text + " ".repeat(width - text.length());
        }
    }
}

package dev.handoff;

import dev.handoff.internal.DecimalNumbers;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What {@link Scorer#verify(Verification)} found: how many cases ran, per output column the largest
 * absolute and relative error, and the first mismatching cases with expected and actual values.
 *
 * <pre>{@code
 * VerificationReport report = scorer.verify(Verification.fromCsv(input, expected));
 * log.info("{} cases, {} mismatching", report.casesRun(), report.mismatchingCases());
 * for (VerificationReport.Column c : report.columns()) {
 *     log.info("{}: max abs error {}", c.name(), c.maxAbsoluteError());
 * }
 * if (!report.passed()) log.warn("{}", report);   // a readable table and the first mismatches
 * }</pre>
 *
 * Immutable.
 */
public final class VerificationReport {
    /** How many mismatches {@link #firstMismatches()} keeps. */
    public static final int MISMATCHES_KEPT = 10;

    /**
     * The errors of one expected column over all cases.
     *
     * @param name {@code label}, {@code probability(<class>)}, {@code value} or an output name
     * @param maxAbsoluteError the largest {@code |actual - expected|}; {@code NaN} for a column compared as text
     * @param maxRelativeError the largest {@code |actual - expected| / |expected|} over non-zero expected
     *                         values; {@code NaN} for a column compared as text or with only zeros expected
     * @param mismatches the number of cases in which this column does not match
     */
    public record Column(String name, double maxAbsoluteError, double maxRelativeError, int mismatches) {
    }

    /**
     * One case that does not match.
     *
     * @param caseIndex the index of the case in the {@link Verification}
     * @param caseName its name, for example {@code row 3 (line 5)}
     * @param column the column that differs, or empty when the whole case does (a prediction where none was expected)
     * @param expected the expected value as text
     * @param actual what the model gave, as text
     * @param problem what is wrong, as a phrase
     */
    public record Mismatch(int caseIndex, String caseName, String column, String expected, String actual, String problem) {

        @Override
        public String toString() {
            return caseName + (column.isEmpty() ? "" : ", column " + column) + ": " + problem;
        }
    }

    private final String source;
    private final int casesRun;
    private final int mismatchingCases;
    private final int casesWithoutPrediction;
    private final double absoluteTolerance;
    private final double relativeTolerance;
    private final List<Column> columns;
    private final List<Mismatch> firstMismatches;

    private VerificationReport(Builder b) {
        this.source = b.verification.source();
        this.casesRun = b.casesRun;
        this.mismatchingCases = b.mismatchingCases;
        this.casesWithoutPrediction = b.casesWithoutPrediction;
        this.absoluteTolerance = b.verification.absoluteTolerance();
        this.relativeTolerance = b.verification.relativeTolerance();
        List<Column> cs = new ArrayList<>();
        b.columns.forEach((name, e) -> cs.add(new Column(name, e.maxAbs, e.maxRel, e.mismatches)));
        this.columns = List.copyOf(cs);
        this.firstMismatches = List.copyOf(b.mismatches);
    }

    /** Whether every case matched. */
    public boolean passed() {
        return mismatchingCases == 0;
    }

    /** Where the cases came from. */
    public String source() {
        return source;
    }

    public int casesRun() {
        return casesRun;
    }

    /** The number of cases with at least one mismatch. */
    public int mismatchingCases() {
        return mismatchingCases;
    }

    /** The number of cases the model gave no prediction for (expected so or not). */
    public int casesWithoutPrediction() {
        return casesWithoutPrediction;
    }

    public double absoluteTolerance() {
        return absoluteTolerance;
    }

    public double relativeTolerance() {
        return relativeTolerance;
    }

    /** Per expected column, in the order they were first met. */
    public List<Column> columns() {
        return columns;
    }

    /** The largest absolute error over every numeric column; 0 when none is numeric. */
    public double maxAbsoluteError() {
        double max = 0;
        for (Column c : columns) {
            if (!Double.isNaN(c.maxAbsoluteError())) {
                max = Math.max(max, c.maxAbsoluteError());
            }
        }
        return max;
    }

    /** The first {@value #MISMATCHES_KEPT} mismatches, in case order (a case may have several). */
    public List<Mismatch> firstMismatches() {
        return firstMismatches;
    }

    /** A one-line summary, for logs. */
    public String summary() {
        return (passed() ? "passed: " : "FAILED: ") + mismatchingCases + " of " + casesRun + " cases of " + source
                + " mismatch (tolerance " + format(absoluteTolerance) + " + " + format(relativeTolerance) + " * |expected|, max abs error "
                + format(maxAbsoluteError()) + ")" + (firstMismatches.isEmpty() ? "" : "; first: " + firstMismatches.get(0));
    }

    /** The report as a table: cases, tolerance, per-column errors, the first mismatches, and OK or MISMATCH. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append("cases:      ").append(casesRun).append(" from ").append(source).append(", ")
                .append(casesWithoutPrediction).append(" without a prediction\n");
        out.append("tolerance:  |actual - expected| <= ").append(format(absoluteTolerance)).append(" + ")
                .append(format(relativeTolerance)).append(" * |expected|\n");
        int width = "column".length();
        for (Column c : columns) {
            width = Math.max(width, c.name().length());
        }
        out.append(pad("column", width)).append("  ").append(pad("max abs error", 14)).append("  ")
                .append(pad("max rel error", 14)).append("  mismatches\n");
        for (Column c : columns) {
            out.append(pad(c.name(), width)).append("  ").append(pad(format(c.maxAbsoluteError()), 14)).append("  ")
                    .append(pad(format(c.maxRelativeError()), 14)).append("  ").append(c.mismatches()).append('\n');
        }
        out.append("mismatching cases: ").append(mismatchingCases).append(" of ").append(casesRun).append('\n');
        for (Mismatch m : firstMismatches) {
            out.append("  ").append(m).append('\n');
        }
        long listed = firstMismatches.stream().mapToInt(Mismatch::caseIndex).distinct().count();
        if (mismatchingCases > listed) {
            out.append("  ... and ").append(mismatchingCases - listed).append(" more mismatching cases\n");
        }
        out.append(passed() ? "OK" : "MISMATCH");
        return out.toString();
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

    /** Compares cases one by one; the one place where an answer is held against an expected one. */
    static final class Builder {
        private final Verification verification;
        private final double atol;
        private final double rtol;
        private final Map<String, ColumnErrors> columns = new LinkedHashMap<>();
        private final List<Mismatch> mismatches = new ArrayList<>();
        private int casesRun;
        private int mismatchingCases;
        private int casesWithoutPrediction;
        private boolean caseMismatches;

        private static final class ColumnErrors {
            double maxAbs = Double.NaN;
            double maxRel = Double.NaN;
            int mismatches;
        }

        Builder(Verification verification) {
            this.verification = verification;
            this.atol = verification.absoluteTolerance();
            this.rtol = verification.relativeTolerance();
        }

        void compare(int index, VerificationCase expected, Prediction p) {
            casesRun++;
            caseMismatches = false;
            for (String column : columnsOf(expected)) {
                columns.computeIfAbsent(column, k -> new ColumnErrors());
            }
            if (p.failed()) {
                casesWithoutPrediction++;
                if (!expected.noPrediction()) {
                    mismatch(index, expected, "", "a prediction", "no prediction", "a prediction was expected, but the row "
                            + "could not be scored: " + p.failure().orElseThrow().getMessage());
                }
            } else if (expected.noPrediction()) {
                mismatch(index, expected, "", "no prediction", p.toString(), "no prediction was expected, but the model gave " + p);
            } else {
                if (expected.label() != null) {
                    compareLabel(index, expected, p);
                }
                expected.probabilities().forEach((label, want) -> compareProbability(index, expected, p, label, want));
                if (expected.value() != null) {
                    if (!p.hasValue()) {
                        mismatch(index, expected, VerificationCsv.VALUE, text(expected.value()), "none",
                                "the model gives no value (it is not a regression)");
                    } else {
                        compareNumbers(index, expected, VerificationCsv.VALUE, new double[] {expected.value()}, new double[] {p.value()});
                    }
                }
                expected.outputs().forEach((name, want) -> compareOutput(index, expected, p, name, want));
            }
            if (caseMismatches) {
                mismatchingCases++;
            }
        }

        private static List<String> columnsOf(VerificationCase c) {
            List<String> names = new ArrayList<>();
            if (c.label() != null) {
                names.add(VerificationCsv.LABEL);
            }
            c.probabilities().keySet().forEach(label -> names.add("probability(" + label + ")"));
            if (c.value() != null) {
                names.add(VerificationCsv.VALUE);
            }
            names.addAll(c.outputs().keySet());
            return names;
        }

        private void compareLabel(int index, VerificationCase expected, Prediction p) {
            if (!p.hasLabel()) {
                mismatch(index, expected, VerificationCsv.LABEL, expected.label(), "none", "the model gives no label (it is not a classifier)");
            } else if (!expected.label().equals(p.label())) {
                mismatch(index, expected, VerificationCsv.LABEL, expected.label(), p.label(),
                        "expected " + expected.label() + ", got " + p.label());
            }
        }

        private void compareProbability(int index, VerificationCase expected, Prediction p, String label, double want) {
            String column = "probability(" + label + ")";
            if (!p.hasProbabilities()) {
                mismatch(index, expected, column, text(want), "none", "the model gives no probabilities");
                return;
            }
            Map<String, Double> all = p.probabilities();
            Double got = all.get(label);
            if (got == null) {
                mismatch(index, expected, column, text(want), "none", "the model has no class '" + label + "'; its classes are "
                        + all.keySet());
                return;
            }
            compareNumbers(index, expected, column, new double[] {want}, new double[] {got});
        }

        private void compareOutput(int index, VerificationCase expected, Prediction p, String name, Object want) {
            Object got;
            try {
                got = p.output(name);
            } catch (IllegalArgumentException unknown) {
                mismatch(index, expected, name, text(want), "none", unknown.getMessage());
                return;
            }
            double[] wantNumbers = numbers(want);
            double[] gotNumbers = numbers(got);
            if (wantNumbers != null && gotNumbers != null && wantNumbers.length == gotNumbers.length) {
                compareNumbers(index, expected, name, wantNumbers, gotNumbers);
            } else if (!text(want).equals(text(got))) {
                mismatch(index, expected, name, text(want), text(got), "expected " + text(want) + ", got " + text(got));
            }
        }

        private void compareNumbers(int index, VerificationCase expected, String column, double[] want, double[] got) {
            ColumnErrors errors = columns.get(column);
            boolean matches = true;
            double worstAbs = 0;
            for (int i = 0; i < want.length; i++) {
                double e = want[i];
                double a = got[i];
                double abs = absoluteError(e, a);
                errors.maxAbs = Double.isNaN(errors.maxAbs) ? abs : Math.max(errors.maxAbs, abs);
                if (abs == 0) {
                    continue;
                }
                double rel = relativeError(e, abs);
                if (!Double.isNaN(rel)) {
                    errors.maxRel = Double.isNaN(errors.maxRel) ? rel : Math.max(errors.maxRel, rel);
                }
                if (!matches(e, a, atol, rtol)) {
                    matches = false;
                    worstAbs = Math.max(worstAbs, abs);
                }
            }
            if (!matches) {
                String w = text(want);
                String g = text(got);
                mismatch(index, expected, column, w, g, "expected " + w + ", got " + g + " (abs error " + format(worstAbs) + ")");
            }
        }

        /**
         * {@code |actual - expected|}: 0 when they are the same (NaN and NaN, an infinity and itself, 0.0 and -0.0),
         * infinite for NaN against a number or opposite infinities. The one definition {@code verify}, {@code diff}
         * and shadow scoring share.
         */
        static double absoluteError(double expected, double actual) {
            if (Double.compare(expected, actual) == 0 || expected == actual) {
                return 0;
            }
            double abs = Math.abs(actual - expected);
            return Double.isNaN(abs) ? Double.POSITIVE_INFINITY : abs;
        }

        /** {@code absoluteError / |expected|}, or NaN when expected is 0 or infinite (no relative error is defined). */
        static double relativeError(double expected, double absoluteError) {
            return expected != 0 && !Double.isInfinite(expected) ? absoluteError / Math.abs(expected) : Double.NaN;
        }

        /** Whether {@code actual} passes for {@code expected}: {@code |actual - expected| <= atol + rtol * |expected|}. */
        static boolean matches(double expected, double actual, double atol, double rtol) {
            double abs = absoluteError(expected, actual);
            // an expected infinity is matched only by itself: atol + rtol * inf would pass any answer
            return abs == 0 || !Double.isInfinite(expected) && abs <= atol + rtol * Math.abs(expected);
        }

        private void mismatch(int index, VerificationCase c, String column, String expected, String actual, String problem) {
            if (!column.isEmpty()) {
                columns.computeIfAbsent(column, k -> new ColumnErrors()).mismatches++;
            }
            if (mismatches.size() < MISMATCHES_KEPT) {
                mismatches.add(new Mismatch(index, c.name(), column, expected, actual, problem));
            }
            caseMismatches = true;
        }

        VerificationReport build() {
            return new VerificationReport(this);
        }

        /** The numbers of a value: a number, a numeric array or list, or text of numbers separated by spaces; else null. */
        static double[] numbers(Object value) {
            if (value instanceof Number n) {
                return new double[] {n.doubleValue()};
            }
            if (value instanceof CharSequence text) {
                String[] parts = text.toString().strip().split("\\s+");
                double[] out = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    try {
                        out[i] = DecimalNumbers.parse(parts[i]);
                    } catch (NumberFormatException notANumber) {
                        return null;
                    }
                }
                return out;
            }
            if (value instanceof Collection<?> list) {
                return numbers(list.toArray());
            }
            if (value != null && value.getClass().isArray()) {
                double[] out = new double[Array.getLength(value)];
                for (int i = 0; i < out.length; i++) {
                    Object element = Array.get(value, i);
                    if (!(element instanceof Number n)) {
                        return null;
                    }
                    out[i] = n.doubleValue();
                }
                return out;
            }
            return null;
        }

        static String text(Object value) {
            if (value == null) {
                return "null";
            }
            if (value instanceof double[] a && a.length == 1) {
                return Double.toString(a[0]);
            }
            if (value instanceof Collection<?> list) {
                return text(list.toArray());
            }
            if (value.getClass().isArray()) {
                StringJoiner joiner = new StringJoiner(" ");
                for (int i = 0, n = Array.getLength(value); i < n; i++) {
                    joiner.add(String.valueOf(Array.get(value, i)));
                }
                return joiner.toString();
            }
            return value.toString();
        }
    }
}

package dev.handoff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The running figures of {@link ModelComparison}: each pair of outcomes of one record is added once, in
 * constant memory (per output two {@link DifferenceHistogram}s, the k worst rows in a heap, the first
 * one-sided rows). Model A is the reference: differences are {@code |b - a|}, relative to {@code |a|},
 * and a value passes under {@link VerificationReport.Builder#matches verify's rule} with A as expected.
 * Thread-safe by one lock, which shadow scoring takes on its background threads only.
 */
final class ComparisonTally {
    private static final Comparator<ModelComparison.WorstRow> BETTER_FIRST = Comparator
            .comparing((ModelComparison.WorstRow w) -> w.labelsDiffer())
            .thenComparingDouble(ModelComparison.WorstRow::absoluteDifference)
            .thenComparing(Comparator.comparingLong(ModelComparison.WorstRow::row).reversed());

    private final String modelA;
    private final String modelB;
    private final double atol;
    private final double rtol;
    private final int rowsKept;
    private final boolean labels;
    private final boolean values;
    private final List<String> classes;
    private final List<String> onlyInA = new ArrayList<>();
    private final List<String> onlyInB = new ArrayList<>();
    private final Map<String, OutputTally> outputs = new LinkedHashMap<>();
    private final PriorityQueue<ModelComparison.WorstRow> worst;
    private final List<ModelComparison.OneSidedRow> oneSided = new ArrayList<>();
    private long rows;
    private long failedOnlyByA;
    private long failedOnlyByB;
    private long failedByBoth;

    private static final class OutputTally {
        final DifferenceHistogram absolute = new DifferenceHistogram();
        final DifferenceHistogram relative = new DifferenceHistogram();
        long compared;
        long agreeing;
    }

    ComparisonTally(Scorer a, Scorer b, double atol, double rtol, int rowsKept) {
        this.modelA = a.info().source();
        this.modelB = b.info().source();
        this.atol = atol;
        this.rtol = rtol;
        this.rowsKept = rowsKept;
        this.worst = new PriorityQueue<>(Math.max(1, rowsKept + 1), BETTER_FIRST);
        boolean labelsA = a.info().task() == ModelInfo.ModelTask.CLASSIFICATION;
        boolean labelsB = b.info().task() == ModelInfo.ModelTask.CLASSIFICATION;
        boolean valuesA = a.info().task() == ModelInfo.ModelTask.REGRESSION;
        boolean valuesB = b.info().task() == ModelInfo.ModelTask.REGRESSION;
        this.labels = sides(VerificationCsv.LABEL, labelsA, labelsB);
        List<String> common = new ArrayList<>();
        Set<String> classesB = new java.util.LinkedHashSet<>(labelsB ? b.classes() : List.of());
        for (String c : labelsA ? a.classes() : List.<String>of()) {
            if (sides(probability(c), true, classesB.remove(c))) {
                common.add(c);
            }
        }
        classesB.forEach(c -> onlyInB.add(probability(c)));
        this.classes = List.copyOf(common);
        this.values = sides(VerificationCsv.VALUE, valuesA, valuesB);
    }

    /** Registers an output as compared (when both models give it) or as one model's only; says whether it is compared. */
    private boolean sides(String output, boolean inA, boolean inB) {
        if (inA && inB) {
            outputs.put(output, new OutputTally());
            return true;
        }
        if (inA) {
            onlyInA.add(output);
        } else if (inB) {
            onlyInB.add(output);
        }
        return false;
    }

    static String probability(String label) {
        return "probability(" + label + ")";
    }

    /**
     * Adds the outcomes of record {@code row}; a {@code null} outcome failed with {@code failureA}/{@code failureB}
     * (a model call that failed as a whole). {@code each}, when not null, is told this row's differences.
     */
    synchronized void add(long row, String id, Prediction a, String failureA, Prediction b, String failureB,
                          Consumer<ModelComparison.RowComparison> each) {
        rows++;
        String whyA = a == null ? failureA : a.failure().map(Throwable::getMessage).orElse(null);
        String whyB = b == null ? failureB : b.failure().map(Throwable::getMessage).orElse(null);
        if (whyA != null || whyB != null) {
            if (whyA != null && whyB != null) {
                failedByBoth++;
            } else if (whyA != null) {
                failedOnlyByA++;
                keepOneSided(new ModelComparison.OneSidedRow(row, id, "A", whyA));
            } else {
                failedOnlyByB++;
                keepOneSided(new ModelComparison.OneSidedRow(row, id, "B", whyB));
            }
            if (each != null) {
                each.accept(new ModelComparison.RowComparison(row, id, a, b, Map.of(), false));
            }
            return;
        }
        Map<String, Double> differences = each == null ? null : new LinkedHashMap<>();
        boolean rowAgrees = true;
        String labelA = null;
        String labelB = null;
        boolean labelsDiffer = false;
        if (labels) {
            labelA = a.label();
            labelB = b.label();
            labelsDiffer = !labelA.equals(labelB);
            OutputTally t = outputs.get(VerificationCsv.LABEL);
            t.compared++;
            if (!labelsDiffer) {
                t.agreeing++;
            }
            rowAgrees = !labelsDiffer;
        }
        double worstAbs = 0;
        String worstOutput = null;
        double worstA = Double.NaN;
        double worstB = Double.NaN;
        if (!classes.isEmpty() && a.hasProbabilities() && b.hasProbabilities()) {
            for (String c : classes) {
                double va = a.probability(c);
                double vb = b.probability(c);
                String name = probability(c);
                double abs = number(name, va, vb, differences);
                rowAgrees &= VerificationReport.Builder.matches(va, vb, atol, rtol);
                if (abs > worstAbs || worstOutput == null) {
                    worstAbs = abs;
                    worstOutput = name;
                    worstA = va;
                    worstB = vb;
                }
            }
        }
        if (values) {
            double va = a.value();
            double vb = b.value();
            double abs = number(VerificationCsv.VALUE, va, vb, differences);
            rowAgrees &= VerificationReport.Builder.matches(va, vb, atol, rtol);
            if (abs > worstAbs || worstOutput == null) {
                worstAbs = abs;
                worstOutput = VerificationCsv.VALUE;
                worstA = va;
                worstB = vb;
            }
        }
        if (rowsKept > 0 && (labelsDiffer || worstAbs > 0)) {
            worst.add(new ModelComparison.WorstRow(row, id, worstOutput == null ? VerificationCsv.LABEL : worstOutput, worstA, worstB,
                    worstAbs, labelA, labelB));
            if (worst.size() > rowsKept) {
                worst.poll();
            }
        }
        if (each != null) {
            each.accept(new ModelComparison.RowComparison(row, id, a, b, differences, rowAgrees));
        }
    }

    private double number(String name, double va, double vb, Map<String, Double> differences) {
        OutputTally t = outputs.get(name);
        double abs = VerificationReport.Builder.absoluteError(va, vb);
        t.compared++;
        if (VerificationReport.Builder.matches(va, vb, atol, rtol)) {
            t.agreeing++;
        }
        t.absolute.record(abs);
        t.relative.record(abs == 0 ? 0 : VerificationReport.Builder.relativeError(va, abs));
        if (differences != null) {
            differences.put(name, abs);
        }
        return abs;
    }

    private void keepOneSided(ModelComparison.OneSidedRow r) {
        if (oneSided.size() < rowsKept) {
            oneSided.add(r);
        }
    }

    synchronized ModelComparison.Report report() {
        List<ModelComparison.Output> out = new ArrayList<>();
        outputs.forEach((name, t) -> out.add(new ModelComparison.Output(name, t.compared, t.agreeing,
                t.absolute.max(), t.absolute.quantile(0.50), t.absolute.quantile(0.99),
                t.relative.max(), t.relative.quantile(0.50), t.relative.quantile(0.99))));
        List<ModelComparison.WorstRow> worstRows = new ArrayList<>(worst);
        worstRows.sort(BETTER_FIRST.reversed());
        return new ModelComparison.Report(modelA, modelB, atol, rtol, rows, failedOnlyByA, failedOnlyByB, failedByBoth, out,
                onlyInA, onlyInB, worstRows, oneSided);
    }
}

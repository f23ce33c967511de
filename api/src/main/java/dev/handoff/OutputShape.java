package dev.handoff;

import dev.handoff.spi.ScoredRows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every prediction of one scorer looks like (task, classes, output names), computed once at
 * load so that shaping a row does no lookups beyond one hash of a class label.
 */
final class OutputShape {
    final ModelTask task;
    final List<String> classes;
    final Map<String, Integer> classIndex;
    final List<String> outputNames;

    OutputShape(ModelTask task, List<String> classes, List<OutputField> outputs) {
        this.task = task;
        this.classes = List.copyOf(classes);
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < this.classes.size(); k++) {
            index.put(this.classes.get(k), k);
        }
        this.classIndex = Map.copyOf(index);
        this.outputNames = outputs.stream().map(OutputField::name).toList();
    }

    /** Checks what a runtime returned against this shape and fills in argmax labels where only probabilities came. */
    Predictions shape(ScoredRows rows) {
        int n = rows.rowCount();
        double[] probabilities = rows.probabilities();
        int k = classes.size();
        if (probabilities != null && probabilities.length != n * k) {
            throw new IllegalStateException("runtime returned " + probabilities.length + " probabilities for " + n
                    + " rows and " + k + " classes");
        }
        String[] labels = rows.labels();
        if (task == ModelTask.CLASSIFICATION && labels == null && probabilities != null) {
            labels = argmaxLabels(probabilities, n, k);
        }
        return new Predictions(this, rows, labels);
    }

    private String[] argmaxLabels(double[] probabilities, int n, int k) {
        String[] labels = new String[n];
        for (int r = 0; r < n; r++) {
            int best = -1;
            double bestP = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double p = probabilities[r * k + c];
                if (p > bestP) { // first maximum wins, as numpy.argmax does; NaN never wins
                    bestP = p;
                    best = c;
                }
            }
            labels[r] = best < 0 ? null : classes.get(best);
        }
        return labels;
    }
}

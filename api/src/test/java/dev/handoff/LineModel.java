package dev.handoff;

import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.InputField.ValueRange;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.ScoringEngine;
import dev.handoff.spi.OutputColumns;

import java.util.List;
import java.util.Map;

/**
 * A regression written for tests: y = intercept + 2x, with a categorical input {@code plan} (basic, plus)
 * that it ignores. It gives no prediction for a missing x, rejects x = 13 as the runtime would a value it
 * refuses, and declares x valid in [0, 10].
 */
final class LineModel implements ScoringEngine {
    private final double intercept;

    LineModel(double intercept) {
        this.intercept = intercept;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("<line>", ModelFormat.PMML, ModelTask.REGRESSION, "test", "", "ab" + intercept, Map.of());
    }

    @Override
    public List<InputField> inputs() {
        return List.of(InputField.scalar("x", ValueType.DOUBLE, MissingValueTreatment.MODEL_HANDLES),
                new InputField("plan", ValueType.STRING, List.of(), List.of("basic", "plus"), MissingValueTreatment.MODEL_HANDLES));
    }

    @Override
    public List<OutputField> outputs() {
        return List.of(new OutputField("y", ValueType.DOUBLE, List.of()));
    }

    @Override
    public List<String> classes() {
        return List.of();
    }

    @Override
    public Map<String, ValueRange> declaredRanges() {
        return Map.of("x", ValueRange.builder().interval(0, true, 10, true).build());
    }

    @Override
    public void score(InputColumns columns, OutputColumns rows) {
        double[] x = columns.doubles(0);
        double[] y = new double[x.length];
        for (int r = 0; r < x.length; r++) {
            y[r] = intercept + 2 * x[r];
            if (x[r] == 13) {
                rows.reject(new InvalidInputException("x", 13.0, r, "the model refuses 13"));
            }
        }
        rows.values(y).output("y", y);
    }

    @Override
    public void close() {
    }
}

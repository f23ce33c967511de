package dev.handoff.testing;

import dev.handoff.Batch;
import dev.handoff.InvalidInputException;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.OutputField;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Scores through the three entry points and reads every result back, reporting what escaped the
 * contract: a call may return predictions (each row a prediction or its {@link InvalidInputException})
 * or throw {@link InvalidInputException}; everything else, including an {@link Error}, is returned to
 * the caller to judge (a fuzzed model may also throw {@link dev.handoff.ScoringException}).
 *
 * <pre>{@code
 * Throwable escaped = ScorerContract.scoreOne(scorer, record);   // null: within the contract
 * }</pre>
 */
public final class ScorerContract {
    private ScorerContract() {
    }

    /** {@code score(Map)} and a full read of the prediction; null when within the contract. */
    public static Throwable scoreOne(Scorer scorer, Map<String, ?> record) {
        try {
            read(scorer, scorer.score(record));
            return null;
        } catch (InvalidInputException e) {
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** {@code scoreAll} and a full read of the predictions; null when within the contract. */
    public static Throwable scoreAll(Scorer scorer, List<? extends Map<String, ?>> records) {
        return scoreMany(scorer, () -> scorer.scoreAll(records), records.size(), "scoreAll");
    }

    /** {@code score(Batch)} and a full read of the predictions; null when within the contract. */
    public static Throwable scoreBatch(Scorer scorer, Batch batch) {
        return scoreMany(scorer, () -> scorer.score(batch), batch.rowCount(), "score(Batch)");
    }

    /**
     * A call that returns one outcome per row. {@code scoreAll} throws InvalidInputException for no
     * record (each row holds its own); {@code score(Batch)} throws it for an unusable column.
     */
    private static Throwable scoreMany(Scorer scorer, Supplier<Predictions> call, int rows, String name) {
        try {
            Predictions ps = call.get();
            if (ps.size() != rows) {
                return new AssertionError(name + " gave " + ps.size() + " outcomes for " + rows + " rows");
            }
            read(scorer, ps);
            return null;
        } catch (InvalidInputException e) {
            return name.equals("scoreAll") ? new AssertionError("scoreAll threw instead of failing the row", e) : null;
        } catch (Throwable t) {
            return t;
        }
    }

    private static void read(Scorer scorer, Prediction p) {
        if (p.failed()) {
            p.failure().orElseThrow();
            return;
        }
        if (p.hasLabel()) {
            p.label();
        }
        if (p.hasProbabilities()) {
            p.probabilities();
        }
        if (p.hasValue()) {
            p.value();
        }
        for (OutputField o : scorer.outputs()) {
            p.output(o.name());
        }
        p.toString();
    }

    private static void read(Scorer scorer, Predictions ps) {
        for (Prediction p : ps) {
            read(scorer, p);
        }
        ModelTask task = scorer.info().task();
        if (task == ModelTask.CLASSIFICATION) {
            ps.labels();
            if (ps.hasProbabilities()) {
                for (String c : scorer.classes()) {
                    ps.probabilities(c);
                }
            }
        } else if (task == ModelTask.REGRESSION) {
            ps.values();
        }
        for (OutputField o : scorer.outputs()) {
            ps.outputs(o.name());
        }
        ps.failures();
    }
}

package dev.handoff.pmml.internal;

import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.ModelInfo;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.OutputField;
import dev.handoff.InputField.ValueRange;
import dev.handoff.ScoringException;
import dev.handoff.ValueType;
import dev.handoff.Verification;
import dev.handoff.internal.LogText;
import dev.handoff.spi.InputColumns;
import dev.handoff.spi.ScoringEngine;
import dev.handoff.spi.OutputColumns;
import org.jpmml.evaluator.EvaluationException;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import org.jpmml.evaluator.FieldValue;
import org.jpmml.evaluator.HasProbability;
import org.jpmml.model.PMMLException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A PMML model scored by a JPMML-Evaluator {@link Evaluator}, row by row: Handoff's bound columns
 * become JPMML field values, JPMML's results become plain Java arrays and values.
 *
 * <p>The evaluator is immutable and thread-safe, so concurrent {@link #score} calls share it without
 * locking. PMML holds no native memory: {@link #close()} only drops the reference so that the class
 * model can be collected while a caller still holds the scorer.
 */
final class PmmlModel implements ScoringEngine {
    /** A client's value in a message, as the binder bounds it. */
    private static final int MAX_VALUE_CHARS = 100;
    /** JPMML's own words about a row (they may quote the value). */
    private static final int MAX_RUNTIME_MESSAGE_CHARS = 500;
    private final ModelInfo info;
    private final PmmlSignature signature;
    private final String[] outputNames;
    private final ValueType[] inputTypes;
    private volatile Evaluator evaluator;
    private final Optional<Verification> embeddedVerification;

    PmmlModel(ModelInfo info, PmmlSignature signature, Evaluator evaluator, Optional<Verification> embeddedVerification) {
        this.info = info;
        this.signature = signature;
        this.outputNames = signature.outputs.stream().map(OutputField::name).toArray(String[]::new);
        this.inputTypes = signature.inputs.stream().map(InputField::type).toArray(ValueType[]::new);
        this.evaluator = evaluator;
        this.embeddedVerification = embeddedVerification;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<InputField> inputs() {
        return signature.inputs;
    }

    @Override
    public List<OutputField> outputs() {
        return signature.outputs;
    }

    @Override
    public List<String> classes() {
        return signature.classes;
    }

    @Override
    public Map<String, ValueRange> declaredRanges() {
        return signature.declaredRanges;
    }

    @Override
    public Optional<Verification> embeddedVerification() {
        return embeddedVerification;
    }

    @Override
    public void score(InputColumns columns, OutputColumns rows) {
        Evaluator current = evaluator;
        if (current == null) {
            throw new IllegalStateException("the PMML model " + info.source() + " is closed");
        }
        int n = columns.rowCount();
        ModelTask task = signature.task;
        int k = signature.classes.size();
        double[] probabilities = task == ModelTask.CLASSIFICATION ? new double[n * k] : null;
        boolean anyProbabilities = false;
        double[] values = task == ModelTask.REGRESSION ? new double[n] : null;
        Object[][] outputValues = new Object[outputNames.length][n];

        for (int r = 0; r < n; r++) {
            if (probabilities != null) {
                Arrays.fill(probabilities, r * k, r * k + k, Double.NaN);
            }
            if (values != null) {
                values[r] = Double.NaN;
            }
            Map<String, FieldValue> arguments;
            try {
                arguments = prepare(columns, r);
            } catch (InvalidInputException e) {
                rows.reject(e);
                continue;
            }
            Map<String, ?> results;
            try {
                results = current.evaluate(arguments);
            } catch (EvaluationException e) {
                // JPMML reports an undefined intermediate result (a tree with missingValueStrategy
                // nullPrediction, a segment without output) as a missing field: to the caller, no prediction
                rows.noPrediction(r, "JPMML: " + LogText.safe(e.getMessage(), MAX_RUNTIME_MESSAGE_CHARS));
                continue;
            } catch (PMMLException e) {
                throw modelFailure(r, e);
            } catch (RuntimeException e) {
                throw new ScoringException("the PMML model " + info.source() + " failed on row " + r + " (" + e + ")", e);
            } catch (StackOverflowError e) {
                // PmmlExpressionCheck bounds the recursion it can see at load; a thread with a very small stack,
                // or references it does not follow, can still overflow
                throw new ScoringException("the PMML model " + info.source() + " recursed too deeply evaluating row " + r
                        + " for this thread's stack; lower PmmlOptions.maxExpressionDepth or raise the stack size (-Xss)", e);
            }
            Object target = task == ModelTask.OTHER ? null : results.get(signature.targetName);
            Object decodedTarget = EvaluatorUtil.decode(target);
            if (task != ModelTask.OTHER && decodedTarget == null) {
                rows.noPrediction(r, "the target '" + signature.targetName + "' has no value");
            } else if (task == ModelTask.CLASSIFICATION) {
                anyProbabilities |= fillProbabilities(target, probabilities, r * k);
            } else if (task == ModelTask.REGRESSION) {
                if (!(decodedTarget instanceof Number number)) {
                    throw new ScoringException("the PMML regression " + info.source() + " gave the non-numeric value '"
                            + decodedTarget + "' (" + decodedTarget.getClass().getSimpleName() + ") for row " + r);
                }
                values[r] = number.doubleValue();
            }
            for (int o = 0; o < outputNames.length; o++) {
                String name = outputNames[o];
                outputValues[o][r] = task != ModelTask.OTHER && name.equals(signature.targetName)
                        ? decodedTarget : EvaluatorUtil.decode(results.get(name));
            }
        }

        for (int o = 0; o < outputNames.length; o++) {
            rows.output(outputNames[o], outputValues[o]);
        }
        if (task == ModelTask.CLASSIFICATION && signature.targetName != null) {
            rows.labelOutput(signature.targetName);
        }
        // a model that declares probability outputs gives them even for a call whose rows all got no prediction,
        // so that whether a call has probabilities does not depend on its rows
        if (probabilities != null && (anyProbabilities || signature.declaresProbabilities)) {
            rows.probabilities(probabilities);
        }
        if (values != null) {
            rows.values(values);
        }
    }

    /**
     * The rejection JPMML gives row {@code row} while it prepares the inputs, or null when it accepts them: the
     * compiled tree engine's words for a row with an invalid value.
     */
    InvalidInputException rejection(InputColumns columns, int row) {
        try {
            prepare(columns, row);
            return null;
        } catch (InvalidInputException e) {
            return e;
        }
    }

    /** JPMML applies the MiningField's missing and invalid value treatments here, so a rejection names its field. */
    private Map<String, FieldValue> prepare(InputColumns columns, int row) {
        List<org.jpmml.evaluator.InputField> fields = signature.jpmmlInputs;
        Map<String, FieldValue> arguments = new HashMap<>(fields.size() * 2);
        for (int f = 0; f < fields.size(); f++) {
            org.jpmml.evaluator.InputField field = fields.get(f);
            Object raw = rawValue(columns, f, row);
            try {
                arguments.put(field.getName(), field.prepare(raw));
            } catch (EvaluationException e) {
                // the client's value and JPMML's words about it (which quote it) as the binder writes values: escaped, bounded
                throw new InvalidInputException(field.getName(), raw, row, "the model rejects the value "
                        + (raw instanceof String s ? "'" + LogText.safe(s, MAX_VALUE_CHARS) + "'" : String.valueOf(raw))
                        + ": " + LogText.safe(e.getMessage(), MAX_RUNTIME_MESSAGE_CHARS));
            } catch (PMMLException e) {
                throw modelFailure(row, e);
            } catch (RuntimeException e) {
                // the record's value is already a number or a string of the field's type: what fails to parse
                // is the model's own replacement value
                throw new ScoringException("the PMML model " + info.source() + " cannot prepare field '" + field.getName()
                        + "' for row " + row + " (" + e + ")", e);
            }
        }
        return arguments;
    }

    private Object rawValue(InputColumns columns, int f, int row) {
        ValueType type = inputTypes[f];
        if (type == ValueType.STRING) {
            return columns.strings(f)[row];
        }
        if (type == ValueType.INTEGER) {
            if (columns.isMissing(f, row)) {
                return null;
            }
            // exact: JPMML's integer type is java.lang.Integer; larger values go as Long and JPMML range-checks them
            long l = columns.longs(f)[row];
            return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) (int) l : (Object) l;
        }
        double d = columns.doubleAt(f, row);
        if (Double.isNaN(d)) {
            return null;
        }
        return type == ValueType.BOOLEAN ? (Object) (d != 0) : (Object) d;
    }

    private ScoringException modelFailure(int row, PMMLException e) {
        return new ScoringException("the PMML model " + info.source() + " cannot be evaluated for row " + row
                + ": it is invalid or uses an unsupported feature (" + e.getMessage() + ")", e);
    }

    /** Fills one row of class-ordered probabilities; false when the model gives none for this row. */
    private boolean fillProbabilities(Object target, double[] probabilities, int offset) {
        int k = signature.classes.size();
        if (!(target instanceof HasProbability distribution)) {
            return false;
        }
        for (int c = 0; c < k; c++) {
            Double p = distribution.getProbability(signature.classValues.get(c));
            // a class absent from a node's score distribution has probability 0
            probabilities[offset + c] = p == null ? 0.0 : p;
        }
        return true;
    }

    @Override
    public void close() {
        evaluator = null;
    }

    @Override
    public String toString() {
        return "PmmlModel{" + info.task() + " " + info.source() + (evaluator == null ? ", closed" : "") + "}";
    }
}

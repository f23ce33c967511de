package dev.handoff.pmml.internal;


import dev.handoff.InputField;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.OutputField;
import dev.handoff.InputField.ValueRange;
import dev.handoff.ValueType;
import dev.handoff.internal.ClassLabels;
import org.dmg.pmml.DataDictionary;
import org.dmg.pmml.DataField;
import org.dmg.pmml.DataType;
import org.dmg.pmml.Interval;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.MissingValueTreatmentMethod;
import org.dmg.pmml.OpType;
import org.dmg.pmml.PMML;
import org.dmg.pmml.ResultFeature;
import org.dmg.pmml.Value;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.TargetField;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a PMML model reads and gives, in Handoff's terms: inputs, outputs, classes and task, each
 * input paired with the JPMML field that prepares its values.
 *
 * <p>Inputs follow the DataDictionary order, not the MiningSchema order: JPMML-SkLearn sorts the
 * MiningSchema by feature importance, while the DataDictionary keeps the training table's column
 * order, which is also the column order of the same model exported to ONNX.
 */
final class PmmlSignature {
    final ModelTask task;
    final List<InputField> inputs;
    /** JPMML's input fields, index for index with {@link #inputs}. */
    final List<org.jpmml.evaluator.InputField> jpmmlInputs;
    final List<OutputField> outputs;
    final List<String> classes;
    /** The target's categories as JPMML keys its probabilities, index for index with {@link #classes}. */
    final List<Object> classValues;
    /** The single target's name in JPMML's results (may be {@code null} for a synthetic target); unused for OTHER. */
    final String targetName;
    /**
     * Whether the model declares a {@code probability} OutputField: JPMML then gives a probability
     * distribution for every row it scores, so the scorer gives probabilities whatever the rows.
     */
    final boolean declaresProbabilities;
    /** The DataDictionary's Intervals and valid Values of the numeric inputs, by input name. */
    final Map<String, ValueRange> declaredRanges;

    private PmmlSignature(ModelTask task, List<InputField> inputs, List<org.jpmml.evaluator.InputField> jpmmlInputs,
                          List<OutputField> outputs, List<String> classes, List<Object> classValues, String targetName,
                          boolean declaresProbabilities, Map<String, ValueRange> declaredRanges) {
        this.task = task;
        this.inputs = List.copyOf(inputs);
        this.jpmmlInputs = List.copyOf(jpmmlInputs);
        this.outputs = List.copyOf(outputs);
        this.classes = List.copyOf(classes);
        this.classValues = List.copyOf(classValues);
        this.targetName = targetName;
        this.declaresProbabilities = declaresProbabilities;
        this.declaredRanges = Map.copyOf(declaredRanges);
    }

    static PmmlSignature of(Evaluator evaluator, PMML pmml) {
        List<org.jpmml.evaluator.InputField> jpmmlInputs = inDataDictionaryOrder(evaluator.getInputFields(), pmml);
        List<InputField> inputs = new ArrayList<>();
        for (org.jpmml.evaluator.InputField field : jpmmlInputs) {
            inputs.add(describeInput(field));
        }

        List<TargetField> targets = evaluator.getTargetFields();
        TargetField target = targets.size() == 1 ? targets.get(0) : null;
        MiningFunction function = evaluator.getMiningFunction();
        List<Object> categories = target == null || target.getCategories() == null ? List.of() : target.getCategories();
        ModelTask task;
        if (target != null && function == MiningFunction.CLASSIFICATION && !categories.isEmpty()) {
            task = ModelTask.CLASSIFICATION;
        } else if (target != null && function == MiningFunction.REGRESSION) {
            task = ModelTask.REGRESSION;
        } else {
            task = ModelTask.OTHER;
        }

        List<String> classes = new ArrayList<>();
        List<Object> classValues = new ArrayList<>();
        if (task == ModelTask.CLASSIFICATION) {
            Set<String> seen = new HashSet<>();
            for (Object category : categories) {
                String label = ClassLabels.canonical(category);
                if (!seen.add(label)) {
                    throw new IllegalArgumentException("the target '" + target.getName() + "' declares class " + label + " twice");
                }
                classes.add(label);
                classValues.add(category);
            }
        }

        Map<String, OutputField> outputs = new LinkedHashMap<>();
        for (TargetField t : targets) {
            if (t.getName() != null) {
                ValueType type = t == target && task == ModelTask.CLASSIFICATION ? ValueType.STRING
                        : t == target && task == ModelTask.REGRESSION ? ValueType.DOUBLE
                        : valueType(t.getDataType());
                outputs.put(t.getName(), new OutputField(t.getName(), type, List.of()));
            }
        }
        boolean declaresProbabilities = false;
        for (org.jpmml.evaluator.OutputField o : evaluator.getOutputFields()) {
            outputs.putIfAbsent(o.getName(), new OutputField(o.getName(), valueType(o.getDataType()), List.of()));
            declaresProbabilities |= o.getField().getResultFeature() == ResultFeature.PROBABILITY;
        }
        return new PmmlSignature(task, inputs, jpmmlInputs, new ArrayList<>(outputs.values()), classes, classValues,
                target == null ? null : target.getName(), task == ModelTask.CLASSIFICATION && declaresProbabilities,
                declaredRanges(inputs, pmml));
    }

    /** The Intervals and valid Values the DataDictionary declares for numeric inputs. */
    private static Map<String, ValueRange> declaredRanges(List<InputField> inputs, PMML pmml) {
        Map<String, ValueRange> ranges = new HashMap<>();
        DataDictionary dictionary = pmml.getDataDictionary();
        if (dictionary == null || !dictionary.hasDataFields()) {
            return ranges;
        }
        Map<String, DataField> byName = new HashMap<>();
        dictionary.getDataFields().forEach(f -> byName.putIfAbsent(f.getName(), f));
        for (InputField input : inputs) {
            DataField field = byName.get(input.name());
            if (input.type() == ValueType.STRING || field == null) {
                continue;
            }
            ValueRange.Builder range = ValueRange.builder();
            boolean any = false;
            if (field.hasIntervals()) {
                for (Interval interval : field.getIntervals()) {
                    Interval.Closure closure = interval.getClosure();
                    String c = closure == null ? "closedClosed" : closure.value();
                    double low = interval.getLeftMargin() == null ? Double.NEGATIVE_INFINITY : interval.getLeftMargin().doubleValue();
                    double high = interval.getRightMargin() == null ? Double.POSITIVE_INFINITY : interval.getRightMargin().doubleValue();
                    range.interval(low, c.startsWith("closed"), high, c.endsWith("Closed"));
                    any = true;
                }
            }
            if (field.hasValues()) {
                for (Value value : field.getValues()) {
                    if (value.getProperty() != null && value.getProperty() != Value.Property.VALID) {
                        continue; // invalid and missing value markers are not the valid range
                    }
                    try {
                        range.value(Double.parseDouble(String.valueOf(value.getValue()).strip()));
                        any = true;
                    } catch (NumberFormatException notANumber) {
                        // a numeric field whose listed value is not a number: JPMML rejects such a value itself
                    }
                }
            }
            if (any) {
                ranges.put(input.name(), range.build());
            }
        }
        return ranges;
    }

    private static List<org.jpmml.evaluator.InputField> inDataDictionaryOrder(
            List<org.jpmml.evaluator.InputField> fields, PMML pmml) {
        Map<String, Integer> position = new HashMap<>();
        DataDictionary dictionary = pmml.getDataDictionary();
        if (dictionary != null && dictionary.hasDataFields()) {
            List<DataField> dataFields = dictionary.getDataFields();
            for (int i = 0; i < dataFields.size(); i++) {
                position.putIfAbsent(dataFields.get(i).getName(), i);
            }
        }
        List<org.jpmml.evaluator.InputField> ordered = new ArrayList<>(fields);
        // stable: fields the dictionary does not list keep their MiningSchema order, after the others
        ordered.sort(Comparator.comparingInt(f -> position.getOrDefault(f.getName(), Integer.MAX_VALUE)));
        return ordered;
    }

    private static InputField describeInput(org.jpmml.evaluator.InputField field) {
        ValueType type = valueType(field.getDataType());
        List<String> categories = new ArrayList<>();
        OpType opType = field.getOpType();
        if (opType == OpType.CATEGORICAL || opType == OpType.ORDINAL) {
            List<?> domain = field.getDiscreteDomain(); // null when the DataField lists no <Value>s
            if (domain != null) {
                for (Object value : domain) {
                    categories.add(ClassLabels.canonical(value));
                }
            }
        }
        return new InputField(field.getName(), type, List.of(), categories, missingValues(field.getMiningField()));
    }

    /**
     * How the model treats a missing value of a field: {@code returnInvalid} refuses it, a
     * {@code missingValueReplacement} replaces it, and otherwise the model itself handles it (tree
     * {@code missingValueStrategy}, {@code defaultChild}, surrogate predicates, or no prediction).
     */
    static MissingValueTreatment missingValues(MiningField mining) {
        if (mining == null) {
            return MissingValueTreatment.MODEL_HANDLES;
        }
        if (mining.getMissingValueTreatment() == MissingValueTreatmentMethod.RETURN_INVALID) {
            return MissingValueTreatment.NOT_ACCEPTED;
        }
        return mining.getMissingValueReplacement() != null ? MissingValueTreatment.MODEL_REPLACES
                : MissingValueTreatment.MODEL_HANDLES;
    }

    /** Dates and times come as ISO strings, which JPMML parses; every PMML type has a Handoff type. */
    static ValueType valueType(DataType type) {
        if (type == null) {
            return ValueType.STRING;
        }
        return switch (type) {
            case DOUBLE -> ValueType.DOUBLE;
            case FLOAT -> ValueType.FLOAT;
            case INTEGER -> ValueType.INTEGER;
            case BOOLEAN -> ValueType.BOOLEAN;
            default -> ValueType.STRING;
        };
    }
}

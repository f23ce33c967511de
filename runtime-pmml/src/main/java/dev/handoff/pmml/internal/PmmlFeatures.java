package dev.handoff.pmml.internal;

import dev.handoff.InputField;
import dev.handoff.spi.InputColumns;
import org.dmg.pmml.DataDictionary;
import org.dmg.pmml.DataField;
import org.dmg.pmml.DataType;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.Expression;
import org.dmg.pmml.FieldRef;
import org.dmg.pmml.InvalidValueTreatmentMethod;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.MissingValueTreatmentMethod;
import org.dmg.pmml.OutlierTreatmentMethod;
import org.dmg.pmml.Value;
import org.jpmml.evaluator.TypeUtil;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree engine's feature row of a PMML model: each field a predicate reads, traced back through its
 * {@code DerivedField}s to one input column, with JPMML's conversions on the way.
 *
 * <pre>{@code
 * PmmlFeatures features = new PmmlFeatures(signature, derivedFields, topMiningFields);
 * int f = features.feature("double(age)");     // the feature index of a field
 * DataType type = features.type(f);            // the type its thresholds are parsed in
 * features.fill(columns, row, x, 0);           // one row of features, NaN = missing
 * }</pre>
 *
 * <p>What JPMML does and this class copies: an input value is converted to its {@code DataField}'s type
 * ({@code float} narrows a double: {@code Double.floatValue()}), a missing value takes the {@code MiningField}'s
 * {@code missingValueReplacement} parsed in that type, and a {@code DerivedField} that is a bare {@code FieldRef}
 * converts the referenced value to its own type (the {@code double(float(x))} casts the converters write). A
 * missing value stays missing (NaN) through every cast. Fields with declared valid values or intervals, other
 * missing-value markers than NaN, or other expressions are not covered, with the reason.
 */
final class PmmlFeatures {
    private static final byte TO_FLOAT = 1;
    private static final byte TO_DOUBLE = 2;

    private final Map<String, Integer> inputIndex = new HashMap<>();
    private final Map<String, DataField> dataFields = new HashMap<>();
    private final Map<String, DerivedField> derivedFields;
    private final Map<String, MiningField> miningFields;
    private final Map<String, Integer> featureIndex = new HashMap<>();
    private final List<Integer> featureInput = new ArrayList<>();
    private final List<DataType> featureType = new ArrayList<>();
    private final List<byte[]> featureSteps = new ArrayList<>();
    private final List<Double> featureReplacement = new ArrayList<>();
    private final List<Boolean> inputIsFloat = new ArrayList<>();

    private int[] input;
    private boolean[] inputFloat;
    private double[] replacement;
    private byte[][] steps;

    PmmlFeatures(List<InputField> inputs, DataDictionary dictionary, Map<String, DerivedField> derivedFields,
                 Map<String, MiningField> miningFields) {
        for (int i = 0; i < inputs.size(); i++) {
            inputIndex.put(inputs.get(i).name(), i);
        }
        if (dictionary != null && dictionary.hasDataFields()) {
            for (DataField field : dictionary.getDataFields()) {
                dataFields.putIfAbsent(field.getName(), field);
            }
        }
        this.derivedFields = derivedFields;
        this.miningFields = miningFields;
    }

    /** The feature index of the field named {@code name}, read on first use. */
    int feature(String name) {
        Integer known = featureIndex.get(name);
        if (known != null) {
            return known;
        }
        List<Byte> casts = new ArrayList<>();
        String current = name;
        DataType finalType = null;
        for (int depth = 0; ; depth++) {
            if (depth > 64) {
                throw new PmmlNotCovered("PMML DerivedField chain at field " + name + " longer than 64 not covered");
            }
            DerivedField derived = derivedFields.get(current);
            if (derived != null) {
                Expression expression = derived.getExpression();
                if (!(expression instanceof FieldRef ref)) {
                    throw new PmmlNotCovered("PMML DerivedField " + current + " ("
                            + (expression == null ? "no expression" : expression.getClass().getSimpleName()) + ") not covered");
                }
                if (ref.getMapMissingTo() != null) {
                    throw new PmmlNotCovered("PMML FieldRef with mapMissingTo in DerivedField " + current + " not covered");
                }
                DataType type = derived.requireDataType();
                if (finalType == null) {
                    finalType = type;
                }
                casts.add(0, cast(type, current));
                current = ref.requireField();
                continue;
            }
            DataField field = dataFields.get(current);
            Integer in = inputIndex.get(current);
            if (field == null || in == null) {
                throw new PmmlNotCovered("PMML field " + current + " (not an input) not covered");
            }
            DataType type = field.requireDataType();
            byte inputCast = cast(type, current);
            checkInput(field);
            double missingValue = replacement(current, type);
            int index = featureInput.size();
            featureIndex.put(name, index);
            featureInput.add(in);
            featureType.add(finalType == null ? type : finalType);
            byte[] s = new byte[casts.size()];
            for (int k = 0; k < s.length; k++) {
                s[k] = casts.get(k);
            }
            featureSteps.add(s);
            featureReplacement.add(missingValue);
            inputIsFloat.add(inputCast == TO_FLOAT);
            return index;
        }
    }

    /** The data type a threshold on feature {@code f} is parsed in: the type of the field the predicate names. */
    DataType type(int f) {
        return featureType.get(f);
    }

    int count() {
        return featureInput.size();
    }

    private static byte cast(DataType type, String field) {
        switch (type) {
            case FLOAT:
                return TO_FLOAT;
            case DOUBLE:
                return TO_DOUBLE;
            default:
                throw new PmmlNotCovered("PMML field " + field + " of type " + type.value() + " not covered");
        }
    }

    /** Input markup that changes which values are valid or missing is left to JPMML. */
    private void checkInput(DataField field) {
        if (field.hasIntervals()) {
            throw new PmmlNotCovered("PMML field " + field.getName() + " with Intervals not covered");
        }
        if (field.hasValues()) {
            for (Value value : field.getValues()) {
                boolean nan = value.getValue() != null && "NaN".equalsIgnoreCase(String.valueOf(value.getValue()).strip());
                if (value.getProperty() != Value.Property.MISSING || !nan) {
                    throw new PmmlNotCovered("PMML field " + field.getName() + " with listed Values not covered");
                }
            }
        }
    }

    private double replacement(String name, DataType type) {
        MiningField mining = miningFields.get(name);
        if (mining == null) {
            return Double.NaN;
        }
        if (mining.getMissingValueTreatment() == MissingValueTreatmentMethod.RETURN_INVALID) {
            throw new PmmlNotCovered("PMML missingValueTreatment returnInvalid on field " + name + " not covered");
        }
        InvalidValueTreatmentMethod invalid = mining.getInvalidValueTreatment();
        if (invalid != null && invalid != InvalidValueTreatmentMethod.RETURN_INVALID && mining.getInvalidValueReplacement() != null) {
            throw new PmmlNotCovered("PMML invalidValueReplacement on field " + name + " not covered");
        }
        OutlierTreatmentMethod outliers = mining.getOutlierTreatment();
        if (outliers != null && outliers != OutlierTreatmentMethod.AS_IS) {
            throw new PmmlNotCovered("PMML outlierTreatment " + outliers.value() + " on field " + name + " not covered");
        }
        Object replacement = mining.getMissingValueReplacement();
        if (replacement == null) {
            return Double.NaN;
        }
        Object parsed = TypeUtil.parseOrCast(type, replacement);
        double d = ((Number) parsed).doubleValue();
        if (Double.isNaN(d)) {
            throw new PmmlNotCovered("PMML missingValueReplacement NaN on field " + name + " not covered");
        }
        return d;
    }

    /** Freezes the features read so far into arrays for {@link #fill}. */
    PmmlFeatures freeze() {
        int n = featureInput.size();
        input = new int[n];
        inputFloat = new boolean[n];
        replacement = new double[n];
        steps = new byte[n][];
        for (int f = 0; f < n; f++) {
            input[f] = featureInput.get(f);
            inputFloat[f] = inputIsFloat.get(f);
            replacement[f] = featureReplacement.get(f);
            steps[f] = featureSteps.get(f);
        }
        return this;
    }

    /** Writes row {@code row}'s features to {@code x[offset ..]}; NaN where a value is missing. */
    void fill(InputColumns columns, int row, double[] x, int offset) {
        for (int f = 0; f < input.length; f++) {
            double d = columns.doubleAt(input[f], row);
            if (d != d) {
                d = replacement[f];
            } else if (inputFloat[f]) {
                d = (float) d;
            }
            byte[] s = steps[f];
            for (int k = 0; k < s.length; k++) {
                if (s[k] == TO_FLOAT) {
                    d = (float) d;
                }
            }
            x[offset + f] = d;
        }
    }
}

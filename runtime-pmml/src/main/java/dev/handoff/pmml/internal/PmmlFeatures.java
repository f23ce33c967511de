package dev.handoff.pmml.internal;

import dev.handoff.InputField;
import org.dmg.pmml.Apply;
import org.dmg.pmml.Constant;
import org.dmg.pmml.DataDictionary;
import org.dmg.pmml.DataField;
import org.dmg.pmml.DataType;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.Expression;
import org.dmg.pmml.FieldRef;
import org.dmg.pmml.InvalidValueTreatmentMethod;
import org.dmg.pmml.MapValues;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.MissingValueTreatmentMethod;
import org.dmg.pmml.NormContinuous;
import org.dmg.pmml.NormDiscrete;
import org.dmg.pmml.OutlierTreatmentMethod;
import org.dmg.pmml.Value;
import org.jpmml.evaluator.TypeUtil;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tree engine's feature row of a PMML model: each field a predicate reads, traced back through its
 * {@code DerivedField}s to one input column, with JPMML's conversions on the way.
 *
 * <pre>{@code
 * PmmlFeatures features = new PmmlFeatures(inputs, dictionary, derivedFields, topMiningFields);
 * int f = features.feature("double(age)");     // the feature index of a field
 * DataType type = features.type(f);            // the type its thresholds are parsed in
 * PmmlFeatureRow row = features.freeze();      // what the model keeps: the features' chains, run per row
 * }</pre>
 *
 * <p>What JPMML does and this class copies: an input value is converted to its {@code DataField}'s type
 * ({@code float} narrows a double: {@code Double.floatValue()}; every zero positive, as JPMML's {@code ScalarValue}
 * holds it), a missing value takes the {@code MiningField}'s
 * {@code missingValueReplacement} parsed in that type (a whole number is exact as a double), a {@code DerivedField} converts its expression's value to its
 * own type (the {@code double(float(x))} casts the converters write), and {@code Apply} {@code + - * /} with one
 * finite {@code Constant} operand computes in double ({@code Functions.ADD} ...: {@code left.doubleValue() op
 * right.doubleValue()}), rounded to float when both operands are float. The constant operand's restrictions keep a
 * NaN from arising out of a value that was not missing, where JPMML's {@code compareTo} and IEEE comparison differ. A
 * missing value stays missing (NaN) through every step. A string field's value is the code of its category among the
 * values the predicates name ({@link #code}), -1 for any other string; a value outside the field's listed valid
 * {@code Value}s is invalid: {@code asIs} keeps it, {@code asMissing} makes it missing, {@code returnInvalid} rejects the
 * row (then {@link PmmlFeatureRow#fill} returns false and the caller asks JPMML for its words). {@code NormContinuous},
 * {@code NormDiscrete} and one-column {@code MapValues} are steps on the way ({@link PmmlDerivedFields}): a string
 * input may be mapped to other strings, then to a number, then through numeric steps. XGBoost's {@code missing}
 * filter is such a step; JPMML fails a row whose filtered input is missing when a tree reads the field, so a call
 * holding such a row is left to JPMML ({@link PmmlFeatureRow#filtersDefined}).
 */
final class PmmlFeatures {
    private final Map<String, Integer> inputIndex = new HashMap<>();
    private final Map<String, DataField> dataFields = new HashMap<>();
    private final Map<String, DerivedField> derivedFields;
    private final Map<String, MiningField> miningFields;
    private final Map<String, Integer> featureIndex = new HashMap<>();
    private final List<PmmlFeatureChain> chains = new ArrayList<>();

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
        PmmlFeatureChain chain = trace(name, 0);
        int index = chains.size();
        chains.add(chain);
        featureIndex.put(name, index);
        return index;
    }

    /** The data type a threshold on feature {@code f} is parsed in: the type of the field the predicate names. */
    DataType type(int f) {
        return chains.get(f).type;
    }

    /** The optype of the field feature {@code f} was named by. */
    org.dmg.pmml.OpType opType(int f) {
        return chains.get(f).opType;
    }

    /**
     * Whether {@link PmmlFeatureRow#fill} never writes NaN for feature {@code f}: a number whose missing value is replaced (the
     * replacement is not NaN, and the {@code Apply} steps, with their finite non-zero constants, make no NaN of a
     * number; a derived step such as {@code NormContinuous} or {@code MapValues} may make a value missing, so a chain
     * with one is not counted). A test whether it is missing is then never true.
     */
    boolean neverMissing(int f) {
        PmmlFeatureChain c = chains.get(f);
        return c.codes == null && c.toNumber == null && c.stringMaps.isEmpty() && !c.ops.contains(PmmlFeatureChain.STEP)
                && !Double.isNaN(c.replacement);
    }

    /** The code of a string category on feature {@code f}, assigned on first use. */
    double code(int f, String category) {
        Map<String, Integer> codes = chains.get(f).codes;
        Integer code = codes.get(category);
        if (code == null) {
            code = codes.size();
            codes.put(category, code);
        }
        return code;
    }

    int count() {
        return chains.size();
    }

    private PmmlFeatureChain trace(String name, int depth) {
        if (depth > 64) {
            throw new PmmlNotCovered("PMML DerivedField chain at field " + name + " deeper than 64 not covered");
        }
        DerivedField derived = derivedFields.get(name);
        if (derived != null) {
            PmmlFeatureChain chain = expression(derived.getExpression(), name, depth);
            chain.cast(derived.requireDataType(), name);
            chain.opType = derived.requireOpType();
            return chain;
        }
        DataField field = dataFields.get(name);
        Integer in = inputIndex.get(name);
        if (field == null || in == null) {
            throw new PmmlNotCovered("PMML field " + name + " (not an input) not covered");
        }
        PmmlFeatureChain chain = new PmmlFeatureChain();
        chain.input = in;
        chain.inputName = name;
        chain.inputType = field.requireDataType();
        chain.type = chain.inputType;
        MiningField mining = miningFields.get(name);
        chain.opType = mining != null && mining.getOpType() != null ? mining.getOpType() : field.requireOpType();
        if (chain.type == DataType.STRING) {
            chain.codes = new HashMap<>();
            stringInput(field, chain);
        } else if (chain.type == DataType.FLOAT || chain.type == DataType.DOUBLE || chain.type == DataType.INTEGER) {
            numericInput(field, chain);
        } else {
            throw new PmmlNotCovered("PMML field " + name + " of type " + chain.type.value() + " not covered");
        }
        chain.replacement = replacement(name, chain.type);
        return chain;
    }

    private PmmlFeatureChain expression(Expression expression, String field, int depth) {
        if (expression instanceof FieldRef ref) {
            if (ref.getMapMissingTo() != null) {
                throw new PmmlNotCovered("PMML FieldRef with mapMissingTo in DerivedField " + field + " not covered");
            }
            return trace(ref.requireField(), depth + 1);
        }
        if (expression instanceof Apply apply) {
            return apply(apply, field, depth);
        }
        if (expression instanceof NormContinuous norm) {
            PmmlFeatureChain chain = trace(norm.requireField(), depth + 1);
            if (!numeric(chain.type)) {
                throw new PmmlNotCovered("PMML NormContinuous on a " + chain.type.value() + " value in DerivedField " + field
                        + " not covered");
            }
            chain.derived(PmmlDerivedFields.normContinuous(norm, field), DataType.DOUBLE);
            return chain;
        }
        if (expression instanceof NormDiscrete norm) {
            PmmlFeatureChain chain = trace(norm.requireField(), depth + 1);
            chain.derived(PmmlDerivedFields.normDiscrete(norm, chain.type, field), DataType.DOUBLE);
            return chain;
        }
        if (expression instanceof MapValues map) {
            PmmlFeatureChain chain = trace(PmmlDerivedFields.mapInput(map, field), depth + 1);
            chain.derived(PmmlDerivedFields.mapValues(map, chain.type, field), PmmlDerivedFields.outputType(map));
            return chain;
        }
        throw new PmmlNotCovered("PMML DerivedField " + field + " ("
                + (expression == null ? "no expression" : expression.getClass().getSimpleName()) + ") not covered");
    }

    /** {@code Apply} of {@code + - * /} to an expression and a finite Constant (non-zero for a product or quotient). */
    private PmmlFeatureChain apply(Apply apply, String field, int depth) {
        String function = apply.requireFunction();
        String replaced = PmmlDerivedFields.ifMissingField(apply);
        if (replaced != null) {
            PmmlFeatureChain chain = trace(replaced, depth + 1);
            chain.derived(PmmlDerivedFields.replaceMissing(apply, chain.type, field), chain.type);
            return chain;
        }
        String filtered = PmmlDerivedFields.filterField(apply);
        if (filtered != null) {
            PmmlFeatureChain chain = trace(filtered, depth + 1);
            DataField input = dataFields.get(chain.inputName);
            if (!chain.inputValue() || input.hasIntervals() || input.hasValues()) {
                throw new PmmlNotCovered("PMML DerivedField filter " + field + " on a value other than a float or double input's"
                        + " not covered");
            }
            chain.derived(PmmlDerivedFields.filter(apply, chain.type, field), chain.type);
            chain.filtered = true;
            return chain;
        }
        List<Expression> args = apply.getExpressions();
        boolean arithmetic = function.equals("+") || function.equals("-") || function.equals("*") || function.equals("/");
        if (!arithmetic || args.size() != 2 || apply.getMapMissingTo() != null || apply.getDefaultValue() != null
                || (args.get(0) instanceof Constant) == (args.get(1) instanceof Constant)) {
            throw new PmmlNotCovered("PMML DerivedField " + field + " (Apply) not covered");
        }
        boolean constantFirst = args.get(0) instanceof Constant;
        Constant constant = (Constant) args.get(constantFirst ? 0 : 1);
        DataType constantType = constant.getDataType();
        if ((constantType != DataType.DOUBLE && constantType != DataType.FLOAT) || constant.isMissing()) {
            throw new PmmlNotCovered("PMML Constant without a float or double dataType in DerivedField " + field + " not covered");
        }
        double c = ((Number) TypeUtil.parseOrCast(constantType, constant.getValue())).doubleValue();
        boolean product = function.equals("*") || function.equals("/");
        if (!Double.isFinite(c) || (product && c == 0)) {
            throw new PmmlNotCovered("PMML Constant " + c + " in DerivedField " + field + " not covered");
        }
        PmmlFeatureChain chain = expression(args.get(constantFirst ? 1 : 0), field, depth + 1);
        boolean integer = chain.type == DataType.INTEGER && constantType == DataType.DOUBLE;
        if (chain.type != DataType.FLOAT && chain.type != DataType.DOUBLE && !integer) {
            throw new PmmlNotCovered("PMML Apply on a " + chain.type.value() + " value in DerivedField " + field + " not covered");
        }
        byte op = switch (function) {
            case "+" -> PmmlFeatureChain.ADD;
            case "-" -> constantFirst ? PmmlFeatureChain.SUBTRACT_FROM : PmmlFeatureChain.SUBTRACT;
            case "*" -> PmmlFeatureChain.MULTIPLY;
            default -> constantFirst ? PmmlFeatureChain.DIVIDE_INTO : PmmlFeatureChain.DIVIDE;
        };
        chain.step(op, c);
        if (chain.type == DataType.FLOAT && constantType == DataType.FLOAT) {
            chain.step(PmmlFeatureChain.TO_FLOAT, 0);
        } else {
            chain.type = DataType.DOUBLE;
        }
        return chain;
    }

    private static boolean numeric(DataType type) {
        return type == DataType.FLOAT || type == DataType.DOUBLE || type == DataType.INTEGER;
    }

    /** Numeric input markup that changes which values are valid or missing is left to JPMML. */
    private void numericInput(DataField field, PmmlFeatureChain chain) {
        MiningField mining = miningFields.get(field.getName());
        InvalidValueTreatmentMethod invalid = mining == null ? InvalidValueTreatmentMethod.RETURN_INVALID
                : mining.getInvalidValueTreatment();
        if (field.hasIntervals() && invalid != InvalidValueTreatmentMethod.AS_IS && invalid != InvalidValueTreatmentMethod.AS_VALUE) {
            // under asIs (which JPMML reads as asValue) a value outside the Intervals is kept as it is
            // (InputFieldUtil.createInvalidInputValue: flagged invalid, which only isValid/isNotValid read; an
            // invalidValueReplacement is not covered): JPMML-LightGBM's DataFields
            throw new PmmlNotCovered("PMML field " + field.getName() + " with Intervals not covered");
        }
        if (field.hasValues()) {
            List<Long> valid = new ArrayList<>();
            for (Value value : field.getValues()) {
                boolean nan = value.getValue() != null && "NaN".equalsIgnoreCase(String.valueOf(value.getValue()).strip());
                if (value.getProperty() == Value.Property.MISSING && nan) {
                    continue;
                }
                if (value.getProperty() != Value.Property.VALID || chain.inputType != DataType.INTEGER || field.hasIntervals()) {
                    throw new PmmlNotCovered("PMML field " + field.getName() + " with listed Values not covered");
                }
                // JPMML-XGBoost's and JPMML-LightGBM's categorical features: an integer field listing its categories
                Object parsed;
                try {
                    parsed = TypeUtil.parseOrCast(DataType.INTEGER, value.requireValue());
                } catch (RuntimeException e) {
                    throw new PmmlNotCovered("PMML field " + field.getName() + " with Value '" + value.getValue() + "' not covered");
                }
                valid.add(((Number) parsed).longValue());
            }
            if (!valid.isEmpty()) {
                chain.validIntegers = valid.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
                chain.invalid = invalid == InvalidValueTreatmentMethod.AS_VALUE ? InvalidValueTreatmentMethod.AS_IS : invalid;
                if (chain.invalid != InvalidValueTreatmentMethod.RETURN_INVALID && chain.invalid != InvalidValueTreatmentMethod.AS_IS
                        && chain.invalid != InvalidValueTreatmentMethod.AS_MISSING) {
                    throw new PmmlNotCovered("PMML invalidValueTreatment " + chain.invalid.value() + " on field "
                            + field.getName() + " not covered");
                }
            }
        }
    }

    private void stringInput(DataField field, PmmlFeatureChain chain) {
        if (field.hasValues()) {
            Set<String> valid = new HashSet<>();
            for (Value value : field.getValues()) {
                if (value.getProperty() != Value.Property.VALID) {
                    throw new PmmlNotCovered("PMML field " + field.getName() + " with " + value.getProperty().value()
                            + " Values not covered");
                }
                valid.add(String.valueOf(value.requireValue()));
            }
            chain.valid = valid;
        }
        MiningField mining = miningFields.get(field.getName());
        chain.invalid = mining == null ? InvalidValueTreatmentMethod.RETURN_INVALID : mining.getInvalidValueTreatment();
        if (chain.invalid == InvalidValueTreatmentMethod.AS_VALUE) {
            // JPMML keeps the value as asIs does (InputFieldUtil.performInvalidValueTreatment); a replacement is refused
            chain.invalid = InvalidValueTreatmentMethod.AS_IS;
        }
        if (chain.invalid != InvalidValueTreatmentMethod.RETURN_INVALID && chain.invalid != InvalidValueTreatmentMethod.AS_IS
                && chain.invalid != InvalidValueTreatmentMethod.AS_MISSING) {
            throw new PmmlNotCovered("PMML invalidValueTreatment " + chain.invalid.value() + " on field " + field.getName()
                    + " not covered");
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
        if (mining.getInvalidValueReplacement() != null) {
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
        if (type == DataType.STRING) {
            throw new PmmlNotCovered("PMML missingValueReplacement on string field " + name + " not covered");
        }
        double d = ((Number) TypeUtil.parseOrCast(type, replacement)).doubleValue();
        if (Double.isNaN(d)) {
            throw new PmmlNotCovered("PMML missingValueReplacement NaN on field " + name + " not covered");
        }
        return d;
    }

    /**
     * The features read so far, frozen for scoring: what a row needs, without this reader's maps of the document's
     * fields (the model keeps the row, and this reader goes with the load).
     */
    PmmlFeatureRow freeze() {
        PmmlFeatureChain[] frozen = chains.toArray(new PmmlFeatureChain[0]);
        for (PmmlFeatureChain c : frozen) {
            c.freeze();
        }
        return new PmmlFeatureRow(frozen);
    }
}

package dev.handoff.pmml.internal;

import org.dmg.pmml.DataType;
import org.dmg.pmml.InvalidValueTreatmentMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one feature of {@link PmmlFeatures} is computed from its input column: the input's type and missing-value
 * replacement, a string field's category codes and valid values, then the steps on the way to the field a predicate
 * names (casts, {@code Apply} with a constant, the {@link PmmlDerivedFields} steps). Built while the document is read,
 * then frozen ({@link #freeze}) into arrays that {@link PmmlFeatureRow#fill} runs per row.
 *
 * <pre>{@code
 * PmmlFeatureChain chain = new PmmlFeatureChain();
 * chain.cast(DataType.FLOAT, "float(x)");          // a TO_FLOAT step
 * chain.step(PmmlFeatureChain.ADD, 1.5);            // Apply + with a constant
 * }</pre>
 */
final class PmmlFeatureChain {
    static final byte TO_FLOAT = 1;
    static final byte ADD = 2;
    static final byte SUBTRACT = 3;
    static final byte SUBTRACT_FROM = 4;
    static final byte MULTIPLY = 5;
    static final byte DIVIDE = 6;
    static final byte DIVIDE_INTO = 7;
    /** A {@link PmmlDerivedFields.NumericStep}. */
    static final byte STEP = 8;

    int input;
    String inputName;
    DataType inputType;
    /** A {@link PmmlDerivedFields#filter} step reads the input's value: a missing input makes JPMML fail the row. */
    boolean filtered;
    /** The type of the value after the steps so far: the type thresholds on the named field are parsed in. */
    DataType type;
    /** The named field's optype: JPMML orders only continuous values. */
    org.dmg.pmml.OpType opType;
    // the steps while the document is read (null once frozen)
    List<Byte> ops = new ArrayList<>();
    List<Double> constants = new ArrayList<>();
    List<PmmlDerivedFields.NumericStep> steps = new ArrayList<>();
    /** A string input's maps to other strings, then (null: it stays a string) its map to a number. */
    List<PmmlDerivedFields.StringMap> stringMaps = new ArrayList<>();
    PmmlDerivedFields.StringToNumber toNumber;
    double replacement = Double.NaN;
    /** A string field's category codes, its valid values (null: any), and what an invalid value becomes. */
    Map<String, Integer> codes;
    Set<String> valid;
    InvalidValueTreatmentMethod invalid;
    /** An integer field's listed valid values, sorted (null: any); {@link #invalid} says what another becomes. */
    long[] validIntegers;
    // the steps once frozen
    byte[] op;
    double[] constant;
    PmmlDerivedFields.NumericStep[] step;
    PmmlDerivedFields.StringMap[] maps;

    private static final byte[] NO_OPS = {};
    private static final double[] NO_CONSTANTS = {};
    private static final PmmlDerivedFields.NumericStep[] NO_STEPS = {};
    private static final PmmlDerivedFields.StringMap[] NO_MAPS = {};

    /**
     * The steps into the arrays {@link PmmlFeatureRow#fill} runs; the lists they were read into are dropped (most
     * features have no step: they share empty arrays). The chain is read-only from now on.
     */
    void freeze() {
        if (ops == null) {
            return; // frozen already
        }
        int n = ops.size();
        op = n == 0 ? NO_OPS : new byte[n];
        constant = n == 0 ? NO_CONSTANTS : new double[n];
        for (int k = 0; k < n; k++) {
            op[k] = ops.get(k);
            constant[k] = constants.get(k);
        }
        step = n == 0 ? NO_STEPS : steps.toArray(new PmmlDerivedFields.NumericStep[0]);
        maps = stringMaps.isEmpty() ? NO_MAPS : stringMaps.toArray(new PmmlDerivedFields.StringMap[0]);
        ops = null;
        constants = null;
        steps = null;
        stringMaps = null;
    }

    void step(byte o, double c) {
        ops.add(o);
        constants.add(c);
        steps.add(null);
    }

    /** Appends a step read by {@link PmmlDerivedFields}; its result has type {@code to}. */
    void derived(Object s, DataType to) {
        if (s instanceof PmmlDerivedFields.StringMap map) {
            stringMaps.add(map);
        } else if (s instanceof PmmlDerivedFields.StringToNumber number) {
            toNumber = number;
            codes = null;
        } else {
            ops.add(STEP);
            constants.add(0d);
            steps.add((PmmlDerivedFields.NumericStep) s);
        }
        type = to;
    }

    /**
     * Whether the value so far is the float or double input's, after its replacement, at most narrowed to float: it is
     * missing exactly when the input is.
     */
    boolean inputValue() {
        return (inputType == DataType.FLOAT || inputType == DataType.DOUBLE) && validIntegers == null && stringMaps.isEmpty()
                && toNumber == null && ops.stream().allMatch(o -> o == TO_FLOAT);
    }

    /**
     * Whether no row of the call brings a missing value to the {@link #filtered} step: JPMML fails such a row
     * ({@code notEqual} of a missing value) when a tree reads the filtered field, which the engine does not copy.
     */
    boolean filterDefined(dev.handoff.spi.InputColumns columns) {
        if (!filtered || replacement == replacement) {
            return true;
        }
        for (int r = 0, n = columns.rowCount(); r < n; r++) {
            if (Double.isNaN(columns.doubleAt(input, r))) {
                return false;
            }
        }
        return true;
    }

    void cast(DataType to, String field) {
        if (type == DataType.STRING || to == DataType.STRING) {
            if (type != to) {
                throw new PmmlNotCovered("PMML conversion of field " + field + " between string and number not covered");
            }
            return;
        }
        if (to == DataType.INTEGER && type == DataType.INTEGER) {
            return;
        }
        if (to != DataType.FLOAT && to != DataType.DOUBLE) {
            throw new PmmlNotCovered("PMML field " + field + " of type " + to.value() + " not covered");
        }
        if (to == DataType.FLOAT && type != DataType.FLOAT) {
            step(TO_FLOAT, 0);
        }
        type = to;
    }
}

package dev.handoff.pmml.internal;

import org.dmg.pmml.Apply;
import org.dmg.pmml.Constant;
import org.dmg.pmml.DataType;
import org.dmg.pmml.Expression;
import org.dmg.pmml.FieldRef;
import org.dmg.pmml.FieldColumnPair;
import org.dmg.pmml.InlineTable;
import org.dmg.pmml.LinearNorm;
import org.dmg.pmml.MapValues;
import org.dmg.pmml.NormContinuous;
import org.dmg.pmml.NormDiscrete;
import org.dmg.pmml.OutlierTreatmentMethod;
import org.jpmml.evaluator.InlineTableUtil;
import org.jpmml.evaluator.TypeUtil;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code DerivedField} expressions of one input that {@link PmmlFeatures} follows besides {@code FieldRef} and
 * arithmetic {@code Apply}: {@code NormContinuous}, {@code NormDiscrete}, one-column {@code MapValues} and the imputation
 * {@code if(isMissing(x), c, x)} / {@code if(isNotMissing(x), x, c)} (c of x's type) and the filter
 * {@code if(and(isNotMissing(x), notEqual(x, c)), x)} ({@link #filter}), each read into a step
 * that computes JPMML-Evaluator 1.7.7's value from the value before it (NaN or null: missing).
 *
 * <pre>{@code
 * NumericStep norm = PmmlDerivedFields.normContinuous(element, "age_scaled");   // or PmmlNotCovered
 * double v = norm.apply(41.0);
 * }</pre>
 *
 * <p>What JPMML does and the steps copy ({@code ExpressionUtil}, {@code NormalizationUtil}, {@code DiscretizationUtil}):
 * <ul>
 * <li>{@code NormContinuous}: a missing value becomes {@code mapMissingTo} (a double) or stays missing; otherwise the
 * value, taken as a double, is placed among the {@code LinearNorm} {@code orig}s by a binary search over closed
 * intervals ({@code Double.compare}); not found (below the first, or only the last point's own slot) it is an outlier:
 * {@code asIs} extrapolates from the first or the last interval, {@code asMissingValues} makes it missing,
 * {@code asExtremeValues} gives the first or the last {@code norm}. Then
 * {@code leftNorm + ((x - leftOrig) / (rightOrig - leftOrig)) * (rightNorm - leftNorm)} in double. Tables that could
 * make a NaN of a value that was not missing (unordered or non-finite points, flat outer intervals under asIs) are
 * not covered: JPMML would carry such a NaN as a value, not as missing.</li>
 * <li>{@code NormDiscrete} (indicator): a missing value becomes {@code mapMissingTo} or stays missing; otherwise 1.0
 * when the value equals {@code value} parsed in the value's own type ({@code equals}: bit for bit), else 0.0.</li>
 * <li>{@code MapValues} over one column: a missing value becomes {@code mapMissingTo} or stays missing; otherwise the
 * row whose column holds the value (cells parsed in the value's type, compared with {@code equals}) gives its output
 * cell parsed in the {@code dataType} ({@code string} by default); no row gives {@code defaultValue} (missing when
 * absent). A table JPMML would fail on (a key twice, a row without the output, an unparsable cell) is not covered.</li>
 * </ul>
 */
final class PmmlDerivedFields {
    private PmmlDerivedFields() {
    }

    /** A step on a numeric value; NaN is missing. */
    interface NumericStep {
        double apply(double x);
    }

    /** NormContinuous (piecewise linear). */
    static final class Norm implements NumericStep {
        private final double[] orig;
        private final double[] norm;
        private final OutlierTreatmentMethod outliers;
        private final double missing;

        private Norm(double[] orig, double[] norm, OutlierTreatmentMethod outliers, double missing) {
            this.orig = orig;
            this.norm = norm;
            this.outliers = outliers;
            this.missing = missing;
        }

        @Override
        public double apply(double x) {
            if (x != x) {
                return missing;
            }
            int last = orig.length - 1;
            int i = interval(x);
            if (i < 0 || i == last) {
                switch (outliers) {
                    case AS_MISSING_VALUES:
                        return Double.NaN;
                    case AS_EXTREME_VALUES:
                        return i < 0 ? norm[0] : norm[last];
                    default:
                        i = i < 0 ? 0 : last - 1;
                }
            }
            return norm[i] + ((x - orig[i]) / (orig[i + 1] - orig[i])) * (norm[i + 1] - norm[i]);
        }

        /** The slot JPMML's search finds: i with orig[i] <= x <= orig[i + 1], the last point, or -1. */
        private int interval(double x) {
            int lo = 0;
            int hi = orig.length - 1;
            while (lo <= hi) {
                int mid = lo + (hi - lo) / 2;
                if (Double.compare(x, orig[mid]) < 0) {
                    hi = mid - 1;
                    continue;
                }
                if (mid == orig.length - 1 || Double.compare(x, orig[mid + 1]) <= 0) {
                    return mid;
                }
                lo = mid + 1;
            }
            return -1;
        }
    }

    /** NormDiscrete or MapValues on a number: the value's bits pick the result. */
    static final class NumberLookup implements NumericStep {
        private final Map<Long, Double> table;
        private final double otherwise;
        private final double missing;

        private NumberLookup(Map<Long, Double> table, double otherwise, double missing) {
            this.table = table;
            this.otherwise = otherwise;
            this.missing = missing;
        }

        @Override
        public double apply(double x) {
            if (x != x) {
                return missing;
            }
            Double v = table.get(Double.doubleToRawLongBits(x));
            return v == null ? otherwise : v;
        }
    }

    /** NormDiscrete or MapValues from a string to a number. */
    static final class StringToNumber {
        private final Map<String, Double> table;
        private final double otherwise;
        private final double missing;

        private StringToNumber(Map<String, Double> table, double otherwise, double missing) {
            this.table = table;
            this.otherwise = otherwise;
            this.missing = missing;
        }

        double apply(String s) {
            if (s == null) {
                return missing;
            }
            Double v = table.get(s);
            return v == null ? otherwise : v;
        }
    }

    /** MapValues from a string to a string; null is missing. */
    static final class StringMap {
        private final Map<String, String> table;
        private final String otherwise;
        private final String missing;

        private StringMap(Map<String, String> table, String otherwise, String missing) {
            this.table = table;
            this.otherwise = otherwise;
            this.missing = missing;
        }

        String apply(String s) {
            if (s == null) {
                return missing;
            }
            String v = table.get(s);
            return v == null ? otherwise : v;
        }
    }

    /**
     * The field {@code f} of {@code if(isMissing(f), c, f)} or {@code if(isNotMissing(f), f, c)} (two FieldRefs to the
     * same field, a Constant, no mapMissingTo or defaultValue), else null.
     */
    static String ifMissingField(Apply apply) {
        List<Expression> args = apply.getExpressions();
        if (!"if".equals(apply.getFunction()) || args.size() != 3 || apply.getMapMissingTo() != null || apply.getDefaultValue() != null
                || !(args.get(0) instanceof Apply test) || test.getExpressions().size() != 1
                || test.getMapMissingTo() != null || test.getDefaultValue() != null
                || !(test.getExpressions().get(0) instanceof FieldRef tested) || tested.getMapMissingTo() != null) {
            return null;
        }
        boolean missing = "isMissing".equals(test.getFunction());
        if (!missing && !"isNotMissing".equals(test.getFunction())) {
            return null;
        }
        Expression value = args.get(missing ? 2 : 1);
        boolean same = value instanceof FieldRef ref && ref.getMapMissingTo() == null && ref.requireField().equals(tested.requireField());
        return same && args.get(missing ? 1 : 2) instanceof Constant ? tested.requireField() : null;
    }

    /**
     * The step of an {@link #ifMissingField} Apply on a value of {@code type}: a missing value becomes the Constant, whose
     * dataType must be that type (JPMML keeps each branch's own type); other values pass unchanged.
     */
    static NumericStep replaceMissing(Apply apply, DataType type, String field) {
        boolean missing = "isMissing".equals(((Apply) apply.getExpressions().get(0)).getFunction());
        Constant constant = (Constant) apply.getExpressions().get(missing ? 1 : 2);
        boolean numeric = type == DataType.DOUBLE || type == DataType.FLOAT || type == DataType.INTEGER;
        if (!numeric || constant.getDataType() != type || constant.isMissing() || constant.getValue() == null) {
            throw new PmmlNotCovered("PMML if/isMissing with a Constant of another type than its field in DerivedField " + field
                    + " not covered");
        }
        double c = number(parse(type, constant.getValue(), field), field);
        return x -> x != x ? c : x;
    }

    /**
     * The field {@code f} of JPMML-XGBoost's {@code missing} filter {@code if(and(isNotMissing(f), notEqual(f, c)), f)}
     * (three FieldRefs to the same field, a Constant, no else branch, no mapMissingTo, defaultValue or
     * invalidValueTreatment anywhere), else null.
     */
    static String filterField(Apply apply) {
        List<Expression> args = apply.getExpressions();
        if (!"if".equals(apply.getFunction()) || args.size() != 2 || !plain(apply)
                || !(args.get(0) instanceof Apply and) || !"and".equals(and.getFunction()) || !plain(and)
                || and.getExpressions().size() != 2
                || !(and.getExpressions().get(0) instanceof Apply present) || !"isNotMissing".equals(present.getFunction())
                || !plain(present) || present.getExpressions().size() != 1
                || !(and.getExpressions().get(1) instanceof Apply differs) || !"notEqual".equals(differs.getFunction())
                || !plain(differs) || differs.getExpressions().size() != 2 || !(differs.getExpressions().get(1) instanceof Constant)) {
            return null;
        }
        String f = ref(args.get(1));
        return f != null && f.equals(ref(present.getExpressions().get(0))) && f.equals(ref(differs.getExpressions().get(0))) ? f : null;
    }

    private static boolean plain(Apply a) {
        return a.getMapMissingTo() == null && a.getDefaultValue() == null
                && a.getInvalidValueTreatment() == org.dmg.pmml.InvalidValueTreatmentMethod.RETURN_INVALID;
    }

    private static String ref(Expression e) {
        return e instanceof FieldRef r && r.getMapMissingTo() == null ? r.requireField() : null;
    }

    /**
     * The step of a {@link #filterField} Apply on a present value of {@code type} (float or double): a value equal to
     * the Constant (which must be of that type, and not NaN) becomes missing, as JPMML's {@code notEqual} compares two
     * values of one type ({@code Float.equals} / {@code Double.equals} of values held with a positive zero). A missing
     * value makes JPMML fail the row ({@code notEqual} does not take a missing argument): {@link PmmlFeatures} leaves
     * a call with such a row to JPMML, so the step never sees one.
     */
    static NumericStep filter(Apply apply, DataType type, String field) {
        Constant constant = (Constant) ((Apply) ((Apply) apply.getExpressions().get(0)).getExpressions().get(1)).getExpressions().get(1);
        if ((type != DataType.FLOAT && type != DataType.DOUBLE) || constant.getDataType() != type || constant.isMissing()
                || constant.getValue() == null) {
            throw new PmmlNotCovered("PMML notEqual with a Constant of another type than its field in DerivedField " + field
                    + " not covered");
        }
        double c = number(parse(type, constant.getValue(), field), field);
        return x -> x == c ? Double.NaN : x;
    }

    static Norm normContinuous(NormContinuous n, String field) {
        List<LinearNorm> points = n.getLinearNorms();
        if (points == null || points.size() < 2) {
            throw new PmmlNotCovered("PMML NormContinuous with fewer than two LinearNorms in DerivedField " + field + " not covered");
        }
        int k = points.size();
        double[] orig = new double[k];
        double[] norm = new double[k];
        for (int i = 0; i < k; i++) {
            orig[i] = points.get(i).requireOrig().doubleValue();
            norm[i] = points.get(i).requireNorm().doubleValue();
            boolean finite = Double.isFinite(orig[i]) && Double.isFinite(norm[i]);
            if (!finite || (i > 0 && !(orig[i] > orig[i - 1] && Double.isFinite(orig[i] - orig[i - 1])
                    && Double.isFinite(norm[i] - norm[i - 1])))) {
                throw new PmmlNotCovered("PMML NormContinuous LinearNorms (unordered or not finite) in DerivedField " + field
                        + " not covered");
            }
        }
        OutlierTreatmentMethod outliers = n.getOutlierTreatment() == null ? OutlierTreatmentMethod.AS_IS : n.getOutlierTreatment();
        if (outliers == OutlierTreatmentMethod.AS_IS && (norm[1] == norm[0] || norm[k - 1] == norm[k - 2])) {
            // an infinite value extrapolated along a flat interval is NaN, which JPMML keeps as a value
            throw new PmmlNotCovered("PMML NormContinuous flat outer interval under asIs in DerivedField " + field + " not covered");
        }
        return new Norm(orig, norm, outliers, missingNumber(n.getMapMissingTo(), DataType.DOUBLE, field));
    }

    /** NormDiscrete on a value of {@code type}: a step on a number, or (string) a string-to-number step. */
    static Object normDiscrete(NormDiscrete n, DataType type, String field) {
        if (n.getMethod() != null && n.getMethod() != NormDiscrete.Method.INDICATOR) {
            throw new PmmlNotCovered("PMML NormDiscrete method " + n.getMethod().value() + " not covered");
        }
        double missing = missingNumber(n.getMapMissingTo(), DataType.DOUBLE, field);
        Object key = parse(type, n.requireValue(), field);
        if (type == DataType.STRING) {
            return new StringToNumber(Map.of((String) key, 1.0), 0.0, missing);
        }
        return new NumberLookup(Map.of(Double.doubleToRawLongBits(((Number) key).doubleValue()), 1.0), 0.0, missing);
    }

    /** The output type of a MapValues: its {@code dataType}, string by default. */
    static DataType outputType(MapValues m) {
        return m.getDataType() == null ? DataType.STRING : m.getDataType();
    }

    /** The one field a MapValues reads; more than one is not covered. */
    static String mapInput(MapValues m, String field) {
        List<FieldColumnPair> pairs = m.getFieldColumnPairs();
        if (pairs == null || pairs.size() != 1) {
            throw new PmmlNotCovered("PMML MapValues over " + (pairs == null ? 0 : pairs.size()) + " columns in DerivedField "
                    + field + " not covered");
        }
        return pairs.get(0).requireField();
    }

    /**
     * MapValues from a value of {@code in} to one of its output type: a {@link StringMap}, a {@link StringToNumber} or
     * a {@link NumberLookup}.
     */
    static Object mapValues(MapValues m, DataType in, String field) {
        DataType out = outputType(m);
        boolean numberIn = in == DataType.DOUBLE || in == DataType.FLOAT || in == DataType.INTEGER;
        boolean numberOut = out == DataType.DOUBLE || out == DataType.FLOAT || out == DataType.INTEGER;
        if (!(numberIn || in == DataType.STRING) || !(numberOut || out == DataType.STRING) || (numberIn && !numberOut)) {
            throw new PmmlNotCovered("PMML MapValues from " + in.value() + " to " + out.value() + " in DerivedField " + field
                    + " not covered");
        }
        String column = m.getFieldColumnPairs().get(0).requireColumn();
        Map<Object, Object> table = new HashMap<>();
        if (m.getTableLocator() != null) {
            throw new PmmlNotCovered("PMML MapValues TableLocator in DerivedField " + field + " not covered");
        }
        InlineTable inline = m.getInlineTable();
        if (inline != null) {
            Map<Integer, Map<String, Object>> rows = InlineTableUtil.getContent(inline).rowMap();
            for (Map<String, Object> row : rows.values()) {
                Object key = row.get(column);
                if (key == null) {
                    continue;
                }
                Object value = row.get(m.requireOutputColumn());
                Object parsedKey = parse(in, key, field);
                if (numberIn) {
                    parsedKey = Double.doubleToRawLongBits(((Number) parsedKey).doubleValue());
                }
                if (value == null || table.put(parsedKey, parse(out, value, field)) != null) {
                    throw new PmmlNotCovered("PMML MapValues table (a key twice or a row without output) in DerivedField "
                            + field + " not covered");
                }
            }
            if (rows.values().stream().noneMatch(r -> r.containsKey(column))) {
                throw new PmmlNotCovered("PMML MapValues without column " + column + " in DerivedField " + field + " not covered");
            }
        } else {
            throw new PmmlNotCovered("PMML MapValues without InlineTable in DerivedField " + field + " not covered");
        }
        if (!numberOut) {
            Map<String, String> strings = new HashMap<>();
            table.forEach((k, v) -> strings.put((String) k, (String) v));
            return new StringMap(strings, (String) optional(out, m.getDefaultValue(), field),
                    (String) optional(out, m.getMapMissingTo(), field));
        }
        double otherwise = missingNumber(m.getDefaultValue(), out, field);
        double missing = missingNumber(m.getMapMissingTo(), out, field);
        if (numberIn) {
            Map<Long, Double> numbers = new HashMap<>();
            table.forEach((k, v) -> numbers.put((Long) k, number(v, field)));
            return new NumberLookup(numbers, otherwise, missing);
        }
        Map<String, Double> numbers = new HashMap<>();
        table.forEach((k, v) -> numbers.put((String) k, number(v, field)));
        return new StringToNumber(numbers, otherwise, missing);
    }

    private static double number(Object v, String field) {
        double d = ((Number) v).doubleValue();
        if (Double.isNaN(d)) {
            throw new PmmlNotCovered("PMML NaN value in DerivedField " + field + " not covered");
        }
        return d;
    }

    private static Object optional(DataType type, Object value, String field) {
        return value == null ? null : parse(type, value, field);
    }

    /** A value as JPMML parses it in {@code type}; NaN stands for absent (missing). */
    private static double missingNumber(Object value, DataType type, String field) {
        return value == null ? Double.NaN : number(parse(type, value, field), field);
    }

    private static Object parse(DataType type, Object value, String field) {
        try {
            return TypeUtil.parseOrCast(type, value);
        } catch (RuntimeException e) {
            throw new PmmlNotCovered("PMML value '" + value + "' of type " + type.value() + " in DerivedField " + field
                    + " not covered");
        }
    }
}

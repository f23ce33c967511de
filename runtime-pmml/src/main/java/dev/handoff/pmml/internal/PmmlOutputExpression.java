package dev.handoff.pmml.internal;

import org.dmg.pmml.Apply;
import org.dmg.pmml.Constant;
import org.dmg.pmml.DataType;
import org.dmg.pmml.Expression;
import org.dmg.pmml.FieldRef;
import org.jpmml.evaluator.TypeUtil;

import java.util.List;
import java.util.Map;

/**
 * A {@code transformedValue} OutputField's expression over earlier outputs of a modelChain (JPMML-SkLearn's
 * {@code sigmoid(decisionFunction(1))}), evaluated in double as JPMML's {@code Functions} do: {@code + - * /} on
 * {@code doubleValue()}s and {@code exp} as {@code Math.exp}.
 *
 * <pre>{@code
 * PmmlOutputExpression e = PmmlOutputExpression.of(field.getExpression(), outputIndexByName);
 * double v = e.evaluate(values);     // values[i] is the output with index i
 * }</pre>
 */
abstract class PmmlOutputExpression {
    abstract double evaluate(double[] values);

    /** The outputs an expression reads, with their indexes, in document order. */
    static Map<String, Integer> fieldRefs(Expression expression, Map<String, Integer> outputs) {
        Map<String, Integer> refs = new java.util.LinkedHashMap<>();
        new org.jpmml.model.visitors.AbstractVisitor() {
            @Override
            public org.dmg.pmml.VisitorAction visit(FieldRef ref) {
                Integer index = outputs.get(ref.requireField());
                if (index != null) {
                    refs.putIfAbsent(ref.requireField(), index);
                }
                return super.visit(ref);
            }
        }.applyTo(expression);
        return refs;
    }

    static PmmlOutputExpression of(Expression expression, Map<String, Integer> outputs) {
        if (expression instanceof Constant constant) {
            if (constant.getDataType() != DataType.DOUBLE || constant.isMissing()) {
                throw new PmmlNotCovered("PMML Constant without dataType double in an OutputField not covered");
            }
            double c = ((Number) TypeUtil.parseOrCast(DataType.DOUBLE, constant.getValue())).doubleValue();
            return new PmmlOutputExpression() {
                @Override
                double evaluate(double[] values) {
                    return c;
                }
            };
        }
        if (expression instanceof FieldRef ref) {
            Integer index = outputs.get(ref.requireField());
            if (index == null || ref.getMapMissingTo() != null) {
                throw new PmmlNotCovered("PMML FieldRef " + ref.requireField() + " in an OutputField not covered");
            }
            int i = index;
            return new PmmlOutputExpression() {
                @Override
                double evaluate(double[] values) {
                    return values[i];
                }
            };
        }
        if (expression instanceof Apply apply && apply.getMapMissingTo() == null && apply.getDefaultValue() == null) {
            List<Expression> args = apply.getExpressions();
            String function = apply.requireFunction();
            if (function.equals("exp") && args.size() == 1) {
                PmmlOutputExpression x = of(args.get(0), outputs);
                return new PmmlOutputExpression() {
                    @Override
                    double evaluate(double[] values) {
                        return Math.exp(x.evaluate(values));
                    }
                };
            }
            if (args.size() == 2 && "+-*/".contains(function) && function.length() == 1) {
                PmmlOutputExpression a = of(args.get(0), outputs);
                PmmlOutputExpression b = of(args.get(1), outputs);
                char op = function.charAt(0);
                return new PmmlOutputExpression() {
                    @Override
                    double evaluate(double[] values) {
                        double l = a.evaluate(values);
                        double r = b.evaluate(values);
                        return op == '+' ? l + r : op == '-' ? l - r : op == '*' ? l * r : l / r;
                    }
                };
            }
        }
        throw new PmmlNotCovered("PMML " + expression.getClass().getSimpleName() + " in an OutputField not covered");
    }
}

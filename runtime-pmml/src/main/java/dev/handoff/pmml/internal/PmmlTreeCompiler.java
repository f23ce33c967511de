package dev.handoff.pmml.internal;

import dev.handoff.internal.tree.TreeEnsemble.NodeMode;
import dev.handoff.pmml.internal.PmmlNodeEmitter.Label;
import org.dmg.pmml.CompoundPredicate;
import org.dmg.pmml.DataType;
import org.dmg.pmml.False;
import org.dmg.pmml.Predicate;
import org.dmg.pmml.SimplePredicate;
import org.dmg.pmml.SimpleSetPredicate;
import org.dmg.pmml.True;
import org.dmg.pmml.tree.Node;
import org.dmg.pmml.tree.TreeModel;
import org.jpmml.evaluator.TypeUtil;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Compiles one PMML {@code TreeModel} into the binary node layout of the tree engine, with JPMML-Evaluator's
 * semantics ({@code SimpleTreeModelEvaluator}, {@code ComplexTreeModelEvaluator}, {@code PredicateUtil}):
 * <ul>
 *   <li>the root's predicate is evaluated; not true means no prediction;</li>
 *   <li>a node's children are tried in order and the first whose predicate is true is entered (multiway
 *       nodes become a chain of tests);</li>
 *   <li>a predicate is three-valued: a comparison with a missing value is UNKNOWN, and the tree's
 *       {@code missingValueStrategy} decides: {@code none} goes on with the next child, {@code nullPrediction}
 *       gives no prediction, {@code lastPrediction} the current node, {@code defaultChild} enters the default
 *       child without evaluating its predicate;</li>
 *   <li>when no child is true, {@code noTrueChildStrategy} returns the node (if it has a score) or nothing;</li>
 *   <li>a comparison is made in the type of the field the predicate names, against the threshold as JPMML parses
 *       it in that type ({@code TypeUtil.parseOrCast}); compound predicates follow JPMML's three-valued
 *       {@code and}/{@code or} and {@code surrogate} (first known value wins).</li>
 * </ul>
 * Each result a walk can end at (a node's score, or no prediction) is a leaf whose weight is the result's ordinal,
 * given by the caller's {@code results} function.
 *
 * <pre>{@code
 * new PmmlTreeCompiler(emitter, features).compile(treeModel, slot, node -> leaves.ordinal(node));
 * }</pre>
 */
final class PmmlTreeCompiler {
    /** What {@code results} is given for the no-prediction leaf. */
    static final Node NO_PREDICTION = null;

    private final PmmlNodeEmitter e;
    private final PmmlFeatures features;
    private TreeModel tree;
    private int slot;
    private ToIntFunction<Node> results;
    private Label none;
    private final java.util.Set<Object> ids = new java.util.HashSet<>();
    /** The fields a tree sees: its MiningSchema and its own DerivedFields (JPMML: any other is "not defined"). */
    private final java.util.Set<String> visible = new java.util.HashSet<>();

    PmmlTreeCompiler(PmmlNodeEmitter emitter, PmmlFeatures features) {
        this.e = emitter;
        this.features = features;
    }

    /**
     * Appends one tree whose leaves write their result ordinal to output {@code slot}.
     *
     * @return whether some row can reach the tree's no-prediction leaf
     */
    boolean compile(TreeModel treeModel, int slot, ToIntFunction<Node> results) {
        this.tree = treeModel;
        this.slot = slot;
        this.results = results;
        switch (treeModel.getMissingValueStrategy()) {
            case NONE:
            case NULL_PREDICTION:
            case LAST_PREDICTION:
            case DEFAULT_CHILD:
                break;
            default:
                throw new PmmlNotCovered("PMML missingValueStrategy " + treeModel.getMissingValueStrategy().value() + " not covered");
        }
        if (treeModel.getNode() == null) {
            throw new PmmlNotCovered("PMML TreeModel without a root Node not covered");
        }
        ids.clear();
        visible.clear();
        if (treeModel.getMiningSchema() != null && treeModel.getMiningSchema().hasMiningFields()) {
            treeModel.getMiningSchema().getMiningFields().forEach(f -> visible.add(f.getName()));
        }
        if (treeModel.getLocalTransformations() != null && treeModel.getLocalTransformations().hasDerivedFields()) {
            treeModel.getLocalTransformations().getDerivedFields().forEach(f -> visible.add(f.getName()));
        }
        e.beginTree();
        none = e.label();
        Node root = treeModel.getNode();
        Label body = e.label();
        condition(root.requirePredicate(), body, none, none);
        e.place(body);
        try {
            enter(root);
        } catch (StackOverflowError deep) {
            throw new PmmlNotCovered("PMML trees this deep not covered (the loading thread's stack is too small)");
        }
        e.place(none);
        e.leaf(slot, results.applyAsInt(NO_PREDICTION));
        return e.reachable(none);
    }

    /** The code of a node whose predicate held: its leaf, or the chain of its children's tests. */
    private void enter(Node node) {
        // JPMML's ComplexTreeModelEvaluator refuses a tree whose Node ids repeat (a Node without one is known by its
        // 1-based pre-order position), but only when it first evaluates it
        String id = node.getId() != null ? String.valueOf(node.getId()) : String.valueOf(ids.size() + 1);
        if (!ids.add(id)) {
            throw new PmmlNotCovered("PMML Node id " + id + " repeated in a TreeModel not covered");
        }
        if (node.getEmbeddedModel() != null) {
            throw new PmmlNotCovered("PMML Node with an embedded model not covered");
        }
        if (!node.hasNodes()) {
            e.leaf(slot, results.applyAsInt(node));
            return;
        }
        List<Node> children = node.getNodes();
        Label[] child = new Label[children.size()];
        for (int i = 0; i < child.length; i++) {
            child[i] = e.label();
        }
        Label last = null;
        Label unknown = null;
        switch (tree.getMissingValueStrategy()) {
            case NULL_PREDICTION:
                unknown = none;
                break;
            case LAST_PREDICTION:
                if (!node.hasScore()) {
                    throw new PmmlNotCovered("PMML missingValueStrategy lastPrediction at a Node without a score not covered");
                }
                last = e.label();
                unknown = last;
                break;
            case DEFAULT_CHILD:
                unknown = child[defaultChild(node, children)];
                break;
            default:
                break;
        }
        // two children x < t and x >= t (or <= and >): when the first is false and x is not missing, the second holds
        boolean complementary = unknown != null && complementary(children);
        for (int i = 0; i < (complementary ? 1 : child.length); i++) {
            Label next = e.label();
            condition(children.get(i).requirePredicate(), child[i], complementary ? child[1] : next, unknown == null ? next : unknown);
            e.place(next);
        }
        boolean returnLast = tree.getNoTrueChildStrategy() == TreeModel.NoTrueChildStrategy.RETURN_LAST_PREDICTION && node.hasScore();
        if (returnLast) {
            if (last != null) {
                e.place(last);
                last = null;
            }
            e.leaf(slot, results.applyAsInt(node));
        } else {
            e.jump(none);
        }
        for (int i = 0; i < child.length; i++) {
            e.place(child[i]);
            enter(children.get(i));
        }
        if (last != null) {
            e.place(last);
            e.leaf(slot, results.applyAsInt(node));
        }
    }

    /**
     * Whether the two children test one numeric field against one threshold with opposite comparisons, the first
     * {@code lessThan}/{@code lessOrEqual}/{@code greaterThan}/{@code greaterOrEqual}, the second its negation: for a
     * value that is not missing exactly one holds (JPMML parses both thresholds alike; a NaN one is refused).
     */
    private boolean complementary(List<Node> children) {
        if (children.size() != 2 || !(children.get(0).requirePredicate() instanceof SimplePredicate a)
                || !(children.get(1).requirePredicate() instanceof SimplePredicate b)) {
            return false;
        }
        if (a.getField() == null || !a.getField().equals(b.getField()) || a.getValue() == null
                || !String.valueOf(a.getValue()).equals(String.valueOf(b.getValue())) || !visible.contains(a.getField())
                || features.type(features.feature(a.getField())) == DataType.STRING) {
            return false;
        }
        SimplePredicate.Operator x = a.getOperator();
        SimplePredicate.Operator y = b.getOperator();
        return (x == SimplePredicate.Operator.LESS_THAN && y == SimplePredicate.Operator.GREATER_OR_EQUAL)
                || (x == SimplePredicate.Operator.GREATER_OR_EQUAL && y == SimplePredicate.Operator.LESS_THAN)
                || (x == SimplePredicate.Operator.LESS_OR_EQUAL && y == SimplePredicate.Operator.GREATER_THAN)
                || (x == SimplePredicate.Operator.GREATER_THAN && y == SimplePredicate.Operator.LESS_OR_EQUAL);
    }

    private static int defaultChild(Node node, List<Node> children) {
        Object target = node.getDefaultChild();
        for (int i = 0; i < children.size(); i++) {
            Node c = children.get(i);
            if (c == target || (c.getId() != null && c.getId().equals(target))) {
                return i;
            }
        }
        throw new PmmlNotCovered("PMML defaultChild that names no child not covered");
    }

    /** Goes to {@code yes}, {@code no} or {@code unknown} as JPMML's three-valued predicate evaluates. */
    private void condition(Predicate predicate, Label yes, Label no, Label unknown) {
        if (predicate instanceof True) {
            e.jump(yes);
        } else if (predicate instanceof False) {
            e.jump(no);
        } else if (predicate instanceof SimplePredicate simple) {
            simple(simple, yes, no, unknown);
        } else if (predicate instanceof CompoundPredicate compound) {
            compound(compound, yes, no, unknown);
        } else if (predicate instanceof SimpleSetPredicate set) {
            set(set, yes, no, unknown);
        } else {
            throw new PmmlNotCovered("PMML predicate " + predicate.getClass().getSimpleName() + " not covered");
        }
    }

    private int feature(String field) {
        if (!visible.contains(field)) {
            throw new PmmlNotCovered("PMML field " + field + " outside the MiningSchema of its TreeModel not covered");
        }
        return features.feature(field);
    }

    private void simple(SimplePredicate p, Label yes, Label no, Label unknown) {
        int f = feature(p.requireField());
        SimplePredicate.Operator op = p.requireOperator();
        if (op == SimplePredicate.Operator.IS_MISSING) {
            e.ifMissing(f, yes);
            e.jump(no);
            return;
        }
        if (op == SimplePredicate.Operator.IS_NOT_MISSING) {
            e.ifMissing(f, no);
            e.jump(yes);
            return;
        }
        NodeMode mode = switch (op) {
            case EQUAL -> NodeMode.BRANCH_EQ;
            case NOT_EQUAL -> NodeMode.BRANCH_NEQ;
            case LESS_THAN -> NodeMode.BRANCH_LT;
            case LESS_OR_EQUAL -> NodeMode.BRANCH_LEQ;
            case GREATER_THAN -> NodeMode.BRANCH_GT;
            case GREATER_OR_EQUAL -> NodeMode.BRANCH_GTE;
            default -> throw new PmmlNotCovered("PMML operator " + op.value() + " not covered");
        };
        double threshold;
        if (mode != NodeMode.BRANCH_EQ && mode != NodeMode.BRANCH_NEQ && features.opType(f) != org.dmg.pmml.OpType.CONTINUOUS) {
            // JPMML: "Categorical value cannot be used in comparison operations" (an ordinal one orders by its Values)
            throw new PmmlNotCovered("PMML operator " + op.value() + " on " + features.opType(f).value() + " field "
                    + p.getField() + " not covered");
        }
        if (features.type(f) == DataType.STRING) {
            if (mode != NodeMode.BRANCH_EQ && mode != NodeMode.BRANCH_NEQ) {
                throw new PmmlNotCovered("PMML operator " + op.value() + " on string field " + p.getField() + " not covered");
            }
            threshold = features.code(f, String.valueOf(p.requireValue()));
        } else if (features.type(f) == DataType.INTEGER && !isInteger(p.requireValue())) {
            // JPMML's ContinuousValue compares an integer with a threshold that is no integer as doubles; equality
            // would fail the evaluation, and another optype compares otherwise
            if (mode == NodeMode.BRANCH_EQ || mode == NodeMode.BRANCH_NEQ || features.opType(f) != org.dmg.pmml.OpType.CONTINUOUS) {
                throw new PmmlNotCovered("PMML threshold '" + p.getValue() + "' on integer field " + p.getField() + " not covered");
            }
            threshold = threshold(p.requireValue(), p.getField(), DataType.DOUBLE);
        } else {
            threshold = threshold(p.requireValue(), p.getField(), features.type(f));
        }
        if (unknown == yes) {
            e.branch(f, mode, threshold, true, yes);
        } else if ((unknown == no && mode != NodeMode.BRANCH_NEQ) || features.neverMissing(f)) {
            e.branch(f, mode, threshold, false, yes);
        } else {
            e.ifMissing(f, unknown);
            e.branch(f, mode, threshold, false, yes);
        }
        e.jump(no);
    }

    /**
     * The threshold as JPMML compares it: parsed or cast in the field's type (a float field against a float). A
     * NaN or negative-zero threshold orders differently under {@code Float/Double.compareTo} than under IEEE
     * comparison, so it is left to JPMML.
     */
    private static double threshold(Object value, String field, DataType type) {
        Object parsed;
        try {
            parsed = TypeUtil.parseOrCast(type, value);
        } catch (RuntimeException e) {
            throw new PmmlNotCovered("PMML threshold '" + value + "' on field " + field + " not covered");
        }
        double t = ((Number) parsed).doubleValue();
        if (Double.isNaN(t) || (t == 0 && Double.doubleToRawLongBits(t) != 0)) {
            throw new PmmlNotCovered("PMML threshold " + t + " on field " + field + " not covered");
        }
        return t;
    }

    private static boolean isInteger(Object value) {
        try {
            TypeUtil.parseOrCast(DataType.INTEGER, value);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code isIn}: equal to one of the values (in the field's type); {@code isNotIn}: to none. Missing: UNKNOWN. */
    private void set(SimpleSetPredicate p, Label yes, Label no, Label unknown) {
        int f = feature(p.requireField());
        boolean in = p.requireBooleanOperator() == SimpleSetPredicate.BooleanOperator.IS_IN;
        List<?> values = org.jpmml.evaluator.ArrayUtil.getContent(p.requireArray());
        Label hit = in ? yes : no;
        Label miss = in ? no : yes;
        if (unknown != miss && !features.neverMissing(f)) {
            e.ifMissing(f, unknown);
        }
        for (Object value : values) {
            double t = features.type(f) == DataType.STRING ? features.code(f, String.valueOf(value))
                    : threshold(value, p.getField(), features.type(f));
            e.branch(f, NodeMode.BRANCH_EQ, t, false, hit);
        }
        e.jump(miss);
    }

    private void compound(CompoundPredicate p, Label yes, Label no, Label unknown) {
        List<Predicate> parts = p.requirePredicates();
        if (parts.size() < 2) {
            throw new PmmlNotCovered("PMML CompoundPredicate with fewer than two predicates not covered");
        }
        int n = parts.size();
        switch (p.requireBooleanOperator()) {
            case SURROGATE:
                for (int i = 0; i < n - 1; i++) {
                    Label next = e.label();
                    condition(parts.get(i), yes, no, next);
                    e.place(next);
                }
                condition(parts.get(n - 1), yes, no, unknown);
                return;
            case AND:
            case OR:
                threeValued(parts, p.requireBooleanOperator() == CompoundPredicate.BooleanOperator.AND, yes, no, unknown);
                return;
            default:
                throw new PmmlNotCovered("PMML CompoundPredicate " + p.requireBooleanOperator().value() + " not covered");
        }
    }

    /**
     * JPMML's {@code binaryAnd}/{@code binaryOr} over every part: for {@code and} a false part decides, else an
     * unknown one, else true ({@code or} the dual). Two chains of tests: one while every part so far was decisive-free
     * and known, one once a part was unknown.
     */
    private void threeValued(List<Predicate> parts, boolean and, Label yes, Label no, Label unknown) {
        Label known = null;
        Label sawUnknown = null;
        int n = parts.size();
        for (int i = 0; i < n; i++) {
            boolean lastPart = i == n - 1;
            Label knownNext = lastPart ? (and ? yes : no) : e.label();
            Label unknownNext = lastPart ? unknown : e.label();
            if (known != null) {
                e.place(known);
            }
            if (and) {
                condition(parts.get(i), knownNext, no, unknownNext);
            } else {
                condition(parts.get(i), yes, knownNext, unknownNext);
            }
            if (sawUnknown != null) {
                e.place(sawUnknown);
                if (and) {
                    condition(parts.get(i), unknownNext, no, unknownNext);
                } else {
                    condition(parts.get(i), yes, unknownNext, unknownNext);
                }
            }
            known = lastPart ? null : knownNext;
            sawUnknown = lastPart ? null : unknownNext;
        }
    }
}

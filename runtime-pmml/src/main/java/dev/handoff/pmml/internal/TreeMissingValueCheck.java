package dev.handoff.pmml.internal;

import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.spi.ScorerProvider.ModelSource;
import org.dmg.pmml.PMML;
import org.dmg.pmml.VisitorAction;
import org.dmg.pmml.tree.Node;
import org.dmg.pmml.tree.TreeModel;
import org.jpmml.model.visitors.AbstractVisitor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Refuses at load the tree markup that JPMML-Evaluator accepts when it builds the evaluator but fails
 * on only when a record with a missing value reaches it: {@code missingValueStrategy}
 * {@code weightedConfidence} and {@code aggregateNodes}, which it does not implement, and
 * {@code defaultChild} without a {@code defaultChild} attribute naming a child of every split Node.
 * Without this check such a model would load, score complete records, and fail a whole call at the
 * first missing value, which the default missing-value policy hands to the model.
 *
 * <pre>{@code
 * TreeMissingValueCheck.check(source, pmml);   // throws ModelLoadException naming the tree and the node
 * }</pre>
 */
final class TreeMissingValueCheck extends AbstractVisitor {
    private final ModelSource source;

    private TreeMissingValueCheck(ModelSource source) {
        this.source = source;
    }

    static void check(ModelSource source, PMML pmml) {
        new TreeMissingValueCheck(source).applyTo(pmml);
    }

    @Override
    public VisitorAction visit(TreeModel tree) {
        TreeModel.MissingValueStrategy strategy = tree.getMissingValueStrategy();
        if (strategy == TreeModel.MissingValueStrategy.WEIGHTED_CONFIDENCE
                || strategy == TreeModel.MissingValueStrategy.AGGREGATE_NODES) {
            throw refuse(tree, "missingValueStrategy '" + strategy.value() + "', which JPMML-Evaluator does not implement "
                    + "(it would fail on the first record with a missing value)");
        }
        if (strategy == TreeModel.MissingValueStrategy.DEFAULT_CHILD && tree.getNode() != null) {
            checkDefaultChildren(tree);
        }
        return super.visit(tree);
    }

    /** Every Node with children names one of them as its defaultChild, as the PMML specification requires. */
    private void checkDefaultChildren(TreeModel tree) {
        Deque<Node> pending = new ArrayDeque<>(); // iterative: trees can be deep
        pending.push(tree.getNode());
        while (!pending.isEmpty()) {
            Node node = pending.pop();
            if (!node.hasNodes()) {
                continue;
            }
            Object defaultChild = node.getDefaultChild();
            if (defaultChild == null) {
                throw refuse(tree, "missingValueStrategy 'defaultChild', but the Node" + id(node)
                        + " has children and no defaultChild attribute, so a missing value there cannot be routed");
            }
            boolean found = false;
            for (Node child : node.getNodes()) {
                // JPMML's transformers replace the id by the child Node itself; otherwise it is the id as written
                found |= child == defaultChild || child.getId() != null && Objects.equals(String.valueOf(child.getId()),
                        String.valueOf(defaultChild));
                pending.push(child);
            }
            if (!found) {
                Object named = defaultChild instanceof Node n ? n.getId() : defaultChild;
                throw refuse(tree, "missingValueStrategy 'defaultChild', but the Node" + id(node) + " names defaultChild '"
                        + named + "', which is not the id of one of its children");
            }
        }
    }

    private ModelLoadException refuse(TreeModel tree, String problem) {
        String name = tree.getModelName() == null ? "" : " '" + tree.getModelName() + "'";
        return new ModelLoadException(source.name(), ModelFormat.PMML, "the TreeModel" + name + " uses " + problem, null);
    }

    private static String id(Node node) {
        return node.getId() == null ? "" : " '" + node.getId() + "'";
    }
}

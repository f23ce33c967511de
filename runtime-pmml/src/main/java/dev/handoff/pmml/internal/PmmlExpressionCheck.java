package dev.handoff.pmml.internal;

import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.spi.ScorerProvider.ModelSource;
import org.dmg.pmml.Apply;
import org.dmg.pmml.DefineFunction;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.Expression;
import org.dmg.pmml.Model;
import org.dmg.pmml.OutputField;
import org.dmg.pmml.PMML;
import org.dmg.pmml.PMMLObject;
import org.dmg.pmml.ParameterField;
import org.dmg.pmml.VisitorAction;
import org.dmg.pmml.tree.Node;
import org.jpmml.model.visitors.AbstractVisitor;
import org.jpmml.model.visitors.ActiveFieldFinder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Refuses a PMML document whose derived fields, output fields or functions are defined through
 * themselves, or whose evaluation would nest deeper than {@code PmmlOptions.maxExpressionDepth}.
 *
 * <p>JPMML evaluates a field by evaluating its expression, and a field reference inside it by
 * evaluating that field, recursively, on the caller's thread. Two derived fields that refer to each
 * other, a function that calls itself, or a chain of 800 derived fields each one step from the next
 * all load, and then every call overflows the stack. The element depth limit does not see them,
 * because the nesting is through names, not elements.
 *
 * <p>The depth of a definition is the nesting of its expression plus the depth of the deepest
 * definition it refers to. Names resolve as JPMML resolves them: a model's own derived and output
 * fields, then its enclosing models', then the document's; a function body sees its parameters.
 * Where this resolution is coarser than JPMML's (outputs of earlier segments of a model chain are not
 * followed), evaluation still catches a {@link StackOverflowError} and reports it as a scoring failure.
 */
final class PmmlExpressionCheck {
    private final ModelSource source;
    private final int maxDepth;

    private final Scope document = new Scope(null, Set.of());
    private final Map<String, Definition> functions = new HashMap<>();
    private final Map<Model, Scope> modelScopes = new IdentityHashMap<>();
    private final List<Definition> definitions = new ArrayList<>();

    private PmmlExpressionCheck(ModelSource source, int maxDepth) {
        this.source = source;
        this.maxDepth = maxDepth;
    }

    static void check(ModelSource source, PMML pmml, int maxDepth) {
        PmmlExpressionCheck check = new PmmlExpressionCheck(source, maxDepth);
        check.collect(pmml);
        for (Definition d : check.definitions) {
            check.depth(d);
        }
    }

    /** A name's definition: its expression's own nesting, and the names and functions it refers to. */
    private static final class Definition {
        final String kind;
        final String name;
        final Scope scope;
        final int ownDepth;
        final Set<String> fields;
        final Set<String> calls;
        int depth = -1;            // computed: own nesting plus the deepest dependency
        Definition deepest;        // the dependency that gives the depth, for the message
        boolean onPath;

        Definition(String kind, String name, Scope scope, Expression expression) {
            this.kind = kind;
            this.name = name;
            this.scope = scope;
            ExpressionShape shape = new ExpressionShape();
            if (expression != null) {
                shape.applyTo(expression);
                this.fields = ActiveFieldFinder.getFieldNames(expression);
            } else {
                this.fields = Set.of();
            }
            this.ownDepth = shape.depth;
            this.calls = shape.calls;
        }

        String describe() {
            return kind + " '" + name + "'";
        }
    }

    /** Where a name resolves: a model's fields, then the enclosing scopes'; a function's parameters are leaves. */
    private static final class Scope {
        final Scope parent;
        final Set<String> parameters;
        final Map<String, Definition> derived = new HashMap<>();
        final Map<String, Definition> outputs = new HashMap<>();

        Scope(Scope parent, Set<String> parameters) {
            this.parent = parent;
            this.parameters = parameters;
        }

        Definition resolve(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.parameters.contains(name)) {
                    return null;
                }
                Definition d = s.derived.get(name);
                if (d == null) {
                    d = s.outputs.get(name);
                }
                if (d != null) {
                    return d;
                }
            }
            return null; // a data field, or a name JPMML itself will report
        }
    }

    /** The nesting depth of an expression, and the functions it calls. */
    private static final class ExpressionShape extends AbstractVisitor {
        int depth;
        final Set<String> calls = new LinkedHashSet<>();

        @Override
        public VisitorAction visit(Expression expression) {
            int d = 1;
            for (PMMLObject parent : getParents()) {
                if (parent instanceof Expression) {
                    d++;
                }
            }
            depth = Math.max(depth, d);
            return super.visit(expression);
        }

        @Override
        public VisitorAction visit(Apply apply) {
            if (apply.getFunction() != null) {
                calls.add(apply.getFunction());
            }
            return super.visit(apply);
        }
    }

    private void collect(PMML pmml) {
        new AbstractVisitor() {
            @Override
            public VisitorAction visit(Model model) {
                modelScopes.put(model, new Scope(enclosingScope(getParents()), Set.of()));
                return super.visit(model);
            }

            @Override
            public VisitorAction visit(DerivedField field) {
                Scope scope = enclosingScope(getParents());
                add(scope.derived, new Definition("field", field.getName(), scope, field.getExpression()));
                return VisitorAction.SKIP;
            }

            @Override
            public VisitorAction visit(OutputField field) {
                Scope scope = enclosingScope(getParents());
                add(scope.outputs, new Definition("output field", field.getName(), scope, field.getExpression()));
                return VisitorAction.SKIP;
            }

            @Override
            public VisitorAction visit(DefineFunction function) {
                Set<String> parameters = new HashSet<>();
                for (ParameterField p : function.getParameterFields()) {
                    parameters.add(p.getName());
                }
                Definition d = new Definition("function", function.getName(), new Scope(document, parameters),
                        function.getExpression());
                functions.putIfAbsent(function.getName(), d);
                definitions.add(d);
                return VisitorAction.SKIP;
            }

            @Override
            public VisitorAction visit(Node node) {
                return VisitorAction.SKIP; // tree nodes define no fields; skipping them keeps big ensembles fast
            }
        }.applyTo(pmml);
    }

    private Scope enclosingScope(Deque<PMMLObject> parents) {
        for (PMMLObject parent : parents) { // nearest first
            if (parent instanceof Model model) {
                return modelScopes.get(model);
            }
        }
        return document;
    }

    private void add(Map<String, Definition> names, Definition d) {
        if (d.name != null) {
            names.putIfAbsent(d.name, d);
        }
        definitions.add(d);
    }

    private List<Definition> dependencies(Definition d) {
        List<Definition> deps = new ArrayList<>(d.fields.size() + d.calls.size());
        for (String field : d.fields) {
            Definition target = d.scope.resolve(field);
            if (target != null) {
                deps.add(target);
            }
        }
        for (String call : d.calls) {
            Definition target = functions.get(call);
            if (target != null) {
                deps.add(target);
            }
        }
        return deps;
    }

    /** Depth-first, with an explicit stack: a hostile chain must not overflow this check either. */
    private void depth(Definition root) {
        if (root.depth >= 0) {
            return;
        }
        Deque<Definition> path = new ArrayDeque<>();
        Deque<Iterator<Definition>> pending = new ArrayDeque<>();
        root.onPath = true;
        path.push(root);
        pending.push(dependencies(root).iterator());
        while (!path.isEmpty()) {
            Definition current = path.peek();
            Iterator<Definition> next = pending.peek();
            if (next.hasNext()) {
                Definition dep = next.next();
                if (dep.onPath) {
                    throw cycle(path, dep);
                }
                if (dep.depth < 0) {
                    dep.onPath = true;
                    path.push(dep);
                    pending.push(dependencies(dep).iterator());
                }
                continue;
            }
            int deepest = 0;
            for (Definition dep : dependencies(current)) {
                if (dep.depth > deepest) {
                    deepest = dep.depth;
                    current.deepest = dep;
                }
            }
            current.depth = current.ownDepth + deepest;
            current.onPath = false;
            path.pop();
            pending.pop();
            if (current.depth > maxDepth) {
                throw tooDeep(current);
            }
        }
    }

    private ModelLoadException cycle(Deque<Definition> path, Definition repeated) {
        List<String> names = new ArrayList<>();
        names.add("'" + repeated.name + "'");
        for (Definition d : path) { // innermost first
            names.add("'" + d.name + "'");
            if (d == repeated) {
                break;
            }
        }
        java.util.Collections.reverse(names);
        return new ModelLoadException(source.name(), ModelFormat.PMML, "the " + repeated.describe()
                + " is defined through itself (" + String.join(" -> ", abbreviate(names)) + "), so evaluating it would never end");
    }

    private ModelLoadException tooDeep(Definition d) {
        List<String> names = new ArrayList<>();
        for (Definition step = d; step != null; step = step.deepest) {
            names.add("'" + step.name + "'");
        }
        return new ModelLoadException(source.name(), ModelFormat.PMML, "evaluating the " + d.describe() + " nests "
                + d.depth + " expressions and references deep (" + String.join(" -> ", abbreviate(names))
                + "), more than PmmlOptions.maxExpressionDepth (" + maxDepth + "), which keeps evaluation within a "
                + "thread's stack; raise it, with the stack size (-Xss), if this document is trusted");
    }

    /** The first three and the last two of a long path. */
    private static List<String> abbreviate(List<String> names) {
        if (names.size() <= 6) {
            return names;
        }
        List<String> out = new ArrayList<>(names.subList(0, 3));
        out.add("... " + (names.size() - 5) + " more");
        out.addAll(names.subList(names.size() - 2, names.size()));
        return out;
    }
}

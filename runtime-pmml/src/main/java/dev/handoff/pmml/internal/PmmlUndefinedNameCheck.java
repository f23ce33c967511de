package dev.handoff.pmml.internal;

import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.spi.ScorerProvider.ModelSource;
import org.dmg.pmml.Apply;
import org.dmg.pmml.DefineFunction;
import org.dmg.pmml.Field;
import org.dmg.pmml.PMML;
import org.dmg.pmml.VisitorAction;
import org.dmg.pmml.tree.Node;
import org.jpmml.evaluator.FunctionRegistry;
import org.jpmml.model.PMMLException;
import org.jpmml.model.visitors.AbstractVisitor;
import org.jpmml.model.visitors.ActiveFieldFinder;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses a PMML document that refers to a field or calls a function that nothing defines.
 *
 * <p>JPMML resolves names only while evaluating, and reports an unknown one as a missing value; such a
 * model would load and then answer every record with "no prediction", blaming each record for a fault
 * of the model. The check is document-wide: a field defined anywhere (data field, derived field,
 * output field, function parameter) counts as defined, so it never refuses a document JPMML could
 * evaluate; a function is defined by a {@code DefineFunction} or known to JPMML's function registry.
 */
final class PmmlUndefinedNameCheck {
    private PmmlUndefinedNameCheck() {
    }

    static void check(ModelSource source, PMML pmml) {
        Set<String> fields = new HashSet<>();
        Set<String> functions = new HashSet<>();
        Set<String> calls = new TreeSet<>();
        new AbstractVisitor() {
            @Override
            public VisitorAction visit(Field<?> field) { // data, derived, output and parameter fields
                fields.add(field.getName());
                return super.visit(field);
            }

            @Override
            public VisitorAction visit(DefineFunction function) {
                functions.add(function.getName());
                return super.visit(function);
            }

            @Override
            public VisitorAction visit(Apply apply) {
                if (apply.getFunction() != null) {
                    calls.add(apply.getFunction());
                }
                return super.visit(apply);
            }

            @Override
            public VisitorAction visit(Node node) {
                return VisitorAction.SKIP; // tree nodes define no fields and call no functions
            }
        }.applyTo(pmml);
        Set<String> undefined = new TreeSet<>();
        for (String name : ActiveFieldFinder.getFieldNames(pmml)) {
            if (name != null && !fields.contains(name)) {
                undefined.add(name);
            }
        }
        if (!undefined.isEmpty()) {
            throw refused(source, undefined.size() == 1 ? "the field " : "the fields ", undefined);
        }
        for (String call : calls) {
            if (!functions.contains(call) && !isBuiltIn(call)) {
                undefined.add(call);
            }
        }
        if (!undefined.isEmpty()) {
            throw refused(source, undefined.size() == 1 ? "the function " : "the functions ", undefined);
        }
    }

    private static boolean isBuiltIn(String function) {
        try {
            return FunctionRegistry.getFunction(function) != null;
        } catch (PMMLException e) {
            return false; // a class of that name exists but is no JPMML function
        }
    }

    private static ModelLoadException refused(ModelSource source, String what, Set<String> names) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (String name : names) {
            if (shown == 5) {
                sb.append(" and ").append(names.size() - shown).append(" more");
                break;
            }
            sb.append(shown == 0 ? "" : ", ").append('\'').append(name).append('\'');
            shown++;
        }
        return new ModelLoadException(source.name(), ModelFormat.PMML, "the document refers to " + what + sb
                + ", which it does not define; every record would get no prediction");
    }
}

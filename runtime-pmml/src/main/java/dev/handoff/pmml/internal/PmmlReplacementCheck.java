package dev.handoff.pmml.internal;

import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.spi.ScorerProvider.ModelSource;
import org.dmg.pmml.DataField;
import org.dmg.pmml.DataType;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.PMML;
import org.dmg.pmml.VisitorAction;
import org.dmg.pmml.tree.Node;
import org.jpmml.evaluator.TypeUtil;
import org.jpmml.model.visitors.AbstractVisitor;

import java.util.HashMap;
import java.util.Map;

/**
 * Refuses a PMML document whose missing- or invalid-value replacement cannot be read as its field's
 * data type. JPMML parses a replacement only when a record needs it, so a model with
 * {@code missingValueReplacement="201q.88"} would load and then fail the first record with a missing value.
 */
final class PmmlReplacementCheck {
    private PmmlReplacementCheck() {
    }

    static void check(ModelSource source, PMML pmml) {
        Map<String, DataType> types = new HashMap<>();
        if (pmml.getDataDictionary() != null && pmml.getDataDictionary().hasDataFields()) {
            for (DataField field : pmml.getDataDictionary().getDataFields()) {
                types.put(field.getName(), field.getDataType());
            }
        }
        new AbstractVisitor() {
            @Override
            public VisitorAction visit(MiningField field) {
                DataType type = types.get(field.getName());
                if (type != null) {
                    readable(source, field, type, "missing", field.getMissingValueReplacement());
                    readable(source, field, type, "invalid", field.getInvalidValueReplacement());
                }
                return super.visit(field);
            }

            @Override
            public VisitorAction visit(Node node) {
                return VisitorAction.SKIP; // tree nodes hold no mining fields
            }
        }.applyTo(pmml);
    }

    private static void readable(ModelSource source, MiningField field, DataType type, String which, Object replacement) {
        if (replacement == null) {
            return;
        }
        try {
            TypeUtil.parseOrCast(type, replacement);
        } catch (RuntimeException e) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "the " + which + "-value replacement '" + replacement
                    + "' of the field '" + field.getName() + "' cannot be read as its type " + type.value() + " (" + e + ")", e);
        }
    }
}

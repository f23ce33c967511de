package dev.handoff.pmml.internal;

import dev.handoff.InputField;
import dev.handoff.Verification;
import dev.handoff.VerificationCase;
import dev.handoff.internal.LogText;
import com.google.common.collect.Table;
import org.dmg.pmml.InlineTable;
import org.dmg.pmml.Model;
import org.dmg.pmml.ModelVerification;
import org.dmg.pmml.VerificationField;
import org.dmg.pmml.VerificationFields;
import org.jpmml.evaluator.InlineTableUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A PMML document's own golden cases ({@code <ModelVerification>}) as a {@link Verification}, so that
 * they run through {@link dev.handoff.Scorer#verify} and give the same report as the data scientist's
 * files. Input fields become the case's record; every other verification field (the target, an
 * OutputField such as {@code probability(1)}) an expected named output. The tolerance is the largest
 * {@code precision} (relative, PMML default 1e-6) and {@code zeroThreshold} (absolute, default 1e-16)
 * the fields declare.
 */
final class PmmlEmbeddedCases {
    private static final Logger LOG = LoggerFactory.getLogger(PmmlEmbeddedCases.class);
    private static final double DEFAULT_PRECISION = 1e-6;
    private static final double DEFAULT_ZERO_THRESHOLD = 1e-16;

    private PmmlEmbeddedCases() {
    }

    /** The cases, or empty when the document has none or they cannot be read (a WARN says why; the model still loads). */
    static Optional<Verification> read(String source, Model model, List<InputField> inputs) {
        try {
            return cases(source, model, inputs);
        } catch (RuntimeException e) {
            LOG.warn("The <ModelVerification> cases of {} cannot be read, so Scorer.embeddedVerification() is empty: {}",
                    LogText.safe(source, 1_000), LogText.safe(e.toString(), 1_000));
            return Optional.empty();
        }
    }

    private static Optional<Verification> cases(String source, Model model, List<InputField> inputs) {
        ModelVerification verification = model.getModelVerification();
        if (verification == null) {
            return Optional.empty();
        }
        VerificationFields fields = verification.getVerificationFields();
        InlineTable inlineTable = verification.getInlineTable();
        if (fields == null || !fields.hasVerificationFields() || inlineTable == null) {
            return Optional.empty();
        }
        Set<String> inputNames = inputs.stream().map(InputField::name).collect(Collectors.toSet());
        Table<Integer, String, Object> table = InlineTableUtil.getContent(inlineTable);
        double precision = 0;
        double zeroThreshold = 0;
        for (VerificationField field : fields.getVerificationFields()) {
            precision = Math.max(precision, field.getPrecision() == null ? DEFAULT_PRECISION : field.getPrecision().doubleValue());
            zeroThreshold = Math.max(zeroThreshold, field.getZeroThreshold() == null ? DEFAULT_ZERO_THRESHOLD
                    : field.getZeroThreshold().doubleValue());
        }
        List<VerificationCase> cases = new ArrayList<>();
        for (Integer row : table.rowKeySet()) {
            Map<String, Object> cells = table.row(row);
            Map<String, Object> record = new LinkedHashMap<>();
            Map<String, Object> expected = new LinkedHashMap<>();
            for (VerificationField field : fields.getVerificationFields()) {
                String column = field.getColumn() != null ? field.getColumn() : field.getField();
                Object cell = cells.get(column);
                if (inputNames.contains(field.getField())) {
                    record.put(field.getField(), cell);
                } else if (cell != null) {
                    expected.put(field.getField(), cell);
                }
            }
            VerificationCase.Builder c = VerificationCase.builder(record).name("ModelVerification row " + (cases.size() + 1));
            expected.forEach((name, value) -> c.output(name, value instanceof Number ? value : String.valueOf(value)));
            if (expected.isEmpty()) {
                c.noPrediction();
            }
            cases.add(c.build());
        }
        if (cases.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Verification.of(source + " <ModelVerification>", cases).withTolerance(zeroThreshold, precision));
    }
}

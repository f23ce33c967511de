package dev.handoff.pmml.internal;

import org.dmg.pmml.Model;
import org.dmg.pmml.PMML;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.HasModel;
import org.jpmml.evaluator.ModelEvaluatorBuilder;
import org.jpmml.evaluator.visitors.ModelEvaluatorVisitorBattery;
import org.jpmml.model.PMMLUtil;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * The compiled tree engine's plan of a PMML document, read as {@code PmmlScorerProvider} reads it, for tests and tools
 * that work below the scorer.
 *
 * <pre>{@code
 * PmmlTreePlan plan = PmmlTreePlans.read(document);   // PmmlNotCovered when the engine does not cover it
 * }</pre>
 */
final class PmmlTreePlans {
    private PmmlTreePlans() {
    }

    static PmmlTreePlan read(String document) {
        return read(document.getBytes(StandardCharsets.UTF_8));
    }

    static PmmlTreePlan read(byte[] document) {
        try {
            PMML pmml = PMMLUtil.unmarshal(new ByteArrayInputStream(document));
            new ModelEvaluatorVisitorBattery(false).applyTo(pmml); // as PmmlDocumentParser: scores parsed into numbers
            Evaluator evaluator = new ModelEvaluatorBuilder(pmml).build();
            Model model = ((HasModel<?>) evaluator).getModel();
            return PmmlTreeReader.read(pmml, model, PmmlSignature.of(evaluator, pmml));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

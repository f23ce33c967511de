package dev.handoff.pmml.internal;

import dev.handoff.pmml.PmmlOptions;

import dev.handoff.ModelFormat;
import dev.handoff.ModelInfo;
import dev.handoff.ModelLoadException;
import dev.handoff.ScorerOptions;
import dev.handoff.internal.LogText;
import dev.handoff.internal.tree.TreeBackend;
import dev.handoff.internal.tree.TreeEngines;
import dev.handoff.spi.ScoringEngine;
import dev.handoff.spi.ScorerProvider.ModelSource;
import dev.handoff.spi.ScorerProvider;
import org.dmg.pmml.Model;
import org.dmg.pmml.PMML;
import org.jpmml.evaluator.EvaluationException;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.HasModel;
import org.jpmml.evaluator.ModelEvaluatorBuilder;
import org.jpmml.model.PMMLException;
import org.jpmml.model.UnsupportedMarkupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The PMML runtime of Handoff, found by {@link java.util.ServiceLoader}; applications do not call it
 * directly but put {@code handoff-runtime-pmml} on the class path and load models through the Scorer.
 *
 * <pre>{@code
 * try (Scorer scorer = Scorer.load(Path.of("churn.pmml"),
 *         ScorerOptions.builder().runtime(PmmlOptions.builder().verifyAtLoad(true).build()).build())) {
 *     Prediction p = scorer.score(Map.of("tenure_months", 14, "plan", "plus"));
 * }
 * }</pre>
 *
 * <p>Models are evaluated by JPMML-Evaluator (AGPL-3.0). The document is parsed by a hardened parser
 * (see {@link PmmlOptions}), the evaluator is built and, by default, the document's own
 * {@code <ModelVerification>} cases are run, so a model that loads is one JPMML can score. When
 * {@code ScorerOptions.compiledTrees()} is on (the default) and {@link PmmlTreeReader} covers the model, the compiled
 * tree engine serves it ({@link PmmlTreeModel}) with JPMML's answers; the evaluator is built all the same, so every
 * load check stays. {@code ModelInfo.metadata()} names the engine under {@code TreeEngines.METADATA_KEY}.
 */
public final class PmmlScorerProvider implements ScorerProvider {
    private static final Logger LOG = LoggerFactory.getLogger(PmmlScorerProvider.class);

    /** Called by {@link java.util.ServiceLoader}. */
    public PmmlScorerProvider() {
    }

    @Override
    public ModelFormat format() {
        return ModelFormat.PMML;
    }

    @Override
    public ScoringEngine load(ModelSource source, ScorerOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        PmmlOptions settings = options.runtime(PmmlOptions.class).orElse(PmmlOptions.defaults());
        long started = System.nanoTime();
        try {
            PMML pmml = new PmmlDocumentParser(settings.maxElementDepth(), settings.maxElements()).parse(source);
            PmmlUndefinedNameCheck.check(source, pmml);
            PmmlExpressionCheck.check(source, pmml, settings.maxExpressionDepth());
            PmmlRegexCheck.check(source, pmml);
            PmmlReplacementCheck.check(source, pmml);
            Evaluator evaluator = build(source, pmml);
            TreeMissingValueCheck.check(source, pmml);
            Model model = ((HasModel<?>) evaluator).getModel();
            boolean verified = settings.verifyAtLoad() && model.getModelVerification() != null;
            if (verified) {
                verify(source, evaluator);
            }
            PmmlSignature signature = PmmlSignature.of(evaluator, pmml);
            checkOptions(source, options, signature);
            ModelInfo read = PmmlModelInfoReader.read(source, pmml, model, signature.task, verified);
            PmmlTreePlan plan = null;
            String engine = null;
            try {
                if (options.compiledTrees()) {
                    plan = PmmlTreeReader.read(pmml, model, signature);
                } else {
                    engine = TreeEngines.runtime(TreeEngines.SWITCHED_OFF); // the trees are not read at all
                }
            } catch (PmmlNotCovered e) {
                engine = TreeEngines.runtime(e.getMessage());
            } catch (RuntimeException e) {
                // markup JPMML accepts but the tree reader cannot follow: JPMML serves it as before
                LOG.debug("The compiled tree engine cannot read {}: {}", LogText.safe(source.name(), 1_000), e.toString());
                plan = null;
                engine = TreeEngines.runtime("PMML markup the compiled tree engine cannot read: "
                        + LogText.safe(e.getClass().getSimpleName() + " " + e.getMessage(), 200));
            } catch (StackOverflowError e) {
                plan = null;
                engine = TreeEngines.runtime("PMML nested too deeply for the compiled tree engine");
            }
            TreeBackend backend = null;
            if (engine == null) {
                backend = TreeEngines.backendFor(plan.ensemble);
                engine = TreeEngines.compiled(backend);
            }
            ModelInfo info = withEngine(read, engine);
            LOG.debug("Built JPMML evaluator for {} ({} {}, {} inputs, {} outputs, verification {}) in {} ms",
                    LogText.safe(source.name(), 1_000), model.getClass().getSimpleName(), signature.task, signature.inputs.size(),
                    signature.outputs.size(), verified ? "passed" : "not run", (System.nanoTime() - started) / 1_000_000);
            PmmlModel runtime = new PmmlModel(info, signature, evaluator, PmmlEmbeddedCases.read(source.name(), model, signature.inputs));
            LOG.debug("PMML model {}: engine {}", LogText.safe(source.name(), 1_000), engine);
            return backend == null ? runtime : new PmmlTreeModel(runtime, info, signature, plan, backend);
        } catch (ModelLoadException e) {
            throw e;
        } catch (UnsupportedMarkupException e) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML,
                    "the model uses a PMML feature that JPMML-Evaluator does not support: " + e.getMessage(), e);
        } catch (PMMLException e) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "the PMML is invalid: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            // JPMML walks the class model recursively; a document within maxElementDepth can still be
            // too deep for a thread with a small stack
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "the document is nested too deeply for the "
                    + "loading thread's stack; lower PmmlOptions.maxElementDepth or raise the stack size (-Xss)", null);
        } catch (RuntimeException e) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "JPMML-Evaluator cannot use the model: " + e, e);
        }
    }

    private static ModelInfo withEngine(ModelInfo info, String engine) {
        Map<String, String> metadata = new LinkedHashMap<>(info.metadata());
        metadata.put(TreeEngines.METADATA_KEY, engine);
        return new ModelInfo(info.source(), info.format(), info.task(), info.producer(), info.description(), info.sha256(),
                metadata);
    }

    /**
     * ScorerOptions that do not fit the model fail here rather than being ignored (ONNX-only settings, such as
     * {@code OnnxOptions.featureNames}, are refused before, as runtime options for another format).
     */
    private static void checkOptions(ModelSource source, ScorerOptions options, PmmlSignature signature) {
        if (!options.classes().isEmpty() && !options.classes().equals(signature.classes)) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "the classes given in ScorerOptions "
                    + options.classes() + " differ from the classes the model declares " + signature.classes);
        }
    }

    private static Evaluator build(ModelSource source, PMML pmml) {
        if (!pmml.hasModels()) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML,
                    "the document has no model element (for example <RegressionModel> or <MiningModel>)");
        }
        return new ModelEvaluatorBuilder(pmml).build();
    }

    /** Runs the document's own golden cases; JPMML reports the first mismatch as an evaluation failure. */
    private static void verify(ModelSource source, Evaluator evaluator) {
        try {
            evaluator.verify();
        } catch (EvaluationException e) {
            throw new ModelLoadException(source.name(), ModelFormat.PMML, "the model fails its own embedded "
                    + "<ModelVerification> cases: " + e.getMessage()
                    + " (set PmmlOptions.verifyAtLoad(false) to load it anyway)", e);
        }
    }
}

package dev.handoff.pmml.internal;

import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.internal.tree.TreeEnsemble;
import org.dmg.pmml.DataType;
import org.dmg.pmml.DerivedField;
import org.dmg.pmml.LocalTransformations;
import org.dmg.pmml.MathContext;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.MiningSchema;
import org.dmg.pmml.Model;
import org.dmg.pmml.Output;
import org.dmg.pmml.PMML;
import org.dmg.pmml.Target;
import org.dmg.pmml.Targets;
import org.dmg.pmml.TransformationDictionary;
import org.dmg.pmml.True;
import org.dmg.pmml.mining.MiningModel;
import org.dmg.pmml.mining.Segment;
import org.dmg.pmml.mining.Segmentation;
import org.dmg.pmml.tree.Node;
import org.dmg.pmml.tree.TreeModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a PMML tree model (already parsed into JPMML's class model) into the tree engine: a {@link TreeEnsemble}
 * whose leaves name per-tree results, the {@link PmmlFeatures} that build its rows from the bound inputs, and the
 * head that turns per-tree results into JPMML's answer. A model it does not cover throws {@link PmmlNotCovered}
 * with the reason.
 *
 * <pre>{@code
 * PmmlTreePlan plan = PmmlTreeReader.read(pmml, model, signature);   // or PmmlNotCovered
 * }</pre>
 *
 * <p>Covered: a {@code TreeModel} (regression, or classification with {@code ScoreDistribution}s), and a
 * {@code MiningModel} whose {@code Segmentation} (every segment predicate {@code True}) {@code sum}s, {@code average}s
 * (both ignoring segment weights, as JPMML does), {@code weightedAverage}s, {@code weightedSum}s, {@code median}s or
 * {@code weightedMedian}s regression trees ({@link PmmlSegmentAggregation}), {@code average}s, {@code majorityVote}s,
 * {@code weightedAverage}s, {@code weightedMajorityVote}s, {@code median}s or {@code max}es classification trees
 * ({@link PmmlAggregatedForest}), or chains ({@code modelChain})
 * sums of regression trees into a {@code RegressionModel} classifier, or into a one-table {@code RegressionModel}
 * regression ({@link PmmlRegressionChainReader}); with the {@code Target} rescaling, the
 * {@code x-mathContext} of each level, and the preprocessing {@link PmmlFeatures} reads. Anything else, and markup
 * JPMML would refuse only when it first evaluates a segment (repeated Node ids or MiningFields), is left to JPMML with
 * the reason.
 *
 * <p>The IR is not extended: {@link PmmlNodeEmitter} encodes multiway nodes, three-valued predicates and every
 * missing-value strategy with the binary node modes of {@link TreeEnsemble} (NaN thresholds, shared subtrees), so
 * every backend serves the result. Each leaf weighs the ordinal of its PMML result in its tree's output slot;
 * the heads ({@link PmmlRegressionHead}, {@link PmmlClassificationHead}) compute JPMML's answer from the ordinals.
 */
final class PmmlTreeReader {
    private final PMML pmml;
    private final PmmlSignature signature;
    private final Map<String, DerivedField> derived = new HashMap<>();
    private final Map<String, MiningField> topMiningFields = new HashMap<>();
    private PmmlFeatures features;
    private final PmmlNodeEmitter emitter = new PmmlNodeEmitter();
    private int trees;
    /** The regression heads read, in slot order: {@link PmmlSumFusion} lets the engine sum what it can. */
    private final List<PmmlRegressionHead> heads = new ArrayList<>();
    /** The model JPMML evaluates (its evaluator's model). */
    private Model top;

    private PmmlTreeReader(PMML pmml, PmmlSignature signature) {
        this.pmml = pmml;
        this.signature = signature;
    }

    /** The top model's target field. */
    String targetName() {
        return signature.targetName;
    }

    static PmmlTreePlan read(PMML pmml, Model model, PmmlSignature signature) {
        return new PmmlTreeReader(pmml, signature).read(model);
    }

    private PmmlTreePlan read(Model model) {
        this.top = model;
        if (!(model instanceof TreeModel) && !(model instanceof MiningModel)) {
            throw new PmmlNotCovered("PMML " + model.getClass().getSimpleName() + " not covered");
        }
        TransformationDictionary dictionary = pmml.getTransformationDictionary();
        if (dictionary != null) {
            if (dictionary.hasDefineFunctions()) {
                throw new PmmlNotCovered("PMML DefineFunction not covered");
            }
            if (dictionary.hasDerivedFields()) {
                dictionary.getDerivedFields().forEach(this::addDerived);
            }
        }
        MiningSchema schema = model.getMiningSchema();
        if (schema != null && schema.hasMiningFields()) {
            for (MiningField field : schema.getMiningFields()) {
                topMiningFields.put(field.getName(), field);
            }
        }
        features = new PmmlFeatures(signature.inputs, pmml.getDataDictionary(), derived, topMiningFields);
        if (signature.task == ModelTask.REGRESSION) {
            noOutputs(model);
            PmmlRegressionHead head = PmmlRegressionChainReader.isChain(model)
                    ? PmmlRegressionChainReader.read(this, (MiningModel) model)
                    : regression(model, target(model), targetType());
            readEveryInput();
            TreeEnsemble ensemble = PmmlSumFusion.fuse(emitter.finish(Math.max(1, features.count()), trees), heads);
            return new PmmlTreePlan(ensemble, features.freeze(), head, null, new int[0], false);
        }
        if (signature.task != ModelTask.CLASSIFICATION) {
            throw new PmmlNotCovered("PMML " + model.getMiningFunction().value() + " " + model.getClass().getSimpleName()
                    + " not covered");
        }
        PmmlClassificationHead head = PmmlClassifierReader.read(this, model);
        readEveryInput();
        TreeEnsemble ensemble = PmmlSumFusion.fuse(emitter.finish(Math.max(1, features.count()), trees), heads, head);
        return new PmmlTreePlan(ensemble, features.freeze(), null, head, outputClasses(),
                !(model instanceof TreeModel) || signature.declaresProbabilities);
    }

    /**
     * JPMML prepares every input, read by a tree or not, and rejects an invalid one: each input is a feature, so that
     * its value is checked as JPMML checks it.
     */
    private void readEveryInput() {
        for (dev.handoff.InputField input : signature.inputs) {
            features.feature(input.name());
        }
    }

    /**
     * For each output of the signature, the class whose probability it is, -1 for the target (the predicted
     * class); any other output is not covered.
     */
    private int[] outputClasses() {
        Map<String, org.dmg.pmml.OutputField> fields = new HashMap<>();
        Map<String, Boolean> inFloatRegression = new HashMap<>();
        new org.jpmml.model.visitors.AbstractVisitor() {
            @Override
            public org.dmg.pmml.VisitorAction visit(org.dmg.pmml.OutputField field) {
                if (fields.putIfAbsent(field.getName(), field) == null) {
                    Model owner = (Model) getParents().stream().filter(Model.class::isInstance).findFirst().orElse(null);
                    inFloatRegression.put(field.getName(), owner instanceof org.dmg.pmml.regression.RegressionModel
                            && owner.getMathContext() == org.dmg.pmml.MathContext.FLOAT);
                }
                return super.visit(field);
            }
        }.applyTo(pmml);
        int[] classes = new int[signature.outputs.size()];
        for (int o = 0; o < classes.length; o++) {
            String name = signature.outputs.get(o).name();
            if (name.equals(signature.targetName)) {
                classes[o] = -1;
                continue;
            }
            org.dmg.pmml.OutputField field = fields.get(name);
            if (field == null || field.getResultFeature() != org.dmg.pmml.ResultFeature.PROBABILITY || field.getValue() == null
                    || field.getExpression() != null || !(field.getDataType() == DataType.DOUBLE
                    // JPMML-XGBoost's probabilities: float outputs of the float RegressionModel ending a modelChain,
                    // whose head computes them in float as JPMML does
                    || field.getDataType() == DataType.FLOAT && inFloatRegression.get(name))) {
                throw new PmmlNotCovered("PMML OutputField " + name + " (" + (field == null ? "unknown"
                        : field.getResultFeature().value()) + ") not covered");
            }
            classes[o] = classIndex(field.getValue());
        }
        return classes;
    }

    /** The index in classes() of a category as written in the document (parsed in the target's type). */
    int classIndex(Object category) {
        Object parsed;
        try {
            parsed = org.jpmml.evaluator.TypeUtil.parseOrCast(targetType(), category);
        } catch (RuntimeException e) {
            throw new PmmlNotCovered("PMML category '" + category + "' not covered");
        }
        int index = signature.classValues.indexOf(parsed);
        if (index < 0) {
            throw new PmmlNotCovered("PMML category '" + category + "' outside the target's categories not covered");
        }
        return index;
    }

    int classCount() {
        return signature.classValues.size();
    }

    PmmlNodeEmitter emitter() {
        return emitter;
    }

    PmmlFeatures features() {
        return features;
    }

    /** Reserves the output slot of the next tree. */
    int nextTree() {
        return trees++;
    }

    int treeCount() {
        return trees;
    }

    DataType targetType() {
        if (signature.targetName != null && pmml.getDataDictionary() != null && pmml.getDataDictionary().hasDataFields()) {
            for (org.dmg.pmml.DataField field : pmml.getDataDictionary().getDataFields()) {
                if (field.getName().equals(signature.targetName)) {
                    return field.requireDataType();
                }
            }
        }
        throw new PmmlNotCovered("PMML model without a target DataField not covered");
    }

    /** The regression value of {@code model}: one tree, or a sum or average of trees. */
    PmmlRegressionHead regression(Model model, Target target, DataType resultType) {
        boolean floats = model.getMathContext() == MathContext.FLOAT;
        addLocal(model);
        checkNestedSchema(model);
        if (model instanceof TreeModel tree) {
            regressionTree(tree);
            List<Double> leaf = new ArrayList<>();
            leaf.add(Double.NaN);
            int slot = trees++;
            new PmmlTreeCompiler(emitter, features).compile(tree, slot, node -> leafOrdinal(leaf, node, floats, floats));
            return noted(new PmmlRegressionHead(slot, 1, true, floats, false, toArray(leaf), target, resultType));
        }
        MiningModel mining = (MiningModel) model;
        if (mining.getMiningFunction() != MiningFunction.REGRESSION) {
            throw new PmmlNotCovered("PMML MiningModel " + mining.getMiningFunction().value() + " segment not covered");
        }
        if (mining.hasEmbeddedModels()) {
            throw new PmmlNotCovered("PMML MiningModel with embedded models not covered");
        }
        Segmentation segmentation = mining.requireSegmentation();
        Segmentation.MultipleModelMethod method = segmentation.requireMultipleModelMethod();
        PmmlSegmentAggregation aggregation = PmmlSegmentAggregation.of(method, segmentation.requireSegments(), floats);
        if (segmentation.getMissingPredictionTreatment() == Segmentation.MissingPredictionTreatment.SKIP_SEGMENT) {
            // returnMissing and continue both leave a sum, an average or a chain without a value when a segment has none
            throw new PmmlNotCovered("PMML missingPredictionTreatment " + segmentation.getMissingPredictionTreatment().value()
                    + " not covered");
        }
        if (segmentation.getLocalTransformations() != null && segmentation.getLocalTransformations().hasDerivedFields()) {
            throw new PmmlNotCovered("PMML Segmentation LocalTransformations not covered");
        }
        List<Segment> segments = segmentation.requireSegments();
        if (segments.isEmpty()) {
            throw new PmmlNotCovered("PMML Segmentation without segments not covered");
        }
        int from = trees;
        List<Double> leaf = new ArrayList<>();
        leaf.add(Double.NaN);
        for (Segment segment : segments) {
            if (!(segment.requirePredicate() instanceof True)) {
                throw new PmmlNotCovered("PMML Segment predicate " + segment.requirePredicate().getClass().getSimpleName()
                        + " not covered");
            }
            if (segment.getVariableWeight() != null) {
                throw new PmmlNotCovered("PMML Segment VariableWeight not covered");
            }
            Model child = segment.requireModel();
            if (!(child instanceof TreeModel tree)) {
                throw new PmmlNotCovered("PMML " + child.getClass().getSimpleName() + " segment in a sum not covered");
            }
            regressionTree(tree);
            addLocal(tree);
            checkNestedSchema(tree);
            boolean treeFloats = tree.getMathContext() == MathContext.FLOAT;
            new PmmlTreeCompiler(emitter, features).compile(tree, trees++, node -> leafOrdinal(leaf, node, treeFloats, floats));
        }
        return noted(new PmmlRegressionHead(from, trees - from, false, floats, method == Segmentation.MultipleModelMethod.AVERAGE,
                toArray(leaf), target, resultType, aggregation));
    }

    private PmmlRegressionHead noted(PmmlRegressionHead head) {
        heads.add(head);
        return head;
    }

    private void regressionTree(TreeModel tree) {
        if (tree.getMiningFunction() != MiningFunction.REGRESSION) {
            throw new PmmlNotCovered("PMML TreeModel " + tree.getMiningFunction().value() + " segment in a regression not covered");
        }
        noOutputs(tree);
        if (tree != pmmlTop() && tree.getTargets() != null && tree.getTargets().hasTargets()) {
            throw new PmmlNotCovered("PMML Targets on a segment TreeModel not covered");
        }
    }

    Model pmmlTop() {
        return top;
    }

    /**
     * The ordinal of a node's result in {@code leaf}: its score as the segment gives it (a Float in a float tree, a
     * Double otherwise) taken in the aggregation's type; ordinal 0 is no prediction.
     */
    private static int leafOrdinal(List<Double> leaf, Node node, boolean treeFloats, boolean sumFloats) {
        if (node == PmmlTreeCompiler.NO_PREDICTION) {
            return PmmlRegressionHead.NO_PREDICTION;
        }
        if (!node.hasScore()) {
            throw new PmmlNotCovered("PMML regression Node without a score not covered");
        }
        Object score = node.getScore();
        if (!(score instanceof Number number)) {
            throw new PmmlNotCovered("PMML Node score '" + score + "' not covered");
        }
        double v = treeFloats || sumFloats ? (double) number.floatValue() : number.doubleValue();
        leaf.add(v);
        return leaf.size() - 1;
    }

    private static double[] toArray(List<Double> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    /** The Target of the model's single target field, if any; parts JPMML uses only for defaults are refused. */
    static Target target(Model model) {
        Targets targets = model.getTargets();
        if (targets == null || !targets.hasTargets()) {
            return null;
        }
        if (targets.getTargets().size() > 1) {
            throw new PmmlNotCovered("PMML Targets with several Target elements not covered");
        }
        Target target = targets.getTargets().get(0);
        if (target.hasTargetValues()) {
            throw new PmmlNotCovered("PMML TargetValue not covered");
        }
        if (target.getCastInteger() != null) {
            throw new PmmlNotCovered("PMML Target castInteger not covered");
        }
        return target;
    }

    static void noOutputs(Model model) {
        Output output = model.getOutput();
        if (output != null && output.hasOutputFields()) {
            throw new PmmlNotCovered("PMML OutputField " + output.getOutputFields().get(0).getName() + " on a "
                    + model.getClass().getSimpleName() + " not covered");
        }
    }

    void addLocal(Model model) {
        LocalTransformations local = model.getLocalTransformations();
        if (local != null && local.hasDerivedFields()) {
            local.getDerivedFields().forEach(this::addDerived);
        }
    }

    private void addDerived(DerivedField field) {
        DerivedField known = derived.putIfAbsent(field.getName(), field);
        if (known != null && known != field) {
            throw new PmmlNotCovered("PMML DerivedField " + field.getName() + " defined twice not covered");
        }
    }

    /** A nested MiningSchema may only restate fields: its own treatments would apply again at that level. */
    void checkNestedSchema(Model model) {
        MiningSchema schema = model.getMiningSchema();
        if (schema == null || !schema.hasMiningFields()) {
            return;
        }
        // JPMML refuses a segment whose MiningSchema names a field twice, but only when it first evaluates it
        java.util.Set<String> names = new java.util.HashSet<>();
        for (MiningField field : schema.getMiningFields()) {
            if (!names.add(field.getName())) {
                throw new PmmlNotCovered("PMML MiningField " + field.getName() + " repeated in a MiningSchema not covered");
            }
        }
        if (model == pmmlTop()) {
            return;
        }
        for (MiningField field : schema.getMiningFields()) {
            if (field.getMissingValueReplacement() != null || field.getMissingValueTreatment() != null
                    || field.getInvalidValueTreatment() != org.dmg.pmml.InvalidValueTreatmentMethod.RETURN_INVALID
                    || field.getInvalidValueReplacement() != null
                    || field.getOutlierTreatment() != org.dmg.pmml.OutlierTreatmentMethod.AS_IS) {
                throw new PmmlNotCovered("PMML MiningField treatment of " + field.getName() + " in a segment not covered");
            }
        }
    }
}

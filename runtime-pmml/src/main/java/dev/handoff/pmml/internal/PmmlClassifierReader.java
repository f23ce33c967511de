package dev.handoff.pmml.internal;

import dev.handoff.pmml.internal.PmmlClassificationHead.Chain;
import dev.handoff.pmml.internal.PmmlClassificationHead.Forest;
import org.dmg.pmml.DataType;
import org.dmg.pmml.MathContext;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.Model;
import org.dmg.pmml.OutputField;
import org.dmg.pmml.ResultFeature;
import org.dmg.pmml.ScoreDistribution;
import org.dmg.pmml.True;
import org.dmg.pmml.mining.MiningModel;
import org.dmg.pmml.mining.Segment;
import org.dmg.pmml.mining.Segmentation;
import org.dmg.pmml.regression.NumericPredictor;
import org.dmg.pmml.regression.RegressionModel;
import org.dmg.pmml.regression.RegressionTable;
import org.dmg.pmml.tree.Node;
import org.dmg.pmml.tree.TreeModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the classifier shapes {@link PmmlClassificationHead} covers: a classification {@code TreeModel}, an
 * {@code average} or {@code majorityVote} of them ({@code weightedAverage}, {@code weightedMajorityVote}, {@code median}
 * and {@code max}: {@link PmmlAggregatedForest}), and a {@code modelChain} of regression trees into a
 * {@code RegressionModel}.
 *
 * <pre>{@code
 * PmmlClassificationHead head = PmmlClassifierReader.read(reader, model);   // or PmmlNotCovered
 * }</pre>
 */
final class PmmlClassifierReader {
    private final PmmlTreeReader reader;
    private final int classes;
    /** Leaf results of classification trees: k probabilities per ordinal; ordinal 0 is no prediction. */
    private final List<double[]> leafProbability = new ArrayList<>();
    private final List<Integer> leafClass = new ArrayList<>();
    private int[] order;
    /** majorityVote: leaves need only a score. */
    private boolean voting;

    private PmmlClassifierReader(PmmlTreeReader reader) {
        this.reader = reader;
        this.classes = reader.classCount();
        leafProbability.add(new double[classes]);
        leafClass.add(-1);
    }

    static PmmlClassificationHead read(PmmlTreeReader reader, Model model) {
        return new PmmlClassifierReader(reader).read(model);
    }

    private PmmlClassificationHead read(Model model) {
        if (PmmlTreeReader.target(model) != null) {
            throw new PmmlNotCovered("PMML Targets on a classifier not covered");
        }
        reader.addLocal(model);
        reader.checkNestedSchema(model);
        if (model instanceof TreeModel tree) {
            int slot = reader.treeCount();
            classificationTree(tree);
            return forest(slot, 1, true, false);
        }
        MiningModel mining = (MiningModel) model;
        Segmentation segmentation = mining.requireSegmentation();
        if (segmentation.getMissingPredictionTreatment() == Segmentation.MissingPredictionTreatment.SKIP_SEGMENT) {
            // returnMissing and continue both leave a sum, an average or a chain without a value when a segment has none
            throw new PmmlNotCovered("PMML missingPredictionTreatment " + segmentation.getMissingPredictionTreatment().value()
                    + " not covered");
        }
        if (mining.hasEmbeddedModels()
                || (segmentation.getLocalTransformations() != null && segmentation.getLocalTransformations().hasDerivedFields())) {
            throw new PmmlNotCovered("PMML MiningModel with embedded models or Segmentation LocalTransformations not covered");
        }
        List<Segment> segments = segmentation.requireSegments();
        for (Segment segment : segments) {
            if (!(segment.requirePredicate() instanceof True) || segment.getVariableWeight() != null) {
                throw new PmmlNotCovered("PMML Segment with a predicate other than True not covered");
            }
        }
        if (segments.isEmpty()) {
            throw new PmmlNotCovered("PMML Segmentation without segments not covered");
        }
        switch (segmentation.requireMultipleModelMethod()) {
            case AVERAGE: {
                int from = reader.treeCount();
                for (Segment segment : segments) {
                    if (!(segment.requireModel() instanceof TreeModel tree)) {
                        throw new PmmlNotCovered("PMML " + segment.requireModel().getClass().getSimpleName()
                                + " segment in an average not covered");
                    }
                    PmmlTreeReader.noOutputs(tree);
                    reader.addLocal(tree);
                    reader.checkNestedSchema(tree);
                    classificationTree(tree);
                }
                return forest(from, segments.size(), false, false);
            }
            case MAJORITY_VOTE: {
                voting = true;
                boolean returnMissing = segmentation.getMissingPredictionTreatment() == Segmentation.MissingPredictionTreatment.RETURN_MISSING;
                int from = reader.treeCount();
                for (Segment segment : segments) {
                    if (!(segment.requireModel() instanceof TreeModel tree)) {
                        throw new PmmlNotCovered("PMML " + segment.requireModel().getClass().getSimpleName()
                                + " segment in a majorityVote not covered");
                    }
                    PmmlTreeReader.noOutputs(tree);
                    reader.addLocal(tree);
                    reader.checkNestedSchema(tree);
                    if (classificationTree(tree) && !returnMissing) {
                        // under continue JPMML counts a tree without prediction as a vote for no class
                        throw new PmmlNotCovered("PMML majorityVote of trees that may give no prediction, without "
                                + "missingPredictionTreatment returnMissing, not covered");
                    }
                }
                return forest(from, segments.size(), false, true);
            }
            case WEIGHTED_AVERAGE:
            case WEIGHTED_MAJORITY_VOTE:
            case MEDIAN:
            case MAX:
                return weighted(mining, segmentation, segments);
            case MODEL_CHAIN:
                return chain(segmentation, segments);
            default:
                throw new PmmlNotCovered("PMML multipleModelMethod " + segmentation.requireMultipleModelMethod().value()
                        + " for classification not covered");
        }
    }

    private Forest forest(int from, int count, boolean single, boolean vote) {
        return new Forest(from, count, single, vote, classes, packedProbabilities(), packedClasses(), order == null ? new int[0] : order);
    }

    private double[] packedProbabilities() {
        double[] p = new double[leafProbability.size() * classes];
        for (int o = 0; o < leafProbability.size(); o++) {
            System.arraycopy(leafProbability.get(o), 0, p, o * classes, classes);
        }
        return p;
    }

    private int[] packedClasses() {
        return leafClass.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A weightedAverage, weightedMajorityVote, median or max of classification trees, in double. */
    private PmmlClassificationHead weighted(MiningModel mining, Segmentation segmentation, List<Segment> segments) {
        boolean vote = segmentation.requireMultipleModelMethod() == Segmentation.MultipleModelMethod.WEIGHTED_MAJORITY_VOTE;
        PmmlAggregatedForest.Method kind = PmmlAggregatedForest.Method.valueOf(segmentation.requireMultipleModelMethod().name());
        String method = segmentation.requireMultipleModelMethod().value();
        if (mining.getMathContext() == MathContext.FLOAT) {
            throw new PmmlNotCovered("PMML multipleModelMethod " + method + " in x-mathContext float not covered");
        }
        voting = vote;
        boolean returnMissing = segmentation.getMissingPredictionTreatment() == Segmentation.MissingPredictionTreatment.RETURN_MISSING;
        double[] weights = new double[segments.size()];
        double weightSum = 0d;
        int from = reader.treeCount();
        for (int s = 0; s < weights.length; s++) {
            Segment segment = segments.get(s);
            weights[s] = segment.getWeight().doubleValue();
            if (!(weights[s] >= 0d) || Double.isInfinite(weights[s])) {
                throw new PmmlNotCovered("PMML Segment weight " + segment.getWeight() + " in a " + method + " not covered");
            }
            weightSum += weights[s];
            if (!(segment.requireModel() instanceof TreeModel tree)) {
                throw new PmmlNotCovered("PMML " + segment.requireModel().getClass().getSimpleName() + " segment in a "
                        + method + " not covered");
            }
            PmmlTreeReader.noOutputs(tree);
            reader.addLocal(tree);
            reader.checkNestedSchema(tree);
            if (classificationTree(tree) && vote && !returnMissing) {
                // under continue JPMML counts a tree without prediction as a vote for no class
                throw new PmmlNotCovered("PMML " + method + " of trees that may give no prediction, without "
                        + "missingPredictionTreatment returnMissing, not covered");
            }
        }
        if (weightSum == 0d && (kind == PmmlAggregatedForest.Method.WEIGHTED_AVERAGE || vote)) {
            throw new PmmlNotCovered("PMML " + method + " with weights summing to zero not covered");
        }
        return new PmmlAggregatedForest(from, weights.length, kind, weights, classes, packedProbabilities(), packedClasses(),
                order == null ? new int[0] : order);
    }

    /** Compiles a classification tree into the next slot; returns whether it may give no prediction. */
    private boolean classificationTree(TreeModel tree) {
        if (tree.getMiningFunction() != MiningFunction.CLASSIFICATION) {
            throw new PmmlNotCovered("PMML TreeModel " + tree.getMiningFunction().value() + " in a classifier not covered");
        }
        if (tree.getMathContext() == MathContext.FLOAT) {
            throw new PmmlNotCovered("PMML classification TreeModel in x-mathContext float not covered");
        }
        int slot = reader.nextTree();
        return new PmmlTreeCompiler(reader.emitter(), reader.features()).compile(tree, slot, this::leafOrdinal);
    }

    /** JPMML's NodeScoreDistribution: probabilities (or record counts) divided by their sum unless it is one. */
    private int leafOrdinal(Node node) {
        if (node == PmmlTreeCompiler.NO_PREDICTION) {
            return PmmlRegressionHead.NO_PREDICTION;
        }
        if (voting) {
            if (!node.hasScore()) {
                throw new PmmlNotCovered("PMML classification Node without a score not covered");
            }
            leafProbability.add(new double[classes]);
            leafClass.add(reader.classIndex(node.getScore()));
            return leafProbability.size() - 1;
        }
        if (!node.hasScore() || !node.hasScoreDistributions()) {
            throw new PmmlNotCovered("PMML classification Node without a score and ScoreDistributions not covered");
        }
        List<ScoreDistribution> distributions = node.getScoreDistributions();
        if (distributions.size() != classes) {
            throw new PmmlNotCovered("PMML ScoreDistributions that do not list every class not covered");
        }
        int[] here = new int[classes];
        boolean probabilities = distributions.get(0).getProbability() != null;
        double[] v = new double[classes];
        double sum = 0d;
        for (int i = 0; i < classes; i++) {
            ScoreDistribution d = distributions.get(i);
            here[i] = reader.classIndex(d.requireValue());
            Number n = probabilities ? d.getProbability() : d.getRecordCount();
            if (n == null) {
                throw new PmmlNotCovered("PMML ScoreDistribution without a probability or record count not covered");
            }
            double x = n.doubleValue();
            if (probabilities && (x < 0d || x > 1d)) {
                throw new PmmlNotCovered("PMML ScoreDistribution probability " + x + " not covered");
            }
            sum += x;
            v[here[i]] = x;
        }
        if (order == null) {
            order = here;
        } else if (!java.util.Arrays.equals(order, here)) {
            throw new PmmlNotCovered("PMML ScoreDistributions in differing class orders not covered");
        }
        if (sum != 1d) {
            if (sum == 0d) {
                throw new PmmlNotCovered("PMML ScoreDistributions summing to zero not covered");
            }
            for (int c = 0; c < classes; c++) {
                v[c] /= sum;
            }
        }
        leafProbability.add(v);
        leafClass.add(reader.classIndex(node.getScore()));
        return leafProbability.size() - 1;
    }

    /** A modelChain: decision-function segments, then the RegressionModel that turns them into probabilities. */
    private Chain chain(Segmentation segmentation, List<Segment> segments) {
        Map<String, Integer> outputs = new HashMap<>();
        List<PmmlRegressionHead> heads = new ArrayList<>();
        List<OutputField> transformed = new ArrayList<>();
        for (int s = 0; s < segments.size() - 1; s++) {
            Model model = segments.get(s).requireModel();
            if (model.getMiningFunction() != MiningFunction.REGRESSION || model.getOutput() == null) {
                throw new PmmlNotCovered("PMML " + model.getMiningFunction().value() + " " + model.getClass().getSimpleName()
                        + " in a modelChain not covered");
            }
            DataType type = model.getMathContext() == MathContext.FLOAT ? DataType.FLOAT : DataType.DOUBLE;
            PmmlRegressionHead head = reader.regression(model, PmmlTreeReader.target(model), type);
            for (OutputField field : model.getOutput().getOutputFields()) {
                if (field.getResultFeature() == ResultFeature.PREDICTED_VALUE && field.getExpression() == null
                        && (field.getDataType() == DataType.DOUBLE || (field.getDataType() == DataType.FLOAT && type == DataType.FLOAT))) {
                    outputs.put(field.getName(), heads.size());
                } else if (field.getResultFeature() == ResultFeature.TRANSFORMED_VALUE && !field.isFinalResult()
                        && field.getDataType() == DataType.DOUBLE && field.getExpression() != null) {
                    transformed.add(field);
                } else {
                    throw new PmmlNotCovered("PMML OutputField " + field.getName() + " in a modelChain not covered");
                }
            }
            heads.add(head);
        }
        // transformed outputs follow the decision functions in the chain's values, in document order
        List<PmmlOutputExpression> expressions = new ArrayList<>();
        String[] undefined = new String[heads.size()];
        for (OutputField field : transformed) {
            PmmlOutputExpression expression = PmmlOutputExpression.of(field.getExpression(), outputs);
            for (Map.Entry<String, Integer> read : PmmlOutputExpression.fieldRefs(field.getExpression(), outputs).entrySet()) {
                if (read.getValue() < heads.size() && undefined[read.getValue()] == null) {
                    undefined[read.getValue()] = "JPMML: Field \"" + read.getKey() + "\" is not defined";
                }
            }
            expressions.add(expression);
            outputs.put(field.getName(), heads.size() + expressions.size() - 1);
        }
        Model last = segments.get(segments.size() - 1).requireModel();
        if (!(last instanceof RegressionModel regression) || regression.getMiningFunction() != MiningFunction.CLASSIFICATION) {
            throw new PmmlNotCovered("PMML " + last.getClass().getSimpleName() + " ending a modelChain not covered");
        }
        if (regression.getMiningSchema() == null || !regression.getMiningSchema().hasMiningFields()
                || regression.getMiningSchema().getMiningFields().stream().noneMatch(f -> f.getUsageType() == MiningField.UsageType.TARGET
                        && f.getName().equals(reader.targetName()))) {
            // JPMML then finds no value for the target: no prediction on every row
            throw new PmmlNotCovered("PMML RegressionModel ending a modelChain without the target MiningField not covered");
        }
        boolean floats = regression.getMathContext() == MathContext.FLOAT;
        if (floats && !transformed.isEmpty()) {
            throw new PmmlNotCovered("PMML transformedValue outputs feeding a float RegressionModel not covered");
        }
        if (PmmlTreeReader.target(regression) != null
                || (regression.getLocalTransformations() != null && regression.getLocalTransformations().hasDerivedFields())) {
            throw new PmmlNotCovered("PMML RegressionModel with Targets or LocalTransformations not covered");
        }
        reader.checkNestedSchema(regression);
        List<RegressionTable> tables = regression.requireRegressionTables();
        if (tables.size() != classes) {
            throw new PmmlNotCovered("PMML RegressionModel with " + tables.size() + " tables for " + classes + " classes not covered");
        }
        int[][] input = new int[tables.size()][];
        String[][] names = new String[tables.size()][];
        boolean[] read = new boolean[heads.size()];
        double[][] coefficient = new double[tables.size()][];
        double[] intercept = new double[tables.size()];
        int[] tableClass = new int[tables.size()];
        boolean[] seen = new boolean[classes];
        for (int t = 0; t < tables.size(); t++) {
            RegressionTable table = tables.get(t);
            if (table.hasCategoricalPredictors() || table.hasPredictorTerms()) {
                throw new PmmlNotCovered("PMML RegressionTable with categorical predictors or terms not covered");
            }
            tableClass[t] = reader.classIndex(table.requireTargetCategory());
            if (seen[tableClass[t]]) {
                throw new PmmlNotCovered("PMML RegressionModel naming a class twice not covered");
            }
            seen[tableClass[t]] = true;
            List<NumericPredictor> predictors = table.hasNumericPredictors() ? table.getNumericPredictors() : List.of();
            input[t] = new int[predictors.size()];
            names[t] = new String[predictors.size()];
            coefficient[t] = new double[predictors.size()];
            for (int k = 0; k < predictors.size(); k++) {
                NumericPredictor predictor = predictors.get(k);
                Integer in = outputs.get(predictor.requireField());
                if (in == null || predictor.getExponent() != 1) {
                    throw new PmmlNotCovered("PMML NumericPredictor " + predictor.requireField() + " not covered");
                }
                input[t][k] = in;
                names[t][k] = predictor.requireField();
                if (in < read.length) {
                    read[in] = true;
                }
                coefficient[t][k] = predictor.requireCoefficient().doubleValue();
            }
            intercept[t] = table.requireIntercept().doubleValue();
        }
        for (int i = 0; i < read.length; i++) {
            if (!read[i] && undefined[i] == null) {
                throw new PmmlNotCovered("PMML modelChain segment whose value the RegressionModel does not read not covered");
            }
        }
        boolean goOn = segmentation.getMissingPredictionTreatment() == Segmentation.MissingPredictionTreatment.CONTINUE;
        return new Chain(heads.toArray(new PmmlRegressionHead[0]), undefined, expressions.toArray(new PmmlOutputExpression[0]), input,
                names, coefficient, intercept, tableClass, normalization(regression, tables), goOn, floats);
    }

    private static Chain.Normalization normalization(RegressionModel model, List<RegressionTable> tables) {
        RegressionModel.NormalizationMethod method = model.getNormalizationMethod();
        if (tables.size() == 2) {
            switch (method) {
                case LOGIT:
                    return Chain.Normalization.LOGIT_BINARY;
                case NONE:
                    return Chain.Normalization.NONE_BINARY;
                case SOFTMAX:
                    RegressionTable second = tables.get(1);
                    boolean isDefault = !second.hasNumericPredictors() && !second.hasCategoricalPredictors()
                            && !second.hasPredictorTerms() && second.requireIntercept().doubleValue() == 0d;
                    return isDefault ? Chain.Normalization.LOGIT_BINARY : Chain.Normalization.SOFTMAX;
                default:
                    break;
            }
        } else if (method == RegressionModel.NormalizationMethod.SOFTMAX) {
            return Chain.Normalization.SOFTMAX;
        } else if (method == RegressionModel.NormalizationMethod.LOGIT) {
            return Chain.Normalization.LOGIT;
        }
        throw new PmmlNotCovered("PMML normalizationMethod " + method.value() + " with " + tables.size() + " classes not covered");
    }
}

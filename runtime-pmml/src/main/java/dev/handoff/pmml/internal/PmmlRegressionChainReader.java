package dev.handoff.pmml.internal;

import org.dmg.pmml.DataType;
import org.dmg.pmml.MathContext;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.MiningFunction;
import org.dmg.pmml.Model;
import org.dmg.pmml.OutputField;
import org.dmg.pmml.ResultFeature;
import org.dmg.pmml.Target;
import org.dmg.pmml.True;
import org.dmg.pmml.mining.MiningModel;
import org.dmg.pmml.mining.Segment;
import org.dmg.pmml.mining.Segmentation;
import org.dmg.pmml.regression.NumericPredictor;
import org.dmg.pmml.regression.RegressionModel;
import org.dmg.pmml.regression.RegressionTable;

import java.util.List;

/**
 * Reads a regression {@code modelChain} as the converters write it for a link function
 * ({@code MiningModelUtil.createRegression}: JPMML-XGBoost's {@code count:poisson}, {@code reg:gamma},
 * {@code reg:tweedie}, {@code reg:logistic}; JPMML-LightGBM's {@code poisson}): two segments, a regression of trees
 * ({@link PmmlTreeReader#regression}) whose one {@code predictedValue} output the second, a {@code RegressionModel}
 * with one table, turns into the answer ({@link PmmlRegressionLink}).
 *
 * <pre>{@code
 * PmmlRegressionHead head = PmmlRegressionChainReader.read(reader, miningModel);   // or PmmlNotCovered
 * }</pre>
 *
 * <p>What JPMML-Evaluator 1.7.7 does ({@code MiningModelEvaluator}): a modelChain's answer is its last segment's
 * result as that segment computed it (the chain's own {@code Targets} are not applied, so they are not covered);
 * under {@code returnMissing} a segment without a value leaves the chain without one (other treatments are not
 * covered). The first segment has no target field of its own: its value is in the type of its {@code x-mathContext}
 * (JPMML's synthetic target field), rescaled by its {@code Target}, and its output holds that value. The
 * RegressionModel computes in its own {@code x-mathContext} and casts to the chain's target field.
 */
final class PmmlRegressionChainReader {
    private PmmlRegressionChainReader() {
    }

    /** Whether {@code model} is a MiningModel whose segmentation is a modelChain. */
    static boolean isChain(Model model) {
        return model instanceof MiningModel mining && mining.getSegmentation() != null
                && mining.getSegmentation().getMultipleModelMethod() == Segmentation.MultipleModelMethod.MODEL_CHAIN;
    }

    static PmmlRegressionHead read(PmmlTreeReader reader, MiningModel chain) {
        if (PmmlTreeReader.target(chain) != null) {
            throw new PmmlNotCovered("PMML Targets on a regression modelChain (which JPMML does not apply) not covered");
        }
        reader.addLocal(chain);
        reader.checkNestedSchema(chain);
        Segmentation segmentation = chain.requireSegmentation();
        if (segmentation.getMissingPredictionTreatment() != Segmentation.MissingPredictionTreatment.RETURN_MISSING) {
            throw new PmmlNotCovered("PMML missingPredictionTreatment " + segmentation.getMissingPredictionTreatment().value()
                    + " in a regression modelChain not covered");
        }
        if (chain.hasEmbeddedModels()
                || (segmentation.getLocalTransformations() != null && segmentation.getLocalTransformations().hasDerivedFields())) {
            throw new PmmlNotCovered("PMML MiningModel with embedded models or Segmentation LocalTransformations not covered");
        }
        List<Segment> segments = segmentation.requireSegments();
        if (segments.size() != 2) {
            throw new PmmlNotCovered("PMML regression modelChain of " + segments.size() + " segments not covered");
        }
        for (Segment segment : segments) {
            if (!(segment.requirePredicate() instanceof True) || segment.getVariableWeight() != null) {
                throw new PmmlNotCovered("PMML Segment with a predicate other than True not covered");
            }
        }
        Model first = segments.get(0).requireModel();
        if (first.getMiningFunction() != MiningFunction.REGRESSION || first.getOutput() == null
                || !first.getOutput().hasOutputFields()) {
            throw new PmmlNotCovered("PMML " + first.getMiningFunction().value() + " " + first.getClass().getSimpleName()
                    + " without outputs in a regression modelChain not covered");
        }
        if (hasTargetField(first)) {
            throw new PmmlNotCovered("PMML modelChain segment with a target MiningField not covered");
        }
        Target target = PmmlTreeReader.target(first);
        if (target != null && target.getTargetField() != null) {
            // JPMML looks up the Target of the segment's synthetic target field, which has no name
            throw new PmmlNotCovered("PMML Target of field " + target.getTargetField() + " on a modelChain segment not covered");
        }
        DataType type = first.getMathContext() == MathContext.FLOAT ? DataType.FLOAT : DataType.DOUBLE;
        List<OutputField> outputs = first.getOutput().getOutputFields();
        OutputField output = outputs.get(0);
        if (outputs.size() != 1 || output.getResultFeature() != ResultFeature.PREDICTED_VALUE || output.getExpression() != null
                || !(output.getDataType() == DataType.DOUBLE || (output.getDataType() == DataType.FLOAT && type == DataType.FLOAT))) {
            throw new PmmlNotCovered("PMML OutputField " + output.getName() + " in a regression modelChain not covered");
        }
        PmmlRegressionHead head = reader.regression(first, target, type);
        head.link(link(reader, segments.get(1).requireModel(), output.getName()));
        return head;
    }

    private static boolean hasTargetField(Model model) {
        return model.getMiningSchema() != null && model.getMiningSchema().hasMiningFields()
                && model.getMiningSchema().getMiningFields().stream().anyMatch(f -> f.getUsageType() == MiningField.UsageType.TARGET
                        || f.getUsageType() == MiningField.UsageType.PREDICTED);
    }

    /** The RegressionModel ending the chain, reading the first segment's output {@code input}. */
    private static PmmlRegressionLink link(PmmlTreeReader reader, Model last, String input) {
        if (!(last instanceof RegressionModel regression) || regression.getMiningFunction() != MiningFunction.REGRESSION) {
            throw new PmmlNotCovered("PMML " + last.getMiningFunction().value() + " " + last.getClass().getSimpleName()
                    + " ending a regression modelChain not covered");
        }
        if (regression.getMiningSchema() == null || !regression.getMiningSchema().hasMiningFields()
                || regression.getMiningSchema().getMiningFields().stream().noneMatch(f -> f.getUsageType() == MiningField.UsageType.TARGET
                        && f.getName().equals(reader.targetName()))) {
            // JPMML then finds no value for the target: no prediction on every row
            throw new PmmlNotCovered("PMML RegressionModel ending a modelChain without the target MiningField not covered");
        }
        if (regression.getTargetField() != null && !regression.getTargetField().equals(reader.targetName())) {
            throw new PmmlNotCovered("PMML RegressionModel targetFieldName " + regression.getTargetField() + " not covered");
        }
        if (PmmlTreeReader.target(regression) != null
                || (regression.getLocalTransformations() != null && regression.getLocalTransformations().hasDerivedFields())) {
            throw new PmmlNotCovered("PMML RegressionModel with Targets or LocalTransformations not covered");
        }
        PmmlTreeReader.noOutputs(regression);
        reader.checkNestedSchema(regression);
        List<RegressionTable> tables = regression.requireRegressionTables();
        if (tables.size() != 1) {
            throw new PmmlNotCovered("PMML regression RegressionModel with " + tables.size() + " tables not covered");
        }
        RegressionTable table = tables.get(0);
        if (table.hasCategoricalPredictors() || table.hasPredictorTerms()) {
            throw new PmmlNotCovered("PMML RegressionTable with categorical predictors or terms not covered");
        }
        List<NumericPredictor> predictors = table.hasNumericPredictors() ? table.getNumericPredictors() : List.of();
        double[] coefficients = new double[predictors.size()];
        for (int k = 0; k < coefficients.length; k++) {
            NumericPredictor predictor = predictors.get(k);
            if (!predictor.requireField().equals(input) || predictor.getExponent() != 1) {
                throw new PmmlNotCovered("PMML NumericPredictor " + predictor.requireField() + " not covered");
            }
            coefficients[k] = predictor.requireCoefficient().doubleValue();
        }
        boolean floats = regression.getMathContext() == MathContext.FLOAT;
        return new PmmlRegressionLink(floats, coefficients, table.requireIntercept().doubleValue(),
                PmmlRegressionLink.method(regression.getNormalizationMethod(), floats), reader.targetType());
    }
}

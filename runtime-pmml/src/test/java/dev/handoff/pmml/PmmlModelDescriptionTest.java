package dev.handoff.pmml;

import dev.handoff.InputField;
import dev.handoff.ModelFormat;
import dev.handoff.ModelInfo;
import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.OutputField;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ValueType;
import dev.handoff.pmml.internal.PmmlScorerProvider;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a loaded PMML model says about itself: classes, inputs, outputs, info. */
class PmmlModelDescriptionTest {

    @Test
    void providerIsRegisteredForPmmlThroughServiceLoader() {
        boolean found = ServiceLoader.load(dev.handoff.spi.ScorerProvider.class).stream()
                .anyMatch(p -> p.type() == PmmlScorerProvider.class);
        assertTrue(found);
        assertEquals(ModelFormat.PMML, new PmmlScorerProvider().format());
    }

    @Test
    void integerLabelledClassifiersHaveClassesZeroAndOne() {
        for (CorpusModel model : List.of(CorpusModel.BREAST_CANCER_PMML, CorpusModel.CHURN_PIPELINE_PMML,
                CorpusModel.CHURN_LOGREG_PMML)) {
            try (Scorer scorer = Scorer.load(model.modelBytes())) {
                assertEquals(List.of("0", "1"), scorer.classes(), model.toString());
                assertEquals(ModelTask.CLASSIFICATION, scorer.info().task(), model.toString());
            }
        }
    }

    @Test
    void stringLabelledClassifiersKeepTheirLabelsInModelOrder() {
        try (Scorer iris = Scorer.load(CorpusModel.IRIS_PMML.modelBytes());
             Scorer mtcars = Scorer.load(CorpusModel.MTCARS_PMML.modelBytes())) {
            assertEquals(List.of("setosa", "versicolor", "virginica"), iris.classes());
            assertEquals(List.of("automatic", "manual"), mtcars.classes());
        }
    }

    @Test
    void regressionHasNoClassesAndGivesItsTargetAsValue() {
        try (Scorer scorer = Scorer.load(CorpusModel.DIABETES_PMML.modelBytes())) {
            assertEquals(ModelTask.REGRESSION, scorer.info().task());
            assertEquals(List.of(), scorer.classes());
            assertEquals(List.of(new OutputField("y", ValueType.DOUBLE, List.of())), scorer.outputs());
            Prediction p = scorer.score(CorpusModel.DIABETES_PMML.inputRecords().get(0));
            assertEquals(Double.parseDouble(CorpusModel.DIABETES_PMML.expectedRows().get(0).get(0)), p.value(), 1e-9);
            assertEquals(p.value(), (Double) p.output("y"));
        }
    }

    @Test
    void inputNamesFollowTheCsvHeaderForModelsUsingEveryColumn() {
        for (CorpusModel model : CorpusModel.values()) {
            if (model.isOnnx()) {
                continue;
            }
            try (Scorer scorer = Scorer.load(model.modelBytes())) {
                List<String> names = scorer.inputs().stream().map(InputField::name).toList();
                assertEquals(model.inputColumns(), names, model.toString());
            }
        }
    }

    @Test
    void inputTypesCategoriesAndMissingValueTreatmentsComeFromTheMiningSchema() {
        try (Scorer churn = Scorer.load(CorpusModel.CHURN_PIPELINE_PMML.modelBytes());
             Scorer iris = Scorer.load(CorpusModel.IRIS_PMML.modelBytes());
             Scorer mtcars = Scorer.load(CorpusModel.MTCARS_PMML.modelBytes())) {
            Map<String, InputField> inputs = byName(churn.inputs());
            // imputed by missingValueReplacement (SimpleImputer(median))
            assertEquals(new InputField("tenure_months", ValueType.DOUBLE, List.of(), List.of(),
                    MissingValueTreatment.MODEL_REPLACES), inputs.get("tenure_months"));
            for (String numeric : List.of("tenure_months", "monthly_charges", "total_charges", "support_calls", "age")) {
                assertEquals(MissingValueTreatment.MODEL_REPLACES, inputs.get(numeric).missingValues(), numeric);
            }
            // no replacement: a missing category goes to the model, whose encoder treats it as all-zero indicators
            assertEquals(new InputField("payment_method", ValueType.STRING, List.of(),
                    List.of("bank_transfer", "card", "invoice", "paypal"), MissingValueTreatment.MODEL_HANDLES),
                    inputs.get("payment_method"));
            assertEquals(ValueType.FLOAT, byName(iris.inputs()).get("petal width (cm)").type());
            InputField wt = byName(mtcars.inputs()).get("wt");
            assertEquals(MissingValueTreatment.MODEL_HANDLES, wt.missingValues());
            assertTrue(wt.acceptsMissing());
        }
        // models that route missing values inside their trees (default children, surrogates, compact XGBoost trees)
        for (CorpusModel model : List.of(CorpusModel.XGBOOST_MISSING_PMML, CorpusModel.HGB_MISSING_PMML,
                CorpusModel.RPART_AIRQUALITY_PMML)) {
            try (Scorer scorer = Scorer.load(model.modelBytes())) {
                for (InputField f : scorer.inputs()) {
                    assertEquals(MissingValueTreatment.MODEL_HANDLES, f.missingValues(), model + " " + f.name());
                }
            }
        }
    }

    @Test
    void outputsListTheTargetAndEveryOutputFieldAsPlainJavaValues() {
        try (Scorer scorer = Scorer.load(CorpusModel.IRIS_PMML.modelBytes())) {
            assertEquals(List.of(
                    new OutputField("y", ValueType.STRING, List.of()),
                    new OutputField("probability(setosa)", ValueType.DOUBLE, List.of()),
                    new OutputField("probability(versicolor)", ValueType.DOUBLE, List.of()),
                    new OutputField("probability(virginica)", ValueType.DOUBLE, List.of())), scorer.outputs());
            Prediction p = scorer.score(CorpusModel.IRIS_PMML.inputRecords().get(0));
            assertEquals(p.label(), p.output("y"));
            for (String label : scorer.classes()) {
                Object value = p.output("probability(" + label + ")");
                assertInstanceOf(Double.class, value);
                assertEquals(p.probability(label), (Double) value, 0.0);
            }
        }
    }

    @Test
    void classifierTargetOutputReadsAsTheCanonicalLabelAndProbabilityOutputsAsDouble() {
        for (CorpusModel model : List.of(CorpusModel.BREAST_CANCER_PMML, CorpusModel.HGB_MISSING_PMML,
                CorpusModel.MTCARS_PMML, CorpusModel.IRIS_PMML)) {
            try (Scorer scorer = Scorer.load(model.modelBytes())) {
                String target = scorer.outputs().get(0).name();
                assertEquals(new OutputField(target, ValueType.STRING, List.of()), scorer.outputs().get(0), model.toString());
                List<Map<String, Object>> records = model.inputRecords().subList(0, 20);
                Predictions batch = scorer.scoreAll(records);
                String[] labels = batch.labels();
                List<Object> targetColumn = batch.outputs(target);
                for (int r = 0; r < records.size(); r++) {
                    Prediction p = batch.get(r);
                    Object label = p.output(target);
                    assertInstanceOf(String.class, label, model + " row " + r);
                    assertEquals(model.expectedRows().get(r).get(0), label, model + " row " + r);
                    assertEquals(p.label(), label);
                    assertEquals(labels[r], targetColumn.get(r));
                    for (String c : scorer.classes()) {
                        assertTrue(scorer.outputs().contains(new OutputField("probability(" + c + ")", ValueType.DOUBLE, List.of())));
                        Object probability = p.output("probability(" + c + ")");
                        assertInstanceOf(Double.class, probability, model + " row " + r);
                        assertEquals(p.probability(c), (Double) probability, 0.0);
                    }
                }
            }
        }
    }

    @Test
    void infoCarriesProducerHeaderAndDigest() throws Exception {
        byte[] bytes = CorpusModel.CHURN_PIPELINE_PMML.modelBytes();
        try (Scorer scorer = Scorer.load(bytes)) {
            ModelInfo info = scorer.info();
            assertEquals("<bytes>", info.source());
            assertEquals(ModelFormat.PMML, info.format());
            assertEquals("JPMML-SkLearn library 1.9.0", info.producer());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), info.sha256());
            assertEquals("4.4", info.metadata().get("pmml.version"));
            assertEquals("MiningModel", info.metadata().get("model.element"));
            assertEquals("classification", info.metadata().get("model.function"));
            assertEquals("sklearn.ensemble._gb.GradientBoostingClassifier", info.metadata().get("model.algorithm"));
            assertEquals("2026-11-29T03:30:19Z", info.metadata().get("header.timestamp"));
            assertFalse(info.metadata().containsKey("modelVerification.records"));
        }
    }

    @Test
    void descriptionComesFromTheHeaderThenTheModelName() {
        String verified = PmmlLoadErrorsTest.verifiedLine("5").text();
        try (Scorer withHeader = Scorer.load(verified.getBytes(StandardCharsets.UTF_8));
             Scorer withModelName = Scorer.load(verified.replace(" description=\"y = 1 + 2x\"", "")
                     .getBytes(StandardCharsets.UTF_8))) {
            assertEquals("y = 1 + 2x", withHeader.info().description());
            assertEquals("handoff-test 1", withHeader.info().producer());
            assertEquals("line", withModelName.info().description());
        }
    }

    private static Map<String, InputField> byName(List<InputField> inputs) {
        Map<String, InputField> map = new java.util.LinkedHashMap<>();
        inputs.forEach(f -> map.put(f.name(), f));
        return map;
    }
}

package dev.handoff.pmml;

import dev.handoff.InvalidInputException;
import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.Predictions;
import dev.handoff.ScorerOptions.RuntimeOptions;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.PmmlDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Documents that cannot be used are refused at load with a ModelLoadException that says why. */
class PmmlLoadErrorsTest {

    /** y = 1 + 2x, described and with an Application, and its own golden cases: y = 3 for x = 1, {@code y} for x = 2. */
    static PmmlDocument verifiedLine(String y) {
        return PmmlDocument.line(1, 2).description("y = 1 + 2x").application("handoff-test", "1").modelName("line")
                .verification(List.of("x", "y"), "1,3", "2," + y);
    }

    @Test
    void externalEntityIsNeverResolved(@TempDir Path dir) throws IOException {
        String secret = "SECRET-" + UUID.randomUUID();
        Path secretFile = dir.resolve("secret.txt");
        Files.writeString(secretFile, secret);
        String xxe = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE PMML [<!ENTITY xxe SYSTEM "%s">]>
                <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">
                  <Header description="&xxe;"/>
                  <DataDictionary><DataField name="x" optype="continuous" dataType="double"/></DataDictionary>
                </PMML>
                """.formatted(secretFile.toUri());

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes(xxe)));
        assertEquals(ModelFormat.PMML, e.format());
        assertTrue(e.getMessage().contains("DTD"), e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "the secret leaked into " + t);
        }
    }

    @Test
    void parameterEntityFromOutsideIsNeverFetched(@TempDir Path dir) throws IOException {
        String secret = "SECRET-" + UUID.randomUUID();
        Path dtd = dir.resolve("evil.dtd");
        Files.writeString(dtd, "<!ENTITY leak \"" + secret + "\">");
        String document = """
                <?xml version="1.0"?>
                <!DOCTYPE PMML [<!ENTITY %% remote SYSTEM "%s"> %%remote;]>
                <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header description="&leak;"/></PMML>
                """.formatted(dtd.toUri());

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes(document)));
        assertTrue(e.getMessage().contains("DTD"), e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "the secret leaked into " + t);
        }
    }

    @Test
    @Timeout(30) // a guard against a hang, not a performance assertion: the DOCTYPE is refused before any expansion
    void billionLaughsIsRefusedBeforeExpansion() {
        StringBuilder doc = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE PMML [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            doc.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                doc.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            doc.append("\">\n");
        }
        doc.append("]>\n<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"><Header description=\"&lol9;\"/></PMML>\n");

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes(doc.toString())));
        assertEquals(ModelFormat.PMML, e.format());
        assertTrue(e.getMessage().contains("DTD"), e.getMessage());
        assertFalse(e.getMessage().contains("lollollol"), e.getMessage());
    }

    @Test
    void unknownModelElementIsRefusedAsInvalidPmml() {
        String document = verifiedLine("5").model(
                "  <FancyModel functionName=\"regression\"><MiningSchema><MiningField name=\"x\"/></MiningSchema></FancyModel>\n").text();
        int line = document.substring(0, document.indexOf("<FancyModel")).split("\n", -1).length;
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes(document)));
        assertEquals(ModelFormat.PMML, e.format());
        assertTrue(e.getMessage().contains("not valid PMML"), e.getMessage());
        assertTrue(e.getMessage().contains("FancyModel"), e.getMessage());
        assertTrue(e.getMessage().contains("line " + line), e.getMessage());
    }

    @Test
    void modelTypeJpmmlCannotEvaluateIsRefusedAsUnsupported() {
        String document = """
                <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
                  <DataDictionary>
                    <DataField name="x" optype="continuous" dataType="double"/>
                    <DataField name="y" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
                  </DataDictionary>
                  <BayesianNetworkModel functionName="classification">
                    <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
                  </BayesianNetworkModel>
                </PMML>
                """;
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes(document)));
        assertTrue(e.getMessage().contains("does not support"), e.getMessage());
        assertTrue(e.getMessage().contains("BayesianNetworkModel"), e.getMessage());
    }

    @Test
    void invalidAttributeValueIsRefusedAsInvalidPmml() {
        String document = new String(CorpusModel.MTCARS_PMML.modelBytes(), StandardCharsets.UTF_8)
                .replace("functionName=\"classification\"", "functionName=\"divination\"");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes(document)));
        assertTrue(e.getMessage().contains("PMML is invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("functionName"), e.getMessage());
    }

    @Test
    void documentWithoutModelIsRefused() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(verifiedLine("5").model("").bytes()));
        assertTrue(e.getMessage().contains("no model element"), e.getMessage());
    }

    @Test
    void nestingBeyondTheLimitIsRefusedWithoutExhaustingTheStack() {
        StringBuilder tree = new StringBuilder("""
                  <TreeModel functionName="regression">
                    <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
                    <Node score="0"><True/>
                """);
        int depth = 50_000;
        tree.append("<Node score=\"1\"><SimplePredicate field=\"x\" operator=\"greaterThan\" value=\"0\"/>".repeat(depth));
        tree.append("</Node>".repeat(depth)).append("</Node></TreeModel>\n");
        String doc = verifiedLine("5").model(tree.toString()).text();

        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(bytes(doc.toString())));
        assertTrue(e.getMessage().contains("nested more than 1000 levels"), e.getMessage());
        assertTrue(e.getMessage().contains("maxElementDepth"), e.getMessage());
    }

    @Test
    void embeddedVerificationThatPassesLoadsTheModel() {
        try (Scorer scorer = Scorer.load(verifiedLine("5").bytes())) {
            assertEquals(7.0, scorer.score(Map.of("x", 3)).value(), 1e-12);
            assertEquals("2", scorer.info().metadata().get("modelVerification.records"));
            assertEquals("true", scorer.info().metadata().get("modelVerification.checkedAtLoad"));
        }
    }

    @Test
    void embeddedVerificationThatFailsRefusesTheModel() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Scorer.load(verifiedLine("7").bytes()));
        assertTrue(e.getMessage().contains("ModelVerification"), e.getMessage());
        assertTrue(e.getMessage().contains("7.0"), e.getMessage());
    }

    @Test
    void failingVerificationIsSkippedWhenVerifyAtLoadIsOff() {
        ScorerOptions options = ScorerOptions.builder()
                .runtime(PmmlOptions.builder().verifyAtLoad(false).build())
                .build();
        try (Scorer scorer = Scorer.load(verifiedLine("7").bytes(), options)) {
            assertEquals(5.0, scorer.score(Map.of("x", 2)).value(), 1e-12);
            assertEquals("false", scorer.info().metadata().get("modelVerification.checkedAtLoad"));
        }
    }

    @Test
    void nonNumericStringForNumericFieldIsRejectedNamingFieldAndValue() {
        try (Scorer scorer = Scorer.load(CorpusModel.MTCARS_PMML.modelBytes())) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> scorer.score(Map.of("hp", "lots", "wt", "2.6")));
            assertEquals("hp", e.field());
            assertEquals("lots", e.value());
            assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        }
    }

    @Test
    void invalidValueUnderReturnInvalidIsRejectedNamingTheField() {
        String document = PmmlDocument.regression(1)
                .input("colour", "categorical", "string", "<Value value=\"red\"/><Value value=\"blue\"/>", "")
                .predictor("colour", "red", 10).text();
        try (Scorer scorer = Scorer.load(bytes(document))) {
            assertEquals(11.0, scorer.score(Map.of("colour", "red")).value(), 1e-12);
            InvalidInputException single = assertThrows(InvalidInputException.class, () -> scorer.score(Map.of("colour", "green")));
            assertEquals("colour", single.field());
            assertEquals("green", single.value());
            assertEquals(-1, single.row());

            Predictions batch = scorer.scoreAll(List.of(Map.of("colour", "red"), Map.of("colour", "green")));
            assertEquals(11.0, batch.get(0).value(), 1e-12);
            InvalidInputException e = batch.get(1).failure().orElseThrow();
            assertEquals("colour", e.field());
            assertEquals("green", e.value());
            assertEquals(1, e.row());
            assertEquals(List.of(e), batch.failures());
        }
    }

    @Test
    void classesThatDifferFromThePmmlModelsFailAtLoad() {
        for (List<String> classes : List.of(List.of("1", "0"), List.of("benign", "malignant"), List.of("0", "1", "2"))) {
            ScorerOptions options = ScorerOptions.builder().classes(classes).build();
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> Scorer.load(CorpusModel.BREAST_CANCER_PMML.modelBytes(), options), classes.toString());
            assertTrue(e.getMessage().contains("differ from the classes the model declares [0, 1]"), e.getMessage());
        }
    }

    @Test
    void classesEqualToThePmmlModelsAreAccepted() {
        ScorerOptions options = ScorerOptions.builder().classes(List.of("0", "1")).build();
        try (Scorer scorer = Scorer.load(CorpusModel.BREAST_CANCER_PMML.modelBytes(), options)) {
            assertEquals(List.of("0", "1"), scorer.classes());
        }
    }

    @Test
    void runtimeOptionsOfAnotherFormatFailAtLoad() {
        // stands in for OnnxOptions (featureNames among them), which this module cannot see
        RuntimeOptions onnxSettings = () -> ModelFormat.ONNX;
        ScorerOptions options = ScorerOptions.builder().runtime(onnxSettings).build();
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Scorer.load(CorpusModel.BREAST_CANCER_PMML.modelBytes(), options));
        assertEquals(ModelFormat.PMML, e.format());
        assertTrue(e.getMessage().contains("runtime options for ONNX"), e.getMessage());
    }

    static byte[] bytes(String document) {
        return document.getBytes(StandardCharsets.UTF_8);
    }
}

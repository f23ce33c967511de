package dev.handoff.pmml;

import dev.handoff.ModelFormat;
import dev.handoff.ModelLoadException;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.ScoringException;
import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.PmmlDocument;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Documents that load in JPMML but would exhaust the stack of every call, or hold a thread for
 * minutes in a regex, are refused at load; what slips through fails the call with a ScoringException.
 */
class PmmlHostileDocumentsTest {

    /** Inputs x (a number) and s (a category), target y. */
    private static PmmlDocument head() {
        return PmmlDocument.regression(1).input("x").input("s", "categorical", "string", "", "");
    }

    /** {@code y = 1 + 2 * target}, with {@code transformations} as the TransformationDictionary's content. */
    private static byte[] regression(String transformations, String target) {
        return head().transformations(transformations).predictor(target, 2).bytes();
    }

    private static String derived(String name, String expression) {
        return "<DerivedField name=\"" + name + "\" optype=\"continuous\" dataType=\"double\">" + expression + "</DerivedField>\n";
    }

    /** d0 = x + 1, d1 = d0 + 1, ..., d(n-1): each field one step from the previous one. */
    private static byte[] chain(int n) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String previous = i == 0 ? "x" : "d" + (i - 1);
            fields.append(derived("d" + i, "<Apply function=\"+\"><FieldRef field=\"" + previous + "\"/><Constant>1</Constant></Apply>"));
        }
        return regression(fields.toString(), "d" + (n - 1));
    }

    private static ScorerOptions pmml(PmmlOptions.Builder settings) {
        return ScorerOptions.builder().runtime(settings.build()).build();
    }

    @Test
    void chainOf800DerivedFieldsIsRefusedAtLoad() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(chain(800)));
        assertEquals(ModelFormat.PMML, e.format());
        assertTrue(e.getMessage().contains("evaluating the field 'd125' nests 252 expressions and references deep "
                + "('d125' -> 'd124' -> 'd123' -> ... 121 more -> 'd1' -> 'd0'), more than PmmlOptions.maxExpressionDepth (250)"),
                e.getMessage());
    }

    @Test
    void chainWithinTheBudgetLoadsAndScores() {
        try (Scorer scorer = Scorer.load(chain(100))) {
            assertEquals(1 + 2 * (3 + 100), scorer.score(Map.of("x", 3)).value(), 1e-9);
        }
    }

    @Test
    void stackOverflowWhileScoringIsAScoringFailureAndTheScorerStaysUsable() throws Exception {
        // 4,000 levels: deep enough to overflow a 256 KB stack even once JPMML's evaluation is JIT-compiled (smaller
        // frames) by the tests that ran before in the same JVM; 800 levels fitted then
        try (Scorer scorer = Scorer.load(chain(4_000), pmml(PmmlOptions.builder().maxExpressionDepth(20_000)))) {
            Throwable small = onThread(256 * 1024, () -> scorer.score(Map.of("x", 3)));
            ScoringException e = assertInstanceOf(ScoringException.class, small);
            assertTrue(e.getMessage().contains("recursed too deeply evaluating row 0"), e.getMessage());
            assertInstanceOf(ScoringException.class, onThread(256 * 1024, () -> scorer.scoreAll(List.of(Map.of("x", 3)))));

            AtomicReference<Double> value = new AtomicReference<>();
            Throwable large = onThread(64L * 1024 * 1024, () -> value.set(scorer.score(Map.of("x", 3)).value()));
            assertEquals(null, large);
            assertEquals(1 + 2 * (3 + 4_000), value.get(), 1e-9);
        }
    }

    /** Runs {@code action} on a thread with the given stack size; returns what it threw, or null. */
    private static Throwable onThread(long stackBytes, Runnable action) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                action.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "scorer-" + stackBytes, stackBytes);
        t.start();
        t.join();
        return thrown.get();
    }

    @Test
    void derivedFieldsReferringToEachOtherAreRefused() {
        byte[] document = regression(derived("a", "<FieldRef field=\"b\"/>") + derived("b", "<FieldRef field=\"a\"/>"), "a");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(document));
        assertTrue(e.getMessage().contains("the field 'a' is defined through itself ('a' -> 'b' -> 'a'), so evaluating "
                + "it would never end"), e.getMessage());
    }

    @Test
    void recursiveFunctionIsRefused() {
        byte[] document = regression("""
                <DefineFunction name="f" optype="continuous" dataType="double"><ParameterField name="p"/>
                  <Apply function="+"><Apply function="f"><FieldRef field="p"/></Apply><Constant>1</Constant></Apply>
                </DefineFunction>
                """ + derived("d", "<Apply function=\"f\"><FieldRef field=\"x\"/></Apply>"), "d");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(document));
        assertTrue(e.getMessage().contains("the function 'f' is defined through itself ('f' -> 'f')"), e.getMessage());
    }

    @Test
    void functionsCallingEachOtherAreRefused() {
        byte[] document = regression("""
                <DefineFunction name="even" optype="continuous" dataType="double"><ParameterField name="p"/>
                  <Apply function="odd"><FieldRef field="p"/></Apply></DefineFunction>
                <DefineFunction name="odd" optype="continuous" dataType="double"><ParameterField name="p"/>
                  <Apply function="even"><FieldRef field="p"/></Apply></DefineFunction>
                """ + derived("d", "<Apply function=\"even\"><FieldRef field=\"x\"/></Apply>"), "d");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(document));
        assertTrue(e.getMessage().contains("the function 'even' is defined through itself ('even' -> 'odd' -> 'even')"),
                e.getMessage());
    }

    @Test
    void functionsThatCallOthersWithoutACycleLoadAndScore() {
        byte[] document = regression("""
                <DefineFunction name="inc" optype="continuous" dataType="double"><ParameterField name="p"/>
                  <Apply function="+"><FieldRef field="p"/><Constant>1</Constant></Apply></DefineFunction>
                <DefineFunction name="inc2" optype="continuous" dataType="double"><ParameterField name="p"/>
                  <Apply function="inc"><Apply function="inc"><FieldRef field="p"/></Apply></Apply></DefineFunction>
                """ + derived("d", "<Apply function=\"inc2\"><FieldRef field=\"x\"/></Apply>"), "d");
        try (Scorer scorer = Scorer.load(document)) {
            assertEquals(1 + 2 * (3 + 2), scorer.score(Map.of("x", 3)).value(), 1e-9);
        }
    }

    @Test
    void selfReferenceInAModelsLocalTransformationsIsRefused() {
        String document = head().model("""
                  <RegressionModel functionName="regression">
                    <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
                    <LocalTransformations>
                      <DerivedField name="t" optype="continuous" dataType="double">
                        <Apply function="*"><FieldRef field="t"/><FieldRef field="x"/></Apply></DerivedField>
                    </LocalTransformations>
                    <RegressionTable intercept="1"><NumericPredictor name="t" coefficient="2"/></RegressionTable>
                  </RegressionModel>
                """).text();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(document.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("the field 't' is defined through itself ('t' -> 't')"), e.getMessage());
    }

    @Test
    void outputFieldsReferringToEachOtherAreRefused() {
        String document = head().model("""
                  <RegressionModel functionName="regression">
                    <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
                    <Output>
                      <OutputField name="o1" optype="continuous" dataType="double" feature="transformedValue"><FieldRef field="o2"/></OutputField>
                      <OutputField name="o2" optype="continuous" dataType="double" feature="transformedValue"><FieldRef field="o1"/></OutputField>
                    </Output>
                    <RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable>
                  </RegressionModel>
                """).text();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(document.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("the output field 'o1' is defined through itself ('o1' -> 'o2' -> 'o1')"), e.getMessage());
    }

    @Test
    void segmentsThatReuseALocalNameAreNotMistakenForACycle() {
        String document = head().model("""
                  <TransformationDictionary>
                    <DerivedField name="g" optype="continuous" dataType="double"><Apply function="+"><FieldRef field="x"/><Constant>1</Constant></Apply></DerivedField>
                  </TransformationDictionary>
                  <MiningModel functionName="regression">
                    <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
                    <LocalTransformations>
                      <DerivedField name="t" optype="continuous" dataType="double"><Apply function="*"><FieldRef field="g"/><Constant>10</Constant></Apply></DerivedField>
                    </LocalTransformations>
                    <Segmentation multipleModelMethod="sum">
                      <Segment id="1"><True/>
                        <RegressionModel functionName="regression">
                          <MiningSchema><MiningField name="t"/><MiningField name="y" usageType="target"/></MiningSchema>
                          <LocalTransformations>
                            <DerivedField name="u" optype="continuous" dataType="double"><FieldRef field="t"/></DerivedField>
                          </LocalTransformations>
                          <RegressionTable intercept="0"><NumericPredictor name="u" coefficient="1"/></RegressionTable>
                        </RegressionModel>
                      </Segment>
                      <Segment id="2"><True/>
                        <RegressionModel functionName="regression">
                          <MiningSchema><MiningField name="t"/><MiningField name="y" usageType="target"/></MiningSchema>
                          <LocalTransformations>
                            <DerivedField name="u" optype="continuous" dataType="double"><Apply function="+"><FieldRef field="g"/><FieldRef field="t"/></Apply></DerivedField>
                          </LocalTransformations>
                          <RegressionTable intercept="0"><NumericPredictor name="u" coefficient="1"/></RegressionTable>
                        </RegressionModel>
                      </Segment>
                    </Segmentation>
                  </MiningModel>
                """).text();
        try (Scorer scorer = Scorer.load(document.getBytes(StandardCharsets.UTF_8))) {
            // g = 4, t = 40: segment 1 gives 40, segment 2 gives 44
            assertEquals(84.0, scorer.score(Map.of("x", 3)).value(), 1e-9);
        }
    }

    @Test
    void referenceToAFieldNothingDefinesIsRefusedInsteadOfRejectingEveryRecord() {
        byte[] document = regression(derived("d", "<Apply function=\"+\"><FieldRef field=\"x\"/><FieldRef field=\"nowhere\"/></Apply>"), "d");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(document));
        assertTrue(e.getMessage().contains("the document refers to the field 'nowhere', which it does not define"), e.getMessage());
    }

    @Test
    void callOfAFunctionNothingDefinesIsRefused() {
        byte[] document = regression(derived("d", "<Apply function=\"frobnicate\"><FieldRef field=\"x\"/></Apply>"), "d");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(document));
        assertTrue(e.getMessage().contains("the document refers to the function 'frobnicate', which it does not define"),
                e.getMessage());
    }

    @Test
    void missingValueReplacementThatIsNoNumberIsRefusedAtLoad() {
        // found by the model fuzzer: JPMML parses the replacement only when a value is missing, and a bare
        // NumberFormatException escaped score() for the first record with a missing value
        String document = new String(CorpusModel.CHURN_LOGREG_PMML.modelBytes(), StandardCharsets.UTF_8)
                .replace("missingValueReplacement=\"35.0\"", "missingValueReplacement=\"201q.88\"");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(document.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("the missing-value replacement '201q.88' of the field 'tenure_months' cannot be read as "
                + "its type double (java.lang.NumberFormatException: For input string: \"201q.88\")"), e.getMessage());
    }

    @Test
    void everyCorpusDocumentPassesTheChecks() {
        for (CorpusModel model : CorpusModel.values()) {
            if (!model.isOnnx()) {
                try (Scorer scorer = Scorer.load(model.modelBytes())) {
                    assertEquals(ModelFormat.PMML, scorer.info().format(), model.toString());
                }
            }
        }
    }

    private static byte[] matching(String pattern) {
        return regression(derived("m", """
                <Apply function="if"><Apply function="matches"><FieldRef field="s"/><Constant>%s</Constant></Apply>
                  <Constant>1</Constant><Constant>0</Constant></Apply>""".formatted(pattern)), "m");
    }

    @Test
    void regexThatBacktracksCatastrophicallyIsRefusedAtLoad() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(matching("^(.*a){10}$")));
        assertTrue(e.getMessage().contains("the pattern '^(.*a){10}$' of the function 'matches' repeats a group that "
                + "itself repeats ((.*a){10})"), e.getMessage());
    }

    @Test
    void regexInReplaceIsCheckedToo() {
        byte[] document = regression(derived("r", """
                <Apply function="replace"><FieldRef field="s"/><Constant>(x+x+)+y</Constant><Constant>z</Constant></Apply>"""), "x");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(document));
        assertTrue(e.getMessage().contains("of the function 'replace' repeats a group that itself repeats ((x+x+)+)"),
                e.getMessage());
    }

    @Test
    void regexComputedFromAFieldIsRefused() {
        byte[] document = regression(derived("m", """
                <Apply function="if"><Apply function="matches"><FieldRef field="s"/><FieldRef field="s"/></Apply>
                  <Constant>1</Constant><Constant>0</Constant></Apply>"""), "m");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(document));
        assertTrue(e.getMessage().contains("the pattern of the function 'matches' is computed (FieldRef), not a constant"),
                e.getMessage());
    }

    @Test
    void regexThatDoesNotCompileIsRefusedAtLoad() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(matching("(unclosed")));
        assertTrue(e.getMessage().contains("the pattern '(unclosed' of the function 'matches' is not a valid regular expression"),
                e.getMessage());
    }

    @Test
    void safeRegexLoadsAndMatches() {
        try (Scorer scorer = Scorer.load(matching("^(\\d{3})+-[a-z]+$"))) {
            assertEquals(3.0, scorer.score(Map.of("x", 0, "s", "123456-abc")).value(), 1e-9);
            assertEquals(1.0, scorer.score(Map.of("x", 0, "s", "12-abc")).value(), 1e-9);
        }
    }

    @Test
    void documentWithMoreElementsThanTheBudgetIsRefused() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(CorpusModel.IRIS_PMML.modelBytes(),
                pmml(PmmlOptions.builder().maxElements(1_000))));
        assertTrue(e.getMessage().contains("the document has more than 1000 elements"), e.getMessage());
        assertTrue(e.getMessage().contains("raise PmmlOptions.maxElements"), e.getMessage());
    }
}

package dev.handoff.pmml;

import dev.handoff.InvalidInputException;
import dev.handoff.Scorer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client's value that a PMML model refuses reaches the exception message as the binder's messages do: escaped
 * (one line, no control character) and bounded, however long it is.
 */
class PmmlClientValueMessageTest {

    /** y = 1 + 2 [plan = a]; plan takes a or b, anything else is invalid and returned as such. */
    private static final String PLAN = """
            <PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
              <DataDictionary>
                <DataField name="plan" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
                <DataField name="y" optype="continuous" dataType="double"/>
              </DataDictionary>
              <RegressionModel functionName="regression">
                <MiningSchema>
                  <MiningField name="plan" invalidValueTreatment="returnInvalid"/><MiningField name="y" usageType="target"/>
                </MiningSchema>
                <RegressionTable intercept="1"><CategoricalPredictor name="plan" value="a" coefficient="2"/></RegressionTable>
              </RegressionModel>
            </PMML>
            """;

    @Test
    void aMegabyteValueWithControlCharactersGivesABoundedEscapedMessage() {
        String hostile = "evil\n[main] INFO forged\u0007\u001b[31m\u202e" + "C".repeat(1 << 20);
        try (Scorer scorer = Scorer.load(PLAN.getBytes(StandardCharsets.UTF_8))) {
            assertEquals(3.0, scorer.score(Map.of("plan", "a")).value(), 0.0);

            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(Map.of("plan", hostile)));

            for (String text : new String[] {e.getMessage(), e.clientMessage(), e.problem()}) {
                assertTrue(text.length() < 5_000, "the message has " + text.length() + " chars");
                assertTrue(text.chars().noneMatch(c -> Character.isISOControl(c) || c == '\u202e'), text.substring(0, 200));
                assertFalse(text.contains("\n[main]"), text.substring(0, 200));
            }
            assertTrue(e.getMessage().contains("evil\\n[main] INFO forged\\u0007\\u001B[31m\\u202ECCC"), e.getMessage());
            assertEquals("plan", e.field());
            assertEquals(hostile, e.value(), "the value itself stays as given, for the caller's code");
        }
    }
}

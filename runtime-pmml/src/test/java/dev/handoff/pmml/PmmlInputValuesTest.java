package dev.handoff.pmml;

import dev.handoff.Batch;
import dev.handoff.InvalidInputException;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ValueType;
import org.jpmml.evaluator.Evaluator;
import org.jpmml.evaluator.EvaluatorUtil;
import dev.handoff.testing.PmmlDocument;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the Java values of a record reach a PMML model's typed fields. */
class PmmlInputValuesTest {

    private static final String LINE = PmmlDocument.line(1, 2).text();

    @Test
    void booleanForADoubleInputIsOneOrZeroAsJpmmlScoresOneAndZero() {
        Evaluator jpmml = PmmlMissingValueTest.jpmml(LINE);
        double one = ((Number) EvaluatorUtil.decode(PmmlMissingValueTest.evaluateDirectly(jpmml, Map.of("x", 1.0)))).doubleValue();
        double zero = ((Number) EvaluatorUtil.decode(PmmlMissingValueTest.evaluateDirectly(jpmml, Map.of("x", 0.0)))).doubleValue();
        assertEquals(3.0, one, 0.0);
        assertEquals(1.0, zero, 0.0);
        try (Scorer scorer = Scorer.load(PmmlMissingValueTest.bytes(LINE))) {
            assertEquals(one, scorer.score(Map.of("x", Boolean.TRUE)).value(), 0.0);
            assertEquals(zero, scorer.score(Map.of("x", Boolean.FALSE)).value(), 0.0);
            assertEquals(one, scorer.score(Map.of("x", "true")).value(), 0.0);
            assertEquals(zero, scorer.score(Map.of("x", "FALSE")).value(), 0.0);
            assertEquals(one, scorer.score(Map.of("x", " True ")).value(), 0.0);

            Predictions columns = scorer.score(Batch.builder(4)
                    .strings("x", new String[] {"TRUE", "false", "1", "0"}).build());
            assertArrayEquals(new double[] {one, zero, one, zero}, columns.values(), 0.0);
            Predictions booleans = scorer.score(Batch.builder(2).booleans("x", new boolean[] {true, false}).build());
            assertArrayEquals(new double[] {one, zero}, booleans.values(), 0.0);
        }
    }

    @Test
    void wordsOtherThanTrueAndFalseAreNotNumbers() {
        try (Scorer scorer = Scorer.load(PmmlMissingValueTest.bytes(LINE))) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(Map.of("x", "yes")));
            assertEquals("x", e.field());
            assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        }
    }

    @Test
    void integerAndBooleanInputsReachTheModelAsWholeNumbersAndTruthValues() {
        String document = PmmlDocument.regression(0.5)
                .input("count", "continuous", "integer", "", "").input("member", "categorical", "boolean", "", "")
                .predictor("count", 2).predictor("member", "true", 100).text();
        try (Scorer scorer = Scorer.load(PmmlMissingValueTest.bytes(document))) {
            assertEquals(ValueType.INTEGER, scorer.inputs().get(0).type());
            assertEquals(ValueType.BOOLEAN, scorer.inputs().get(1).type());
            assertEquals(106.5, scorer.score(Map.of("count", 3, "member", true)).value(), 1e-12);
            assertEquals(6.5, scorer.score(Map.of("count", "3", "member", "false")).value(), 1e-12);
            assertEquals(108.5, scorer.score(Map.of("count", 4L, "member", 1)).value(), 1e-12);
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> scorer.score(Map.of("count", 2.5, "member", true)));
            assertEquals("count", e.field());
            assertTrue(e.getMessage().contains("not a whole number"), e.getMessage());
        }
    }

    @Test
    void anIntegerFieldGetsTheExactValueOfALongNeverRoundedThroughADouble() {
        String document = PmmlDocument.regression(0.5).input("id", "continuous", "integer", "", "")
                .output("<OutputField name=\"id_echo\" optype=\"continuous\" dataType=\"integer\" feature=\"transformedValue\">"
                        + "<FieldRef field=\"id\"/></OutputField>")
                .predictor("id", 0).text();
        try (Scorer scorer = Scorer.load(PmmlMissingValueTest.bytes(document))) {
            for (Object given : List.of(Integer.MAX_VALUE, 2147483647L, "2147483647", new java.math.BigInteger("2147483647"))) {
                assertEquals(2147483647L, ((Number) scorer.score(Map.of("id", given)).output("id_echo")).longValue(),
                        "id given as " + given.getClass().getSimpleName());
            }
            Predictions batch = scorer.score(Batch.builder(1).longs("id", new long[] {-2147483648L}).build());
            assertEquals(-2147483648L, ((Number) batch.get(0).output("id_echo")).longValue());
            // JPMML's integer is 32-bit: a bigger value is refused, and the message shows it as given, not rounded
            long big = 9_007_199_254_740_993L; // 2^53 + 1: through a double it would read 9007199254740992
            for (Object given : List.of(big, "9007199254740993")) {
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> scorer.score(Map.of("id", given)));
                assertEquals("id", e.field());
                assertTrue(e.getMessage().contains("9007199254740993"), e.getMessage());
            }
        }
    }
}

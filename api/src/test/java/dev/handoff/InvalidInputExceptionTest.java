package dev.handoff;

import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.internal.bind.BoundRows;
import dev.handoff.internal.bind.InputBinder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two audiences of a bad record: the developer reads the Java setting, the service's client only field and problem. */
class InvalidInputExceptionTest {
    private static final InputField TENURE = InputField.scalar("tenure", ValueType.DOUBLE, MissingValueTreatment.MODEL_HANDLES);
    private static final InputField PLAN = new InputField("plan", ValueType.STRING, List.of(), List.of("basic", "plus"),
            MissingValueTreatment.MODEL_HANDLES);

    private static InvalidInputException failureOf(ScorerOptions options, Map<String, ?> record) {
        BoundRows bound = new InputBinder(List.of(TENURE, PLAN), options).bindRecords(List.of(Map.of("tenure", 1.0, "plan", "basic"), record));
        return bound.failures()[1];
    }

    @Test
    void missingValueUnderRejectNamesTheSettingForTheDeveloperButNotForTheClient() {
        InvalidInputException e = failureOf(ScorerOptions.builder().rejectMissingValues(true).build(), Map.of("plan", "basic"));

        assertEquals(Optional.of(InvalidInputException.Setting.MISSING_VALUES_REJECTED), e.setting());
        assertEquals("Invalid input for field 'tenure' in row 1: the value is missing, and missing values are not accepted; "
                + "expected a number (DOUBLE)", e.clientMessage());
        assertEquals(e.clientMessage() + " (this scorer rejects missing values: ScorerOptions.rejectMissingValues)",
                e.getMessage());
        assertEquals("the value is missing, and missing values are not accepted; expected a number (DOUBLE)", e.problem());
    }

    @Test
    void unknownCategoryUnderErrorIsRefusedByTheSettingAndTheClientReadsTheCategories() {
        InvalidInputException e = failureOf(ScorerOptions.builder().unknownCategories(UnknownCategoryPolicy.ERROR).build(),
                Map.of("tenure", 2.0, "plan", "gold"));

        assertEquals(Optional.of(InvalidInputException.Setting.UNKNOWN_CATEGORIES_REJECTED), e.setting());
        assertEquals("Invalid input for field 'plan' in row 1: value 'gold' (String) is not a known category; expected one of [basic, plus]",
                e.clientMessage());
        assertTrue(e.getMessage().endsWith("(unknown-category policy ERROR: ScorerOptions.unknownCategories)"), e.getMessage());
    }

    @Test
    void keyTheModelDoesNotReadUnderStrictKeysListsTheInputsForTheClient() {
        InvalidInputException e = failureOf(ScorerOptions.builder().strictKeys(true).build(),
                Map.of("tenure", 2.0, "plan", "basic", "customer_id", "c-17"));

        assertEquals(Optional.of(InvalidInputException.Setting.STRICT_KEYS), e.setting());
        assertEquals("Invalid input in row 1: the key 'customer_id' is not read by the model; the model's inputs are [tenure, plan]",
                e.clientMessage());
        assertFalse(e.clientMessage().contains("ScorerOptions"), e.clientMessage());
    }

    @Test
    void faultOfTheRecordAloneReadsTheSameForBothAudiences() {
        InvalidInputException e = failureOf(ScorerOptions.defaults(), Map.of("tenure", "abc", "plan", "basic"));

        assertEquals(Optional.empty(), e.setting());
        assertEquals(e.getMessage(), e.clientMessage());
        assertEquals("tenure", e.field());
        assertEquals("value 'abc' (String) is not a number; expected a number (DOUBLE)", e.problem());
    }

    @Test
    void failureThrownAgainKeepsItsRowAndSettingAndNamesTheStoredOneAsCause() {
        InvalidInputException stored = new InvalidInputException("plan", "gold", 300, "value 'gold' is not a known category",
                InvalidInputException.Setting.UNKNOWN_CATEGORIES_REJECTED);
        InvalidInputException e = stored.thrownAgain();

        assertNotSame(stored, e);
        assertSame(stored, e.getCause());

        assertEquals(300, e.row());
        assertEquals(Optional.of(InvalidInputException.Setting.UNKNOWN_CATEGORIES_REJECTED), e.setting());
        assertEquals("Invalid input for field 'plan' in row 300: value 'gold' is not a known category", e.clientMessage());
    }
}

package dev.handoff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whoever builds an {@link InvalidInputException} (the binder, a runtime, a runtime author's provider), the field
 * name and problem reach its messages escaped and bounded, as {@link ScoringException}'s and
 * {@link ModelLoadException}'s do: a client's or a model's text cannot forge a log line or flood one.
 */
class InvalidInputExceptionBoundsTest {

    @Test
    void aMegabyteProblemWithControlCharactersIsEscapedAndBoundedInEveryMessage() {
        String value = "x\n[main] INFO forged\u0007" + "C".repeat(1 << 20);

        InvalidInputException e = new InvalidInputException("plan\r\nforged", value, 3, "the model rejects '" + value + "'");

        for (String text : new String[] {e.getMessage(), e.clientMessage(), e.problem()}) {
            assertTrue(text.length() < 5_000, "the message has " + text.length() + " chars");
            assertTrue(text.chars().noneMatch(Character::isISOControl), text.substring(0, 100));
        }
        assertTrue(e.getMessage().startsWith("Invalid input for field 'plan\\r\\nforged' in row 3: the model rejects "
                + "'x\\n[main] INFO forged\\u0007CCC"), e.getMessage().substring(0, 100));
        assertTrue(e.problem().endsWith("...(1048617 chars)"), e.problem().substring(e.problem().length() - 40));
        assertSame(value, e.value(), "the value itself stays as given, for the caller's code");
        assertEquals("plan\r\nforged", e.field(), "and so does the field name");
    }

    @Test
    void aFailureThrownAgainKeepsItsProblemAsItWasNeitherCutNorEscapedTwice() {
        InvalidInputException e = new InvalidInputException("plan", "v\\n", 7, "\\ \n" + "P".repeat(10_000));

        InvalidInputException thrown = e.thrownAgain();

        assertEquals(e.problem(), thrown.problem(), "bounded and escaped once, not again");
        assertEquals(e.getMessage(), thrown.getMessage());
        assertEquals(7, thrown.row());
    }
}

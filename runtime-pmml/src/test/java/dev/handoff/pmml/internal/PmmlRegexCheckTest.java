package dev.handoff.pmml.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which patterns count as a repeated group that itself repeats. */
class PmmlRegexCheckTest {

    @Test
    void nestedRepetitionsAreFoundAndNamed() {
        assertEquals("(a+)+", PmmlRegexCheck.nestedRepetition("^(a+)+$"));
        assertEquals("(.*a){10}", PmmlRegexCheck.nestedRepetition("^(.*a){10}$"));
        assertEquals("(\\w+\\s?)*", PmmlRegexCheck.nestedRepetition("^(\\w+\\s?)*$"));
        assertEquals("(x(a*)y)+?", PmmlRegexCheck.nestedRepetition("(x(a*)y)+?"));
        assertEquals("(?:[a-z]{1,5}-){2,}", PmmlRegexCheck.nestedRepetition("(?:[a-z]{1,5}-){2,}"));
        assertEquals("((a|b)+c)*", PmmlRegexCheck.nestedRepetition("((a|b)+c)*"));
    }

    @Test
    void patternsThatCannotBacktrackWithoutEndAreAccepted() {
        assertNull(PmmlRegexCheck.nestedRepetition("^[0-9]+(\\.[0-9]+)?$"));  // the inner group repeats at most once
        assertNull(PmmlRegexCheck.nestedRepetition("(\\d{3})+"));              // fixed-length inner repetition
        assertNull(PmmlRegexCheck.nestedRepetition("(cat|dog)+"));             // no inner repetition
        assertNull(PmmlRegexCheck.nestedRepetition("(a++)+"));                 // possessive inner
        assertNull(PmmlRegexCheck.nestedRepetition("(?>a+)+"));                // atomic group
        assertNull(PmmlRegexCheck.nestedRepetition("(a+)"));                   // not repeated
        assertNull(PmmlRegexCheck.nestedRepetition("\\(a+\\)+"));              // escaped parentheses are literals
        assertNull(PmmlRegexCheck.nestedRepetition("([(a+)])+"));              // parentheses in a class are literals
        assertNull(PmmlRegexCheck.nestedRepetition("\\Q(a+)+\\E"));            // quoted text is literal
        assertNull(PmmlRegexCheck.nestedRepetition("\\p{L}+ \\p{N}*"));
    }
}

package dev.handoff.pmml;

import dev.handoff.ModelLoadException;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.PmmlDocument;
import dev.handoff.testing.RuntimeContract;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strings from a PMML document reach exception messages escaped and bounded (the producer in the load line, as
 * for every runtime, is in {@link RuntimeContract}).
 */
class PmmlLogSafetyTest {

    @Test
    void modelTextInALoadFailureIsEscapedAndBounded() {
        String document = PmmlDocument.line(1, 2).text().replace("<MiningField name=\"x\"/>",
                "<MiningField name=\"" + PmmlDocument.escape("line1\nline2" + "B".repeat(100_000)) + "\"/>");
        ScorerOptions unverified = ScorerOptions.builder().runtime(PmmlOptions.builder().verifyAtLoad(false).build()).build();
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Scorer.load(document.getBytes(StandardCharsets.UTF_8), unverified));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().length() < 5_000, "the message has " + e.getMessage().length() + " chars");
        assertTrue(e.getMessage().contains("line1\\nline2BBB"), e.getMessage());
    }
}

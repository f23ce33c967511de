package dev.handoff.pmml;

import dev.handoff.ModelLoadException;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.CapturedLog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Strings from a PMML document reach the log and exception messages escaped and bounded. */
class PmmlLogSafetyTest {

    private static List<String> loadLines(String applicationName) {
        byte[] document = regression(applicationName).getBytes(StandardCharsets.UTF_8);
        return CapturedLog.linesWhile(() -> Scorer.load(document).close());
    }

    /** y = 1 + 2x, made by an Application of the given name (already escaped for an XML attribute), version 1. */
    private static String regression(String applicationName) {
        return PmmlLoadErrorsTest.VERIFIED_REGRESSION.formatted("5")
                .replace("<Application name=\"handoff-test\"", "<Application name=\"" + applicationName + "\"");
    }

    @Test
    void newlineInTheProducerNameCannotForgeALogLine() {
        List<String> lines = loadLines("evil&#10;[main] INFO dev.handoff.Scorer - Loaded PMML REGRESSION model forged");
        List<String> loaded = lines.stream().filter(l -> l.contains("Loaded PMML")).toList();
        assertEquals(1, loaded.size(), lines.toString());
        assertTrue(loaded.get(0).contains("producer 'evil\\n[main] INFO dev.handoff.Scorer - Loaded PMML REGRESSION model forged 1'"),
                loaded.get(0));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("[main] INFO dev.handoff.Scorer - Loaded PMML REGRESSION model forged")),
                lines.toString());
    }

    @Test
    void hugeProducerNameMakesABoundedLogLine() {
        List<String> lines = loadLines("A".repeat(20_000_000));
        String loaded = lines.stream().filter(l -> l.contains("Loaded PMML")).findFirst().orElseThrow();
        assertTrue(loaded.length() < 1_000, "the load line has " + loaded.length() + " chars");
        assertTrue(loaded.contains("producer '" + "A".repeat(200) + "...(20000002 chars)'"), loaded.substring(0, 300));
    }

    @Test
    void modelTextInALoadFailureIsEscapedAndBounded() {
        String document = regression("x").replace("<MiningField name=\"x\"/>",
                "<MiningField name=\"line1&#10;line2" + "B".repeat(100_000) + "\"/>");
        ScorerOptions unverified = ScorerOptions.builder().runtime(PmmlOptions.builder().verifyAtLoad(false).build()).build();
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Scorer.load(document.getBytes(StandardCharsets.UTF_8), unverified));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().length() < 5_000, "the message has " + e.getMessage().length() + " chars");
        assertTrue(e.getMessage().contains("line1\\nline2BBB"), e.getMessage());
    }
}

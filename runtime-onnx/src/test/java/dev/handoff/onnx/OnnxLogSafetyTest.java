package dev.handoff.onnx;

import dev.handoff.Scorer;
import dev.handoff.testing.CapturedLog;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ONNX {@code producer_name} reaches the load line escaped and bounded. */
class OnnxLogSafetyTest {

    private static List<String> loadLines(String producer) {
        byte[] model = TinyOnnxModel.linearRegression(TinyOnnxModel.DYNAMIC, 1f, 2f).producer(producer).bytes();
        return CapturedLog.linesWhile(() -> Scorer.load(model).close());
    }

    @Test
    void newlineInProducerNameCannotForgeALogLine() {
        List<String> lines = loadLines("evil\n[main] INFO dev.handoff.Scorer - Loaded ONNX REGRESSION model forged");
        List<String> loaded = lines.stream().filter(l -> l.contains("Loaded ONNX")).toList();
        assertEquals(1, loaded.size(), lines.toString());
        assertTrue(loaded.get(0).contains("producer 'evil\\n[main] INFO dev.handoff.Scorer - Loaded ONNX REGRESSION model forged"),
                loaded.get(0));
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("[main] INFO dev.handoff.Scorer - Loaded ONNX REGRESSION model forged")),
                lines.toString());
    }

    @Test
    void twentyMegabyteProducerNameMakesABoundedLogLine() {
        List<String> lines = loadLines("P".repeat(20_000_000));
        String loaded = lines.stream().filter(l -> l.contains("Loaded ONNX")).findFirst().orElseThrow();
        assertTrue(loaded.length() < 1_000, "the load line has " + loaded.length() + " chars");
        assertTrue(loaded.contains("producer '" + "P".repeat(200) + "...("), loaded.substring(0, 300));
    }
}

package dev.handoff;

import dev.handoff.ScorerOptions.RuntimeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading without any runtime on the class path: format detection and the messages a user sees. */
class ScorerLoadingTest {
    /** ir_version = 8, then an empty graph: the start of every ONNX file. */
    private static final byte[] ONNX_START = {0x08, 0x08, 0x3a, 0x00};
    private static final byte[] PMML = ("\uFEFF<?xml version=\"1.0\"?>\n<!-- exported -->\n<PMML xmlns=\"http://www.dmg.org/PMML-4_4\" version=\"4.4\"/>")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void onnxContentIsDetectedWhateverTheFileName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.pmml");
        Files.write(file, ONNX_START);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(file));
        assertEquals(ModelFormat.ONNX, e.format());
        assertTrue(e.getMessage().contains("no ONNX runtime is on the class path")
                && e.getMessage().contains("dev.handoff:handoff-runtime-onnx") && e.getMessage().contains("model.pmml"), e.getMessage());
    }

    @Test
    void pmmlContentWithBomAndPrologIsDetected() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(new ByteArrayInputStream(PMML)));
        assertEquals(ModelFormat.PMML, e.format());
        assertEquals("<stream>", e.source());
        assertTrue(e.getMessage().contains("dev.handoff:handoff-runtime-pmml"), e.getMessage());
    }

    @Test
    void contentThatIsNeitherFormatIsRejectedWithItsFirstBytes() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Scorer.load("{\"model\": \"json\"}".getBytes(StandardCharsets.UTF_8)));
        assertNull(e.format());
        assertTrue(e.getMessage().contains("neither an ONNX model") && e.getMessage().contains("7b 22"), e.getMessage());
    }

    @Test
    void xmlThatIsNotPmmlIsRejected() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Scorer.load("<html><body/></html>".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("no <PMML> root element"), e.getMessage());
    }

    @Test
    void emptyAndAbsentFilesAreRejectedClearly(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.onnx"));
        assertTrue(assertThrows(ModelLoadException.class, () -> Scorer.load(empty)).getMessage().contains("empty (0 bytes)"));
        Path absent = dir.resolve("absent.onnx");
        assertTrue(assertThrows(ModelLoadException.class, () -> Scorer.load(absent)).getMessage().contains("does not exist"));
    }

    @Test
    void modelLargerThanTheLimitIsRejectedBeforeItIsRead() {
        ScorerOptions small = ScorerOptions.builder().maxModelBytes(3).build();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(new ByteArrayInputStream(ONNX_START), small));
        assertTrue(e.getMessage().contains("more than maxModelBytes (3)"), e.getMessage());
    }

    private record PmmlSettings() implements RuntimeOptions {
        @Override
        public ModelFormat format() {
            return ModelFormat.PMML;
        }
    }

    @Test
    void runtimeOptionsForTheOtherFormatFailTheLoadInsteadOfBeingIgnored() {
        ScorerOptions pmmlSettings = ScorerOptions.builder().runtime(new PmmlSettings()).build();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Scorer.load(ONNX_START, pmmlSettings));
        assertEquals(ModelFormat.ONNX, e.format());
        assertTrue(e.getMessage().contains("runtime options for PMML were given, but the model is ONNX"), e.getMessage());
    }
}

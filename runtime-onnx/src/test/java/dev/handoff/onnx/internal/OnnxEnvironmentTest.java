package dev.handoff.onnx.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxEnvironmentTest {

    @Test
    void aNativeLoadFailureNamesTheNoexecTempFolderAndBothFixes() {
        String message = OnnxEnvironment.nativeLoadFailure(new UnsatisfiedLinkError(
                "/tmp/onnxruntime-java1/libonnxruntime.so: failed to map segment from shared object"));

        assertTrue(message.contains("failed to map segment from shared object"), message);
        assertTrue(message.contains("noexec"), message);
        assertTrue(message.contains("-Donnxruntime.native.path="), message);
        assertTrue(message.contains("-Djava.io.tmpdir"), message);
        assertTrue(message.contains("java.io.tmpdir = " + System.getProperty("java.io.tmpdir")), message);
    }
}

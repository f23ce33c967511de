package dev.handoff.onnx.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.handoff.onnx.OnnxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime's process-wide environment as Handoff uses it: telemetry switched off unless some
 * scorer's {@link OnnxOptions#telemetry()} asks for it, and a native-library load failure explained.
 *
 * <pre>{@code
 * OrtEnvironment env = OnnxEnvironment.get(onnxOptions);   // UnsatisfiedLinkError -> IllegalStateException with the fix
 * }</pre>
 *
 * <p>With ONNX Runtime 1.28 (the version Handoff depends on) the switch reaches Windows' event-tracing
 * telemetry only: that version has none on Linux and macOS. 1.29 and later start an uploader on Linux and
 * macOS when the environment is created, before any Java call can reach it (files under
 * {@code ~/.cache/Microsoft/DeveloperTools/.onnxruntime}, or {@code :memory:.ses} in the working directory when
 * HOME is read-only): only the environment variable {@code ORT_DISABLE_TELEMETRY=1}, which a JVM cannot set for
 * itself, avoids it. {@code AddingHandoffLeavesNoTraceTest} fails on such a version.
 */
final class OnnxEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxEnvironment.class);
    private static final Object LOCK = new Object();
    private static Boolean telemetry;

    private OnnxEnvironment() {
    }

    /** The environment, with telemetry set from the options (once on, it stays on: it is process-wide). */
    static OrtEnvironment get(OnnxOptions options) {
        OrtEnvironment env;
        try {
            env = OrtEnvironment.getEnvironment();
        } catch (LinkageError e) {
            throw new IllegalStateException(nativeLoadFailure(e), e);
        }
        synchronized (LOCK) {
            boolean wanted = options.telemetry() || Boolean.TRUE.equals(telemetry);
            if (telemetry == null || telemetry != wanted) {
                try {
                    env.setTelemetry(wanted);
                    telemetry = wanted;
                } catch (OrtException e) {
                    LOG.warn("ONNX Runtime telemetry could not be switched {}: {}", wanted ? "on" : "off", e.getMessage());
                    telemetry = wanted;
                }
            }
        }
        return env;
    }

    /** What a failure to load ONNX Runtime's native library most likely means, and how to fix it. */
    static String nativeLoadFailure(Throwable e) {
        String temp = System.getProperty("java.io.tmpdir");
        return "ONNX Runtime's native library could not be loaded (" + e + "). ONNX Runtime extracts it into the temp "
                + "folder (java.io.tmpdir = " + temp + ") and loads it from there; if that folder is mounted noexec "
                + "('failed to map segment from shared object'), extract the library once at image build time and "
                + "start the JVM with -Donnxruntime.native.path=<folder holding libonnxruntime.so and "
                + "libonnxruntime4j_jni.so>, or point -Djava.io.tmpdir at a folder that allows execution. Also check that "
                + "the onnxruntime artifact matches this platform (" + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ")";
    }
}

package dev.handoff.cli;

import ai.onnxruntime.OrtEnvironment;
import dev.handoff.Scorer;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What {@code handoff --version} prints: the versions a bug report needs, each read from the library
 * itself (ONNX Runtime's from its native library, which is the one that runs).
 */
final class Versions implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
                "Handoff " + Scorer.handoffVersion(),
                "ONNX Runtime " + onnxRuntime(),
                "JPMML-Evaluator " + mavenVersion("org.jpmml", "pmml-evaluator"),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", " + System.getProperty("os.name")
                        + " " + System.getProperty("os.arch") + ")"};
    }

    private static String onnxRuntime() {
        try {
            return OrtEnvironment.getEnvironment().getVersion();
        } catch (RuntimeException | LinkageError e) {
            return "(its native library does not load here: " + e.getMessage() + ")";
        }
    }

    /** The version in the {@code pom.properties} Maven puts in every jar it builds; "unknown" when absent. */
    private static String mavenVersion(String groupId, String artifactId) {
        String path = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = Versions.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

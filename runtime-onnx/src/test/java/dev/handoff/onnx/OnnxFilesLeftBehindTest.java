package dev.handoff.onnx;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What loading and scoring an ONNX model leaves on disk, in a fresh JVM with a fresh HOME and working
 * directory, as the README's "Containers and temp folders" recipe sets them up. The child's environment holds
 * only PATH and HOME: no CI variable (which would make ONNX Runtime 1.29+ skip its telemetry) and no
 * {@code ORT_DISABLE_TELEMETRY}. The benchmarks module's {@code AddingHandoffLeavesNoTraceTest} covers PMML and
 * the command line too.
 */
class OnnxFilesLeftBehindTest {

    private static String runScoreOnce(Path home, Path workingDir, String... jvmFlags)
            throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScoreOnceMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        String path = pb.environment().get("PATH");
        pb.environment().clear();
        pb.environment().put("PATH", path == null ? "/usr/bin:/bin" : path);
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("value="), out);
        return out;
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(f -> !f.equals(dir)).map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }

    @Test
    void loadingAndScoringLeaveNoFileInHomeOrTheWorkingDirectory(@TempDir Path tmp) throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));

        runScoreOnce(home, work);

        assertEquals(List.of(), files(home), "nothing under HOME (ONNX Runtime 1.29's telemetry writes ~/.cache/Microsoft)");
        assertEquals(List.of(), files(work), "no ':memory:.ses' or other file in the working directory");
    }

    /** ONNX Runtime's own folder name for this platform inside its jar, e.g. {@code linux-x64}. */
    private static String nativeFolder() {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(os.contains("linux"), "the recipe is written for Linux containers");
        return "linux-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch);
    }

    @Test
    void aPreExtractedNativeLibraryLeavesTheTempFolderEmpty(@TempDir Path tmp) throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("onnxruntime"));
        Path jar = Path.of(ai.onnxruntime.OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String prefix = "ai/onnxruntime/native/" + nativeFolder() + "/";
        int extracted = 0;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            for (var entry : java.util.Collections.list(zip.entries())) {
                if (entry.getName().startsWith(prefix) && !entry.isDirectory()) {
                    try (var in = zip.getInputStream(entry)) {
                        Files.copy(in, lib.resolve(entry.getName().substring(prefix.length())));
                    }
                    extracted++;
                }
            }
        }
        Assumptions.assumeTrue(extracted > 0, "this onnxruntime jar has no " + prefix);
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path work = Files.createDirectories(tmp.resolve("work"));

        runScoreOnce(home, work, "-Donnxruntime.native.path=" + lib, "-Djava.io.tmpdir=" + temp);

        assertEquals(List.of(), files(temp), "nothing extracted into the temp folder");
    }

}

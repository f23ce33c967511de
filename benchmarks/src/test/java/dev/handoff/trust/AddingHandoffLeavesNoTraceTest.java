package dev.handoff.trust;

import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adding Handoff to a service changes nothing else in it: a fresh JVM that loads and scores an ONNX and a PMML
 * model, through the library and through the command line, with an empty HOME, a read-only working directory, a
 * temp folder of its own and none of the variables that make ONNX Runtime skip its telemetry, leaves no file in
 * any of the three, holds no socket, and ONNX Runtime prints nothing.
 *
 * <p>ONNX Runtime 1.29.0 fails this (it writes {@code ~/.cache/Microsoft/DeveloperTools/.onnxruntime/} and
 * uploads an event unless {@code ORT_DISABLE_TELEMETRY=1} is set before the JVM starts); 1.28.0, the version
 * Handoff pins, passes. The tests of a build machine usually run with {@code CI=true}, which hides the
 * telemetry: the child's environment is therefore built from nothing.
 */
class AddingHandoffLeavesNoTraceTest {

    /**
     * What ONNX Runtime reads to skip its telemetry (onnxruntime/core/platform/telemetry_environment.h: the CI
     * variables, its own unit-test flag, the opt-outs): none may reach the child.
     */
    private static final List<String> TELEMETRY_SWITCHES = List.of("CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI",
            "CIRCLECI", "TRAVIS", "JENKINS_URL", "CODEBUILD_BUILD_ID", "BUILDKITE", "TEAMCITY_VERSION", "APPVEYOR",
            "BITBUCKET_BUILD_NUMBER", "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI", "ORT_RUNNING_UNIT_TESTS",
            "ORT_TELEMETRY_DISABLED", "ORT_DISABLE_TELEMETRY", "DO_NOT_TRACK");

    @TempDir
    Path root;

    private Path home;
    private Path work;
    private Path temp;
    private Path models;
    private Path onnxModel;
    private Path pmmlModel;
    private Path input;

    private record Run(int exitCode, String out, String err) {
    }

    private void prepareFolders() throws IOException {
        home = Files.createDirectories(root.resolve("home"));
        work = Files.createDirectories(root.resolve("work"));
        temp = Files.createDirectories(root.resolve("temp"));
        models = Files.createDirectories(root.resolve("models"));
        onnxModel = CorpusModel.CHURN_LOGREG_ONNX.copyModelTo(models);
        pmmlModel = CorpusModel.CHURN_LOGREG_PMML.copyModelTo(models);
        input = CorpusModel.CHURN_LOGREG_ONNX.copyInputTo(models);
        // read-only as a container would mount them (root writes anyway: the listings below are what count)
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(models, PosixFilePermissions.fromString("r-xr-xr-x"));
    }

    private Run runJava(String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Djava.io.tmpdir=" + temp, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = pb.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path == null ? "/usr/bin:/bin" : path);
        env.put("HOME", home.toString());
        env.put("TMPDIR", temp.toString());
        env.put("LANG", "C.UTF-8");
        TELEMETRY_SWITCHES.forEach(name -> assertTrue(!env.containsKey(name), name));
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the child JVM did not exit");
        return new Run(p.exitValue(), out, err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(f -> !f.equals(dir)).map(f -> dir.relativize(f).toString()).sorted().toList();
        }
    }

    /**
     * Nothing in HOME or the working directory; in the temp folder, only what the caller asked ONNX Runtime for by
     * not setting {@code onnxruntime.native.path}: the folder it extracts its native library into, emptied once the
     * library is loaded (the README's recipe avoids even that, see {@code OnnxFilesLeftBehindTest}).
     */
    private void assertNothingLeft(Run run) throws IOException {
        List<String> temporary = files(temp);
        assertAll(
                () -> assertEquals(List.of(), files(home), "files in HOME\n" + run),
                () -> assertEquals(List.of(), files(work), "files in the working directory\n" + run),
                () -> assertEquals(1, temporary.size(), "files in java.io.tmpdir: " + temporary + "\n" + run),
                () -> assertTrue(temporary.stream().allMatch(f -> f.matches("onnxruntime-java[0-9]+")), temporary.toString()));
    }

    @Test
    void theLibraryLoadsAndScoresBothFormatsLeavingNoFileNoSocketAndNoRuntimeOutput() throws Exception {
        prepareFolders();

        Run run = runJava(LoadAndScoreMain.class.getName(), onnxModel.toString(), pmmlModel.toString());

        assertAll(() -> assertNothingLeft(run), () -> assertEquals(0, run.exitCode(), run.toString()));
        List<String> lines = run.out().lines().toList();
        assertEquals(3, lines.size(), run.out());
        assertTrue(lines.get(0).startsWith("sklearn_churn_logreg-model.onnx label=0 probability(1)=0.318258"), lines.get(0));
        assertTrue(lines.get(1).startsWith("sklearn_churn_logreg-model.pmml label=0 probability(1)=0.318258"), lines.get(1));
        assertEquals("sockets=0", lines.get(2));
        assertEquals("", run.err(), "nothing on stderr: no ONNX Runtime warning, no telemetry notice");
    }

    @Test
    void theCommandLineScoresBothFormatsLeavingNoFileAndNoRuntimeOutput() throws Exception {
        prepareFolders();

        Run onnx = runJava("dev.handoff.cli.HandoffCommand", "score", onnxModel.toString(),
                "--input", input.toString(), "--no-progress");
        Run pmml = runJava("dev.handoff.cli.HandoffCommand", "score", pmmlModel.toString(),
                "--input", input.toString(), "--no-progress");

        assertNothingLeft(onnx);
        for (Run run : List.of(onnx, pmml)) {
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().startsWith("label,probability(0),probability(1),error\n0,0.68174"), run.out());
            assertEquals("", run.err(), "nothing on stderr");
        }
    }
}

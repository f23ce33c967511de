package dev.handoff.trust;

import ai.onnxruntime.OrtEnvironment;
import dev.handoff.Scorer;
import dev.handoff.onnx.OnnxOptions;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static dev.handoff.trust.ChildJvm.jarOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A service that pins its own protobuf-java (3.25.5, as many gRPC services do) loads and scores ONNX models:
 * handoff-runtime-onnx carries its protobuf-java relocated into {@code dev.handoff.onnx.internal.protobuf}.
 * These tests need the packaged (shaded) jar, which the reactor puts on this module's class path from
 * {@code mvn verify} on; from an IDE, or {@code mvn test}, they are skipped. The old protobuf-java jar is copied
 * into {@code target/consumer-protobuf} by the build (see this module's pom).
 */
class ProtobufOfTheServiceTest {

    private Path runtimeOnnxJar;
    private Path oldProtobuf;

    @TempDir
    Path dir;

    @BeforeEach
    void findJars() {
        runtimeOnnxJar = jarOf(OnnxOptions.class);
        assumeTrue(Files.isRegularFile(runtimeOnnxJar),
                "handoff-runtime-onnx is " + runtimeOnnxJar + ", not its packaged jar: run mvn verify");
        oldProtobuf = Path.of(System.getProperty("handoff.consumerProtobuf", "target/consumer-protobuf/protobuf-java.jar"));
        assertTrue(Files.isRegularFile(oldProtobuf), oldProtobuf + " (copied by the build)");
    }

    @Test
    void thePublishedJarCarriesProtobufRelocatedAndDoesNotRequireIt() throws Exception {
        try (JarFile jar = new JarFile(runtimeOnnxJar.toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertFalse(names.stream().anyMatch(n -> n.startsWith("com/google/")), "no com.google class left unrelocated");
            assertTrue(names.contains("dev/handoff/onnx/internal/protobuf/CodedInputStream.class"), "protobuf relocated");
            assertTrue(names.contains("META-INF/licenses/protobuf-java-LICENSE.txt"), "protobuf's licence kept");
        }
        ModuleDescriptor module = ModuleFinder.of(runtimeOnnxJar).findAll().iterator().next().descriptor();
        assertEquals("dev.handoff.onnx", module.name());
        assertFalse(module.isAutomatic());
        assertEquals(List.of("com.microsoft.onnxruntime", "dev.handoff", "java.base", "java.logging", "jdk.unsupported",
                        "org.slf4j"),
                module.requires().stream().map(ModuleDescriptor.Requires::name).sorted().toList());
        assertEquals(List.of("dev.handoff.onnx"), module.exports().stream().map(ModuleDescriptor.Exports::source).toList());
        assertTrue(module.packages().contains("dev.handoff.onnx.internal.protobuf"), module.packages().toString());
    }

    @Test
    void aServiceWithProtobuf3OnTheClassPathLoadsAndScoresTheChurnModels() throws Exception {
        List<String> classPath = new ArrayList<>();
        classPath.add(oldProtobuf.toString()); // first, as the service's own pinned version
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("protobuf-java"))
                .forEach(classPath::add);

        String out = runLoadAndScore(List.of("-cp", String.join(File.pathSeparator, classPath)));

        assertScored(out);
    }

    @Test
    void aServiceOnTheModulePathWithProtobuf3LoadsAndScoresTheChurnModels() throws Exception {
        String modulePath = List.of(runtimeOnnxJar, jarOf(Scorer.class), jarOf(OrtEnvironment.class),
                jarOf(LoggerFactory.class), oldProtobuf).stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));

        String out = runLoadAndScore(List.of("--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH",
                "-cp", jarOf(LoadAndScoreMain.class).toString()));

        assertScored(out);
    }

    private String runLoadAndScore(List<String> classOrModulePath) throws Exception {
        Path logreg = CorpusModel.CHURN_LOGREG_ONNX.copyModelTo(dir);
        Path pipeline = CorpusModel.CHURN_PIPELINE_ONNX.copyModelTo(dir);
        List<String> arguments = new ArrayList<>(classOrModulePath);
        arguments.addAll(List.of(LoadAndScoreMain.class.getName(), logreg.toString(), pipeline.toString()));
        return ChildJvm.run(arguments);
    }

    /** The first churn record, as the models' expected.csv files give it. */
    private static void assertScored(String out) {
        List<String> lines = out.lines().toList();
        assertNotNull(lines);
        assertTrue(lines.get(0).startsWith("sklearn_churn_logreg-model.onnx label=0 probability(1)=0.318258"), out);
        assertTrue(lines.get(1).startsWith("sklearn_churn_pipeline-model.onnx label=0 probability(1)=0.22924"), out);
    }
}

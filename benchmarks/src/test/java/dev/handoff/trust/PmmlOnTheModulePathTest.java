package dev.handoff.trust;

import dev.handoff.Scorer;
import dev.handoff.pmml.PmmlOptions;
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
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.handoff.trust.ChildJvm.jarOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's "On the module path" for PMML: {@code handoff-runtime-pmml} is the named module
 * {@code dev.handoff.pmml}, which requires JPMML's jars by the module names Java derives from their file
 * names; a service with everything on the module path loads and scores a PMML model. Needs the packaged jar
 * (run by {@code mvn verify}).
 */
class PmmlOnTheModulePathTest {
    /** JPMML-Evaluator and what it needs at run time, as {@code mvn dependency:tree} lists them. */
    private static final Pattern JPMML_TREE = Pattern.compile(
            "(pmml-|guava-|failureaccess-|jakarta\\.|jaxb-|istack-|txw2-|angus-|jackson-annotations-|fastcsv-|commons-math3-).*\\.jar");

    private Path runtimePmmlJar;

    @TempDir
    Path dir;

    @BeforeEach
    void findJar() {
        runtimePmmlJar = jarOf(PmmlOptions.class);
        assumeTrue(Files.isRegularFile(runtimePmmlJar),
                "handoff-runtime-pmml is " + runtimePmmlJar + ", not its packaged jar: run mvn verify");
    }

    @Test
    void thePmmlJarIsANamedModuleThatExportsOnlyItsOptions() {
        ModuleDescriptor module = ModuleFinder.of(runtimePmmlJar).findAll().iterator().next().descriptor();

        assertEquals("dev.handoff.pmml", module.name());
        assertFalse(module.isAutomatic());
        assertEquals(List.of("dev.handoff.pmml"), module.exports().stream().map(ModuleDescriptor.Exports::source).toList());
        assertTrue(module.provides().stream().anyMatch(p -> p.service().equals("dev.handoff.spi.ScorerProvider")));
    }

    @Test
    void aServiceWithEverythingOnTheModulePathLoadsAndScoresAPmmlModel() throws Exception {
        List<Path> modulePath = new ArrayList<>(List.of(runtimePmmlJar, jarOf(Scorer.class), jarOf(LoggerFactory.class)));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .filter(jar -> JPMML_TREE.matcher(jar.getFileName().toString()).matches())
                .forEach(modulePath::add);
        Path model = CorpusModel.CHURN_PIPELINE_PMML.copyModelTo(dir);

        String out = ChildJvm.run(List.of(
                "--module-path", modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
                "--add-modules", "ALL-MODULE-PATH", "-cp", jarOf(LoadAndScoreMain.class).toString(),
                LoadAndScoreMain.class.getName(), model.toString()));

        assertTrue(out.startsWith("sklearn_churn_pipeline-model.pmml label=0 probability(1)=0.2292"), out);
    }
}

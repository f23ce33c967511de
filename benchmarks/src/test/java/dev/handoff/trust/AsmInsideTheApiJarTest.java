package dev.handoff.trust;

import dev.handoff.Scorer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;

import static dev.handoff.trust.ChildJvm.jarOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The compiled tree engine writes bytecode with ASM, which {@code handoff-api} carries relocated to
 * {@code dev.handoff.internal.asm}: a service's own ASM (Spring, Byte Buddy, a Java agent) can be any version. The jar
 * stays the named module {@code dev.handoff} with the same exports and no new {@code requires}, and on the module path
 * it still compiles trees into hidden classes. Needs the packaged jar (run by {@code mvn verify}).
 */
class AsmInsideTheApiJarTest {
    private Path apiJar;

    @BeforeEach
    void findJar() {
        apiJar = jarOf(Scorer.class);
        assumeTrue(Files.isRegularFile(apiJar), "handoff-api is " + apiJar + ", not its packaged jar: run mvn verify");
    }

    @Test
    void theApiJarCarriesAsmRelocatedAndTheSameModuleDescriptor() throws Exception {
        try (JarFile jar = new JarFile(apiJar.toFile())) {
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertFalse(names.stream().anyMatch(n -> n.startsWith("org/objectweb/")), "no ASM class left unrelocated");
            assertTrue(names.contains("dev/handoff/internal/asm/ClassWriter.class"), "ASM relocated");
            assertTrue(names.contains("META-INF/licenses/asm-LICENSE.txt"), "ASM's licence kept");
        }
        ModuleDescriptor module = ModuleFinder.of(apiJar).findAll().iterator().next().descriptor();
        assertEquals("dev.handoff", module.name());
        assertFalse(module.isAutomatic());
        assertEquals(List.of("java.base", "org.slf4j"), module.requires().stream().map(ModuleDescriptor.Requires::name).sorted().toList());
        assertEquals(List.of("dev.handoff", "dev.handoff.internal to [dev.handoff.onnx, dev.handoff.pmml]",
                        "dev.handoff.internal.tree to [dev.handoff.onnx, dev.handoff.pmml]", "dev.handoff.spi"),
                module.exports().stream().map(e -> e.source() + (e.isQualified() ? " to " + e.targets().stream().sorted().toList() : ""))
                        .sorted().toList());
        assertTrue(module.packages().contains("dev.handoff.internal.asm"), module.packages().toString());
    }

    @Test
    void thePublishedPomDoesNotListAsm() throws Exception {
        Path pom = Path.of(System.getProperty("handoff.apiReducedPom", "../api/dependency-reduced-pom.xml"));
        assumeTrue(Files.isRegularFile(pom), pom + " is written by the api's package phase");
        String text = Files.readString(pom);
        String dependencies = text.substring(text.indexOf("<dependencies>"), text.indexOf("</dependencies>"));
        assertTrue(dependencies.contains("<artifactId>slf4j-api</artifactId>"), dependencies);
        assertFalse(dependencies.contains("asm"), dependencies);
    }

    @Test
    void onTheModulePathTheApiCompilesTreesIntoHiddenClasses() throws Exception {
        String modulePath = apiJar + File.pathSeparator + jarOf(LoggerFactory.class);

        String out = ChildJvm.run(List.of("--module-path", modulePath, "--add-modules", "dev.handoff",
                "--add-exports", "dev.handoff/dev.handoff.internal.tree=ALL-UNNAMED",
                "-cp", jarOf(CompileTreesMain.class).toString(), CompileTreesMain.class.getName()));

        assertEquals("bytecode 10.0 20.0", out.strip());
    }
}

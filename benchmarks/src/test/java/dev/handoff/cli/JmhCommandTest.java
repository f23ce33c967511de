package dev.handoff.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmhCommandTest {

    @Test
    void jmhListsBothBenchmarkClassesWithTheArgumentsPassedThrough() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exitCode;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8)); // JMH prints to System.out
            exitCode = CommandRun.of("jmh", "-l", "RowBenchmark").exitCode();
        } finally {
            System.setOut(original);
        }

        String listed = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, exitCode);
        assertTrue(listed.contains("dev.handoff.benchmarks.jmh.OnnxRowBenchmark.handoff"), listed);
        assertTrue(listed.contains("dev.handoff.benchmarks.jmh.OnnxRowBenchmark.raw"), listed);
        assertTrue(listed.contains("dev.handoff.benchmarks.jmh.PmmlRowBenchmark.raw"), listed);
        assertTrue(!listed.contains("BatchBenchmark"), "the pattern is passed through to JMH: " + listed);
    }
}

package dev.handoff.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks that the README prints a test's code between its snippet markers, line for line (comments aside). */
public final class ReadmeSnippets {
    private static final String BEGIN = "// ---- README snippet begins ----";
    private static final String END = "// ---- README snippet ends ----";

    private ReadmeSnippets() {
    }

    /**
     * Asserts that every code line between the markers of {@code source} is a line of {@code ../README.md},
     * after {@code asPrinted} turns the test's line into the README's (a temp path into a file name, say).
     */
    public static void assertReadmeShows(Path source, UnaryOperator<String> asPrinted) {
        try {
            String text = Files.readString(source);
            String snippet = text.substring(text.indexOf(BEGIN) + BEGIN.length(), text.indexOf(END));
            String readme = Files.readString(Path.of("../README.md"));
            for (String line : snippet.split("\n")) {
                String code = asPrinted.apply(codeOf(line));
                if (!code.isEmpty()) {
                    assertTrue(readme.lines().anyMatch(l -> codeOf(l).equals(code)), "README.md lacks the line: " + code);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String codeOf(String line) {
        int comment = line.indexOf("//");
        return (comment < 0 ? line : line.substring(0, comment)).strip();
    }
}

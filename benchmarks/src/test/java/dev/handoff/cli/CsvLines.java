package dev.handoff.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Edits of a copied corpus CSV file for a test: a misspelt header, a bad cell, rows left out. */
final class CsvLines {

    private CsvLines() {
    }

    /** The header line's column names (a plain comma split: test files quote no header). */
    static List<String> header(Path file) {
        try {
            return List.of(Files.readAllLines(file).get(0).split(","));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites {@code file} with its lines (header first) changed by {@code edit}; returns {@code file}. */
    static Path edit(Path file, Consumer<List<String>> edit) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file));
            edit.accept(lines);
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.handoff.cli;

import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What a hostile but realistic user gives {@code score} and {@code verify}: each ends with a clear message and a documented exit code. */
class HostileInputTest {
    private static final CorpusModel IRIS = CorpusModel.IRIS_PMML;

    @TempDir
    Path dir;

    private CommandRun score(Path input, String... more) {
        List<String> args = new ArrayList<>(List.of("score", IRIS.copyModelTo(dir).toString(), "--input", input.toString()));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }

    private static void assertNoStackTrace(CommandRun run) {
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception") || run.err().contains("Error:"),
                "a message, no stack trace: " + run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"same path", "other spelling", "symbolic link", "hard link"})
    void outputThatIsTheInputFileIsRefusedBeforeAnythingIsWritten(String how) throws IOException {
        Path input = IRIS.copyInputTo(dir);
        byte[] before = Files.readAllBytes(input);
        Files.createDirectories(dir.resolve("sub"));
        Path output = switch (how) {
            case "same path" -> input;
            case "other spelling" -> dir.resolve("sub").resolve("..").resolve(input.getFileName());
            case "symbolic link" -> Files.createSymbolicLink(dir.resolve("link.csv"), input);
            default -> Files.createLink(dir.resolve("hard.csv"), input);
        };

        CommandRun run = score(input, "--output", output.toString());

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--output " + output + " is the input file " + input), run.err());
        assertTrue(run.err().contains("writing it would destroy the rows being read"), run.err());
        assertArrayEquals(before, Files.readAllBytes(input), "the input is untouched");
    }

    @Test
    void outputThatIsTheModelFileOrAFolderIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path model = IRIS.copyModelTo(dir);
        byte[] before = Files.readAllBytes(model);

        CommandRun overModel = CommandRun.of("score", model.toString(), "--input", IRIS.copyInputTo(dir).toString(),
                "--output", model.toString());
        CommandRun intoFolder = score(IRIS.copyInputTo(dir), "--output", dir.toString());

        assertEquals(2, overModel.exitCode(), overModel.err());
        assertTrue(overModel.err().contains("--output " + model + " is the model file " + model + ": writing it would destroy the model"),
                overModel.err());
        assertArrayEquals(before, Files.readAllBytes(model), "the model is untouched");
        assertEquals(2, intoFolder.exitCode(), intoFolder.err());
        assertTrue(intoFolder.err().contains("--output " + dir + " is a folder; give a file name"), intoFolder.err());
    }

    @Test
    void lineLongerThanTheBoundFailsNamingItsLineAndTheBoundWithoutRunningOutOfMemory() throws IOException {
        Path input = dir.resolve("long.csv");
        try (OutputStream out = Files.newOutputStream(input)) {
            out.write((String.join(",", CsvLines.header(IRIS.copyInputTo(dir))) + "\n5.1,3.5,1.4,0.2\n").getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "1".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 6; i++) {
                out.write(chunk); // 6 MB on line 3, beyond the 4 Mi chars a record may have
            }
        }

        CommandRun run = score(input);

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("CSV file " + input + ": the record on line 3 is longer than 4,194,304 characters, the most a "
                + "record may have"), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void devZeroAsInputFailsAtTheBoundOfItsFirstLine() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(zero), "a system with /dev/zero");

        CommandRun run = score(zero);

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("CSV file /dev/zero: the record on line 1 is longer than 4,194,304 characters"), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void rowShorterThanTheHeaderFailsAloneLikeALongerOneWhileAnEmptyCellStaysMissing() {
        Path input = CsvLines.edit(IRIS.copyInputTo(dir), lines -> {
            lines.set(5, lines.get(5).substring(0, lines.get(5).lastIndexOf(','))); // 3 cells
            lines.set(lines.size() - 1, lines.get(lines.size() - 1).substring(0, 3)); // a file cut short
        });

        CommandRun run = score(input);

        assertEquals(3, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        assertEquals(151, rows.size());
        assertEquals("line 6 has 3 cells, but the header has 4 columns (is the file cut short? an empty cell is written as nothing "
                + "between two separators)", rows.get(5).get(rows.get(5).size() - 1));
        assertTrue(rows.get(150).get(rows.get(150).size() - 1).startsWith("line 151 has 1 cell, but the header has 4 columns"),
                rows.get(150).toString());
        assertTrue(run.err().contains("2 of 150 rows could not be scored"), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"inf", "Infinity", "-inf", "1e400", "12f", "2.6d", "0x1p7", "1_000"})
    void infinityOverflowAndJavaOnlyNumbersFailTheirRow(String cell) {
        Path input = CsvLines.edit(IRIS.copyInputTo(dir), lines -> lines.set(3, lines.get(3).replaceFirst("^[^,]*,", cell + ",")));

        CommandRun run = score(input);

        assertEquals(3, run.exitCode(), run.err());
        String error = run.outCsv().get(3).get(4);
        assertTrue(error.startsWith("Invalid input for field 'sepal length (cm)': value '" + cell + "' (String) is not a number"), error);
    }

    @Test
    void millionDigitCellFailsItsRowByItsLength() {
        Path input = CsvLines.edit(IRIS.copyInputTo(dir), lines -> lines.set(3, lines.get(3).replaceFirst("^[^,]*,", "9".repeat(1_000_000) + ",")));

        CommandRun run = score(input);

        assertEquals(3, run.exitCode(), run.err());
        assertTrue(run.outCsv().get(3).get(4).contains("is not a number"), run.outCsv().get(3).get(4));
        assertTrue(run.err().length() < 2_000, "the cell is not echoed whole: " + run.err().length() + " chars");
    }

    /** pandas' {@code to_csv(encoding='utf-8-sig', quoting=csv.QUOTE_ALL)}, with Windows line ends. */
    @Test
    void byteOrderMarkBeforeAQuotedHeaderWithCrlfIsScoredAndVerified() throws IOException {
        List<String> lines = Files.readAllLines(IRIS.copyInputTo(dir));
        String quoted = lines.stream().map(line -> Arrays.stream(line.split(",", -1)).map(c -> "\"" + c + "\"")
                .collect(Collectors.joining(","))).collect(Collectors.joining("\r\n", "\uFEFF", "\r\n"));
        Path input = Files.writeString(dir.resolve("pandas.csv"), quoted);

        CommandRun scored = score(input);
        CommandRun verified = CommandRun.of("verify", IRIS.copyModelTo(dir).toString(), "--input", input.toString(),
                "--expected", IRIS.copyExpectedTo(dir).toString());

        assertEquals(0, scored.exitCode(), scored.err());
        ExpectedRows.assertRowMatches(IRIS, 0, scored.outCsv().get(1));
        assertEquals(0, verified.exitCode(), verified.out() + verified.err());
    }

    @Test
    void outputInAFolderThatDoesNotExistNamesTheFolderBeforeScoring() {
        Path output = dir.resolve("no-such-folder").resolve("out.csv");

        CommandRun run = score(IRIS.copyInputTo(dir), "--output", output.toString());

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--output " + output + ": the folder " + output.getParent() + " does not exist"), run.err());
    }

    @Test
    void outputThatCannotBeWrittenNamesTheFile() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "a system with /dev/full");

        CommandRun run = score(IRIS.copyInputTo(dir), "--output", full.toString());

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("cannot write /dev/full: "), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void gzipCutInItsHeaderSaysItIsNotACompleteGzipStream() throws IOException {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gzip)) {
            out.write(Files.readAllBytes(IRIS.copyInputTo(dir)));
        }
        Path cut = Files.write(dir.resolve("cut.csv.gz"), Arrays.copyOf(gzip.toByteArray(), 6));

        CommandRun run = score(cut);

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(cut + " is not a complete gzip stream: it ends inside the gzip header"), run.err());
        assertFalse(run.err().contains("null"), run.err());
    }

    @Test
    void gzipCutInItsBodyNamesTheFileAndTheLastLineRead() throws IOException {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gzip)) {
            for (int i = 0; i < 20; i++) {
                out.write(Files.readAllBytes(IRIS.copyInputTo(dir)));
            }
        }
        Path cut = Files.write(dir.resolve("cut.csv.gz"), Arrays.copyOf(gzip.toByteArray(), 800));

        CommandRun run = score(cut);

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(cut + " ends unexpectedly in its header line (a gzip file cut short?): Unexpected end of ZLIB input stream"),
                run.err());
        assertNoStackTrace(run);
    }

    @Test
    void delimiterHintBoundsAndEscapesTheHeaderItEchoes() throws IOException {
        Path input = Files.writeString(dir.resolve("semicolons.csv"), "a;b\u001b[31m;" + "c".repeat(50_000) + "\n1;2;3\n");

        CommandRun run = score(input);

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("give --delimiter ';'"), run.err());
        assertTrue(run.err().contains("a;b\\u001B[31m;ccc"), run.err());
        assertFalse(run.err().contains("\u001b"), "no raw escape character");
        assertTrue(run.err().length() < 2_000, run.err().length() + " chars");
    }

    @Test
    void verificationFileThatIsNotUtf8NamesTheFileAndLine() throws IOException {
        List<String> lines = Files.readAllLines(IRIS.copyExpectedTo(dir));
        lines.set(4, lines.get(4).replace("setosa", "s\u00e9tosa"));
        Path expected = Files.write(dir.resolve("latin1.csv"), lines, StandardCharsets.ISO_8859_1);

        CommandRun run = CommandRun.of("verify", IRIS.copyModelTo(dir).toString(), "--input", IRIS.copyInputTo(dir).toString(),
                "--expected", expected.toString());

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(expected + ": line 5 is not valid UTF-8 (byte 0xE9)"), run.err());
        assertFalse(run.err().contains("Input length"), run.err());
    }
}

package dev.handoff.cli;

import dev.handoff.OutputField;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.testing.CorpusModel;
import dev.handoff.onnx.OnnxOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreCommandTest {

    @TempDir
    Path dir;

    /**
     * Every model file of the corpus reproduces its {@code expected.csv} under the default options: missing
     * values go to the model, and a single-tensor ONNX model is filled from the CSV columns in header order
     * ({@code --by-position}). The one row R gives no prediction for (r_glm_mtcars) fails alone: exit code 3.
     */
    /** The compiled tree engine and the runtime (--engine runtime) write the same file for every corpus tree file. */
    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"DIABETES_ONNX", "XGBOOST_MISSING_ONNX", "HGB_MISSING_ONNX",
            "HGB_MISSING_NOZIPMAP_ONNX", "IRIS_ONNX", "IRIS_NOZIPMAP_ONNX"})
    void engineRuntimeWritesTheSameFileAsTheCompiledTreeEngine(CorpusModel model) {
        String file = model.copyModelTo(dir).toString();
        String input = model.copyInputTo(dir).toString();

        CommandRun auto = CommandRun.ofCorpus(model, "score", file, "--input", input);
        CommandRun runtime = CommandRun.ofCorpus(model, "score", file, "--input", input, "--engine", "runtime");

        assertEquals(0, auto.exitCode(), auto.err());
        assertEquals(0, runtime.exitCode(), runtime.err());
        assertEquals(runtime.out(), auto.out());
    }

    @ParameterizedTest
    @EnumSource(CorpusModel.class)
    void reproducesTheExpectedFileOfEveryCorpusModelUnderDefaultOptions(CorpusModel model) {
        CommandRun run = CommandRun.ofCorpus(model, "score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString());

        boolean rowWithoutPrediction = model.expectedRows().stream().anyMatch(row -> String.join("", row).isEmpty());
        assertEquals(rowWithoutPrediction ? HandoffCommand.EXIT_ROWS_FAILED : 0, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        List<String> header = new ArrayList<>(model.expectedColumns());
        header.add("error");
        assertEquals(header, rows.get(0));
        assertEquals(model.expectedRows().size(), rows.size() - 1);
        for (int r = 0; r < model.expectedRows().size(); r++) {
            if (!model.isFloat32Fragile(r)) { // documented: the float32 graph may take the other branch at a split threshold
                ExpectedRows.assertRowMatches(model, r, rows.get(r + 1));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"IRIS_PMML", "IRIS_NOZIPMAP_ONNX"})
    void rowWithTextInANumericColumnKeepsItsPlaceWithAnErrorNamingTheFieldAndExits3(CorpusModel model) {
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> {
            String[] row2 = lines.get(3).split(",");
            row2[2] = "abc"; // petal length (cm)
            lines.set(3, String.join(",", row2));
        });

        CommandRun run = CommandRun.ofCorpus(model, "score", model.copyModelTo(dir).toString(), "--input", input.toString());

        assertEquals(3, run.exitCode(), run.err());
        assertOnlyTheseRowsFail(model, run, r -> r == 2,
                "Invalid input for field 'petal length (cm)': value 'abc' (String) is not a number; expected a number");
        assertTrue(run.err().contains("the first, line 4: Invalid input for field 'petal length (cm)'"), run.err());
    }

    @Test
    void mtcarsRowWithMissingWtGetsNoPredictionWithAnErrorNamingWt() {
        CorpusModel model = CorpusModel.MTCARS_PMML;

        CommandRun run = score(model);

        assertEquals(3, run.exitCode(), run.err());
        assertOnlyTheseRowsFail(model, run, r -> r == 149,
                "Invalid input for field 'wt': the model gives no prediction for this row: field 'wt' is missing");
        assertTrue(run.out().contains("\n,,,Invalid input for field 'wt'"), "no prediction is written as the corpus writes it: ,,");
    }

    @Test
    void rejectMissingFailsEveryRowWithAnEmptyCellNamingTheFlagAndScoresTheOthers() {
        CorpusModel model = CorpusModel.HGB_MISSING_PMML;
        List<Map<String, Object>> records = model.inputRecords();

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--missing", "reject");

        assertEquals(3, run.exitCode(), run.err());
        int failed = assertOnlyTheseRowsFail(model, run, r -> records.get(r).size() < model.inputColumns().size(),
                "the value is missing, and missing values are not accepted; expected a number (DOUBLE) (--missing reject)");
        assertEquals(133, failed, "the corpus case's rows with an empty cell");
        assertFalse(run.out().contains("ScorerOptions"), "the command line names its flags, not Java calls");
    }

    @Test
    void headerNameThatNearlyMatchesAnInputExitsWith2BeforeScoringWithDidYouMean() {
        CorpusModel model = CorpusModel.CHURN_LOGREG_PMML;
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> lines.set(0, lines.get(0).replace(",plan,", ",PLAN,")));

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", input.toString());

        assertEquals(2, run.exitCode(), run.err());
        assertEquals("", run.out(), "nothing is scored");
        assertTrue(run.err().contains("the header of " + input + " does not fit the model: the column 'PLAN' (did you mean 'plan'?) "
                + "is not an input of the model"), run.err());
    }

    @Test
    void headerWithoutAnInputExitsWith2BeforeScoringUnlessMissingColumnsAreAllowed() {
        CorpusModel model = CorpusModel.CHURN_LOGREG_PMML;
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> lines.replaceAll(line -> line.replaceFirst("^([^,]*,[^,]*,[^,]*,[^,]*,)[^,]*,", "$1")));
        assertFalse(CsvLines.header(input).contains("age"));
        String modelFile = model.copyModelTo(dir).toString();

        CommandRun refused = CommandRun.of("score", modelFile, "--input", input.toString());
        CommandRun allowed = CommandRun.of("score", modelFile, "--input", input.toString(), "--allow-missing-columns");

        assertEquals(2, refused.exitCode(), refused.err());
        assertEquals("", refused.out());
        assertTrue(refused.err().contains("has no column for the input 'age' of the model; every row would be scored with it missing. "
                + "Add the column, or score anyway with --allow-missing-columns"), refused.err());
        assertEquals(0, allowed.exitCode(), allowed.err());
        assertEquals(201, allowed.outCsv().size());
        assertTrue(allowed.err().contains("no column for the input 'age': missing in every row (--allow-missing-columns)"), allowed.err());
    }

    @Test
    void semicolonSeparatedFileIsReadWithDelimiterAndWithoutItTheErrorSaysWhichFlag() {
        CorpusModel model = CorpusModel.CHURN_LOGREG_PMML;
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> lines.replaceAll(line -> line.replace(',', ';')));
        String modelFile = model.copyModelTo(dir).toString();

        CommandRun plain = CommandRun.of("score", modelFile, "--input", input.toString());
        CommandRun semicolon = CommandRun.of("score", modelFile, "--input", input.toString(), "--delimiter", ";");

        assertEquals(2, plain.exitCode(), plain.err());
        assertTrue(plain.err().contains("if the file is separated by ';', give --delimiter ';'"), plain.err());
        assertEquals(0, semicolon.exitCode(), semicolon.err());
        for (int r = 0; r < model.expectedRows().size(); r++) {
            ExpectedRows.assertRowMatches(model, r, semicolon.outCsv().get(r + 1));
        }
    }

    @Test
    void csvColumnTheModelDoesNotReadIsIgnoredAndUnderStrictKeysTheHeaderIsRefused() {
        CorpusModel model = CorpusModel.IRIS_PMML;
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> {
            for (int i = 0; i < lines.size(); i++) {
                lines.set(i, lines.get(i) + (i == 0 ? ",customer_id" : "," + i));
            }
        });
        String modelFile = model.copyModelTo(dir).toString();

        CommandRun lenient = CommandRun.of("score", modelFile, "--input", input.toString());
        CommandRun strict = CommandRun.of("score", modelFile, "--input", input.toString(), "--strict-keys");
        CommandRun strictWithId = CommandRun.of("score", modelFile, "--input", input.toString(), "--strict-keys", "--id", "customer_id");

        assertEquals(0, lenient.exitCode(), lenient.err());
        ExpectedRows.assertRowMatches(model, 0, lenient.outCsv().get(1));
        assertEquals(2, strict.exitCode(), strict.err());
        assertTrue(strict.err().contains("the column 'customer_id' is not read by the model; the model's inputs are "
                + "[sepal length (cm), sepal width (cm), petal length (cm), petal width (cm)] (--strict-keys)"), strict.err());
        assertEquals(0, strictWithId.exitCode(), "the --id column is copied, not scored: " + strictWithId.err());
    }

    @Test
    void idColumnIsCopiedAsTheFirstOutputColumn() {
        CorpusModel model = CorpusModel.IRIS_PMML;
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> {
            for (int i = 0; i < lines.size(); i++) {
                lines.set(i, (i == 0 ? "flower" : "f-" + i) + "," + lines.get(i));
            }
        });

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", input.toString(), "--id", "flower");

        assertEquals(0, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        assertEquals(List.of("flower", "label", "probability(setosa)", "probability(versicolor)", "probability(virginica)", "error"),
                rows.get(0));
        assertEquals("f-1", rows.get(1).get(0));
        assertEquals("f-150", rows.get(150).get(0));
        ExpectedRows.assertRowMatches(model, 149, rows.get(150).subList(1, 6));
    }

    @Test
    void idColumnThatIsNotInTheHeaderIsAUsageError() {
        CorpusModel model = CorpusModel.IRIS_PMML;

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--id", "customer_id");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--id customer_id: ") && run.err().contains(" has no such column; its columns are [sepal length (cm), "),
                run.err());
    }

    @Test
    void singleTensorModelWithoutFeaturesOrByPositionExitsWith2NamingBoth() {
        CorpusModel model = CorpusModel.IRIS_NOZIPMAP_ONNX;

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString());

        assertEquals(2, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().contains("takes one tensor 'input' of shape [4] per row, whose columns have no names: name them in tensor "
                + "order with --features NAME,..., or fill the tensor from the CSV columns in header order with --by-position"), run.err());
    }

    @Test
    void byPositionPrintsTheBindingItUsed() {
        CorpusModel model = CorpusModel.IRIS_NOZIPMAP_ONNX;

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--by-position");

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("--by-position fills the input tensor of "), run.err());
        assertTrue(run.err().contains("in header order: [0]=sepal length (cm), [1]=sepal width (cm), "
                + "[2]=petal length (cm), [3]=petal width (cm)"), run.err());
    }

    /** The INFO log says each load: a separate JVM, since slf4j-simple reads its level once per process. */
    @Test
    void byPositionLoadsTheModelOnce() throws Exception {
        CorpusModel model = CorpusModel.IRIS_NOZIPMAP_ONNX;
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), HandoffCommand.class.getName(), "--verbose", "score",
                model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(), "--by-position",
                "--output", dir.resolve("out.csv").toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, process.waitFor(), printed);
        assertEquals(1, printed.lines().filter(line -> line.contains("INFO") && line.contains("Loaded ONNX")).count(), printed);
        assertEquals(151, Files.readAllLines(dir.resolve("out.csv")).size());
    }

    /** The failure the command line exists to prevent: a reordered file scored by position gives other answers; --features binds by name. */
    @Test
    void featuresBindTheColumnsByNameWhateverTheirOrderInTheFile() {
        CorpusModel model = CorpusModel.IRIS_NOZIPMAP_ONNX;
        Path reordered = CsvLines.edit(model.copyInputTo(dir), lines -> lines.replaceAll(line -> {
            String[] c = line.split(",");
            return String.join(",", c[3], c[2], c[1], c[0]);
        }));

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", reordered.toString(),
                "--features", String.join(",", model.inputColumns()));

        assertEquals(0, run.exitCode(), run.err());
        for (int r = 0; r < model.expectedRows().size(); r++) {
            ExpectedRows.assertRowMatches(model, r, run.outCsv().get(r + 1));
        }
    }

    @Test
    void byPositionWithAnotherNumberOfCsvColumnsExitsWith2SuggestingFeatures() {
        CorpusModel model = CorpusModel.DIABETES_ONNX;

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", CorpusModel.IRIS_PMML.copyInputTo(dir).toString(),
                "--by-position");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("has 4 columns, but input 'input' of shape [10] takes 10 values per row; name the tensor's "
                + "columns with --features"), run.err());
    }

    @Test
    void failureBeyondTheFirstBatchKeepsItsPlaceAndStderrNamesItsLine() {
        CorpusModel model = CorpusModel.IRIS_PMML;
        int badRow = 1024 + 24; // past the library's first chunk of 1,024 records
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> {
            List<String> rows = List.copyOf(lines.subList(1, lines.size()));
            while (lines.size() <= badRow + 200) {
                lines.addAll(rows);
            }
            lines.set(badRow + 1, lines.get(badRow + 1).replaceFirst("^[^,]*,", "abc,"));
        });

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", input.toString());

        assertEquals(3, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        assertEquals(List.of("", "", "", ""), rows.get(badRow + 1).subList(0, 4));
        assertTrue(rows.get(badRow + 1).get(4).startsWith("Invalid input for field 'sepal length (cm)': value 'abc'"), rows.get(badRow + 1).toString());
        ExpectedRows.assertRowMatches(model, (badRow + 1) % 150, rows.get(badRow + 2)); // the next row keeps its place
        assertTrue(run.err().contains("1 of " + (rows.size() - 1) + " rows could not be scored (see the error column); the first, line "
                + (badRow + 2) + ": "), run.err());
    }

    @Test
    void rowWithMoreCellsThanTheHeaderFailsAloneNamingItsLine() {
        CorpusModel model = CorpusModel.IRIS_PMML;
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> lines.set(5, lines.get(5) + ",9.9"));

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", input.toString());

        assertEquals(3, run.exitCode(), run.err());
        assertOnlyTheseRowsFail(model, run, r -> r == 4, "line 6 has 5 cells, but the header has 4 columns");
    }

    @Test
    void gzipInputIsReadByItsNameAndGzipOutputWrittenByItsName() throws IOException {
        CorpusModel model = CorpusModel.IRIS_PMML;
        Path gzipped = dir.resolve("rows.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            out.write(Files.readAllBytes(model.copyInputTo(dir)));
        }
        Path output = dir.resolve("predictions.csv.gz");

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", gzipped.toString(), "--output", output.toString());

        assertEquals(0, run.exitCode(), run.err());
        String written;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(output))) {
            written = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(written.startsWith("label,probability(setosa),probability(versicolor),probability(virginica),error\nsetosa,1.0,0.0,0.0,\n"),
                written.substring(0, 100));
        assertEquals(151, written.split("\n").length);
    }

    @Test
    void dashReadsStandardInputAndWritesStandardOutput() throws IOException {
        CorpusModel model = CorpusModel.IRIS_PMML;
        byte[] rows = Files.readAllBytes(model.copyInputTo(dir));

        CommandRun run = CommandRun.withStandardInput(rows, "score", model.copyModelTo(dir).toString(), "--input", "-", "--output", "-");

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(151, run.outCsv().size());
        ExpectedRows.assertRowMatches(model, 0, run.outCsv().get(1));
        assertFalse(Files.exists(Path.of("-")), "no file named -");
    }

    @Test
    void latin1FileFailsWithTheLineOfItsFirstNonUtf8ByteAndEncodingReadsIt() throws IOException {
        CorpusModel model = CorpusModel.CHURN_LOGREG_PMML;
        List<String> lines = Files.readAllLines(model.copyInputTo(dir));
        lines.set(6, lines.get(6).replace(",south,", ",s\u00f6uth,").replace(",north,", ",n\u00f6rth,").replace(",central,", ",c\u00e9ntral,"));
        Path latin1 = Files.write(dir.resolve("latin1.csv"), lines, StandardCharsets.ISO_8859_1);
        String modelFile = model.copyModelTo(dir).toString();

        CommandRun utf8 = CommandRun.of("score", modelFile, "--input", latin1.toString());
        CommandRun declared = CommandRun.of("score", modelFile, "--input", latin1.toString(), "--encoding", "ISO-8859-1");

        assertEquals(2, utf8.exitCode(), utf8.err());
        assertTrue(utf8.err().contains(latin1 + ": line 7 is not valid UTF-8 (byte 0x"), utf8.err());
        assertTrue(utf8.err().contains("give it with --encoding"), utf8.err());
        assertEquals(0, declared.exitCode(), declared.err());
        assertEquals(201, declared.outCsv().size(), "an unknown region is the model's to treat, as scikit-learn's handle_unknown='ignore'");
    }

    @Test
    void progressPrintsRowsRateAndFailuresOnStderrWhenAskedAndNothingOtherwise() {
        CorpusModel model = CorpusModel.MTCARS_PMML;
        String modelFile = model.copyModelTo(dir).toString();
        String input = model.copyInputTo(dir).toString();

        CommandRun with = CommandRun.of("score", modelFile, "--input", input, "--progress");
        CommandRun without = CommandRun.of("score", modelFile, "--input", input, "--no-progress");

        assertTrue(with.err().matches("(?s).*handoff score: 150 rows, [0-9,]+ rows/s, 1 failed, [0-9.]+ s\n.*"), with.err());
        assertFalse(without.err().contains("rows/s"), without.err());
        assertEquals(with.out(), without.out());
    }

    @Test
    void writesTheOutputFileWhenGivenAndNothingOnStandardOutput() throws IOException {
        CorpusModel model = CorpusModel.IRIS_PMML;
        Path output = dir.resolve("predictions.csv");

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(),
                "--input", model.copyInputTo(dir).toString(), "--output", output.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.out());
        String written = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(written.startsWith("label,probability(setosa),probability(versicolor),probability(virginica),error\nsetosa,1.0,0.0,0.0,\n"),
                written.substring(0, 120));
        assertEquals(151, written.split("\n").length);
    }

    @Test
    void torchModelWithoutClassLabelsWritesOneColumnPerOutput() {
        CorpusModel model = CorpusModel.DIGITS_ONNX;
        List<String> outputs;
        try (Scorer scorer = Scorer.load(model.copyModelTo(dir), ScorerOptions.builder().runtime(OnnxOptions.builder().featureNames(model.inputColumns()).build()).build())) {
            outputs = scorer.outputs().stream().map(OutputField::name).toList();
        }

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(), "--by-position");

        assertEquals(0, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        List<String> header = new ArrayList<>(outputs);
        header.add("error");
        assertEquals(header, rows.get(0));
        int probabilities = outputs.indexOf("probabilities");
        String[] first = rows.get(1).get(probabilities).split(" ");
        assertEquals(10, first.length);
        assertEquals(Double.parseDouble(model.expectedRows().get(0).get(7)), Double.parseDouble(first[6]), model.tolerance());
    }

    @Test
    void fileThatIsNotAModelExitsWith2AndAMessageNamingTheFile() throws IOException {
        Path notAModel = Files.writeString(dir.resolve("notes.txt"), "these are my notes, not a model\n");

        CommandRun run = CommandRun.of("score", notAModel.toString(), "--input", CorpusModel.IRIS_PMML.copyInputTo(dir).toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains(notAModel.toString()), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --verbose: " + run.err());
        assertEquals("", run.out());
    }

    @Test
    void verboseFailurePrintsTheStackTrace() throws IOException {
        Path notAModel = Files.writeString(dir.resolve("notes.txt"), "not a model\n");

        CommandRun run = CommandRun.of("--verbose", "inspect", notAModel.toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("ModelLoadException"), run.err());
        assertTrue(run.err().contains("\tat "), run.err());
    }

    @Test
    void missingInputFileExitsWith2NamingIt() {
        Path absent = dir.resolve("absent.csv");

        CommandRun run = CommandRun.of("score", CorpusModel.IRIS_PMML.copyModelTo(dir).toString(), "--input", absent.toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains(absent.toString()), run.err());
    }

    @Test
    void unknownPolicyValueIsAUsageErrorListingTheValidOnes() {
        CommandRun run = CommandRun.of("score", "model.pmml", "--input", "in.csv", "--missing", "ignore");

        assertAll(
                () -> assertEquals(2, run.exitCode()),
                () -> assertTrue(run.err().contains("'ignore' is not one of to-model, reject"), run.err()));
    }

    /**
     * Asserts a score output: each row {@code failing} selects has empty prediction cells and an error that
     * contains {@code reason}; every other row matches expected.csv and has an empty error. Returns how many
     * rows failed, which stderr also counts.
     */
    private static int assertOnlyTheseRowsFail(CorpusModel model, CommandRun run, IntPredicate failing, String reason) {
        List<List<String>> rows = run.outCsv();
        List<String> header = new ArrayList<>(model.expectedColumns());
        header.add("error");
        assertEquals(header, rows.get(0));
        assertEquals(model.expectedRows().size(), rows.size() - 1);
        int error = header.size() - 1;
        int failed = 0;
        for (int r = 0; r < rows.size() - 1; r++) {
            List<String> cells = rows.get(r + 1);
            if (failing.test(r)) {
                failed++;
                assertEquals(Collections.nCopies(error, ""), cells.subList(0, error), "row " + r);
                assertTrue(cells.get(error).contains(reason), "row " + r + ": " + cells.get(error));
            } else {
                ExpectedRows.assertRowMatches(model, r, cells);
                assertEquals("", cells.get(error), "row " + r);
            }
        }
        assertTrue(run.err().contains(failed + " of " + (rows.size() - 1) + " rows could not be scored"), run.err());
        return failed;
    }

    private CommandRun score(CorpusModel model) {
        return CommandRun.ofCorpus(model, "score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString());
    }
}

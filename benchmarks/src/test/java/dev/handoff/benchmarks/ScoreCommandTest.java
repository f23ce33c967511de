package dev.handoff.benchmarks;

import dev.handoff.MissingValuePolicy;
import dev.handoff.OutputField;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
import dev.handoff.Verification;
import dev.handoff.VerificationReport;
import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreCommandTest {

    @TempDir
    Path dir;

    /**
     * Every model file of the corpus gets the columns of its {@code expected.csv} under the default options
     * (missing values go to the model; a single-tensor ONNX model is filled from the CSV columns in header
     * order), and what it writes is the model's prediction to the last digit: read back as an expected file,
     * it verifies with zero tolerance. That the model's predictions are the framework's is the parity tests'
     * and {@link VerifyCommandTest}'s to show.
     */
    @ParameterizedTest
    @EnumSource(CorpusModel.class)
    void writesExactlyTheModelsPredictionsInTheLayoutOfTheExpectedFile(CorpusModel model) throws IOException {
        Path input = model.copyInputTo(dir);
        CommandRun run = CommandRun.ofCorpus(model, "score", model.copyModelTo(dir).toString(), "--input", input.toString());

        assertEquals(0, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        List<String> header = new ArrayList<>(model.expectedColumns());
        if (model.expectedRows().stream().anyMatch(row -> String.join("", row).isEmpty())) {
            header.add("error"); // a row without a prediction (r_glm_mtcars) says why
        }
        assertEquals(header, rows.get(0));
        assertEquals(model.expectedRows().size(), rows.size() - 1);
        ScorerOptions options = model == CorpusModel.DIGITS_ONNX ? ScorerOptions.builder().classes(model.classes()).build()
                : ScorerOptions.defaults();
        assertOutputIsExactlyWhatTheModelPredicts(model, input, run, options);
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"IRIS_PMML", "IRIS_NOZIPMAP_ONNX"})
    void rowWithTextInANumericColumnKeepsItsPlaceWithAnErrorNamingTheField(CorpusModel model) throws IOException {
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> {
            String[] row2 = lines.get(3).split(",");
            row2[2] = "abc"; // petal length (cm)
            lines.set(3, String.join(",", row2));
        });

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", input.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertOnlyTheseRowsFail(model, input, run, ScorerOptions.defaults(), r -> r == 2, "for field 'petal length (cm)' in row 2: value 'abc' (String) is not a number");
    }

    @Test
    void mtcarsRowWithMissingWtGetsNoPredictionWithAnErrorNamingWt() throws IOException {
        CorpusModel model = CorpusModel.MTCARS_PMML;
        Path input = model.copyInputTo(dir);

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", input.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertOnlyTheseRowsFail(model, input, run, ScorerOptions.defaults(), r -> r == 149,
                "for field 'wt' in row 149: the model gives no prediction for this row: field 'wt' is missing");
        assertTrue(run.out().contains("\n,,,Invalid input for field 'wt'"), "no prediction is written as the corpus writes it: ,,");
    }

    @Test
    void rejectMissingFailsEveryRowWithAnEmptyCellAndScoresTheOthers() throws IOException {
        CorpusModel model = CorpusModel.HGB_MISSING_PMML;
        List<Map<String, Object>> records = model.inputRecords();
        Path input = model.copyInputTo(dir);

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", input.toString(), "--missing", "reject");

        assertEquals(0, run.exitCode(), run.err());
        ScorerOptions reject = ScorerOptions.builder().missingValues(MissingValuePolicy.REJECT).build();
        int failed = assertOnlyTheseRowsFail(model, input, run, reject, r -> records.get(r).size() < model.inputColumns().size(),
                "the value is missing, and this scorer rejects missing values");
        assertEquals(133, failed, "the corpus case's rows with an empty cell");
    }

    @Test
    void headerNameThatNearlyMatchesAnInputFailsTheRowsThatGiveItAValue() throws IOException {
        CorpusModel model = CorpusModel.HGB_MISSING_PMML;
        List<Map<String, Object>> records = model.inputRecords();
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> {
            assertTrue(lines.get(0).contains(",mean concave points,"), lines.get(0));
            lines.set(0, lines.get(0).replace(",mean concave points,", ",mean_concave_points,"));
        });

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", input.toString());

        assertEquals(0, run.exitCode(), run.err());
        // a row with an empty cell has no such key: its value is missing, whatever the header calls it, and it is scored
        int failed = assertOnlyTheseRowsFail(model, input, run, ScorerOptions.defaults(), r -> records.get(r).containsKey("mean concave points"),
                "the key 'mean_concave_points' (did you mean 'mean concave points'?) is not an input of the model");
        assertEquals(200 - 18, failed, "the corpus case's rows with a value for mean concave points");
    }

    @Test
    void csvColumnTheModelDoesNotReadIsIgnoredUnlessStrictKeys() throws IOException {
        CorpusModel model = CorpusModel.IRIS_PMML;
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> {
            for (int i = 0; i < lines.size(); i++) {
                lines.set(i, lines.get(i) + (i == 0 ? ",customer_id" : "," + i));
            }
        });
        String modelFile = model.copyModelTo(dir).toString();

        CommandRun lenient = CommandRun.of("score", modelFile, "--input", input.toString());
        CommandRun strict = CommandRun.of("score", modelFile, "--input", input.toString(), "--strict-keys");

        assertEquals(0, lenient.exitCode(), lenient.err());
        assertEquals(model.expectedColumns(), lenient.outCsv().get(0));
        assertOutputIsExactlyWhatTheModelPredicts(model, input, lenient, ScorerOptions.defaults());
        assertEquals(0, strict.exitCode(), strict.err());
        assertOnlyTheseRowsFail(model, input, strict, ScorerOptions.builder().strictKeys(true).build(), r -> true, "the key 'customer_id' is not read by the model");
    }

    @Test
    void failureBeyondTheFirstChunkNamesItsRowInTheFile() throws IOException {
        CorpusModel model = CorpusModel.IRIS_PMML;
        int badRow = ChunkedScorer.CHUNK_ROWS + 24;
        Path input = CsvLines.edit(model.copyInputTo(dir), lines -> {
            lines.addAll(lines.subList(1, lines.size())); // 300 rows: two chunks
            lines.set(badRow + 1, lines.get(badRow + 1).replaceFirst("^[^,]*,", "abc,"));
        });

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", input.toString());

        assertEquals(0, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        assertEquals(300, rows.size() - 1);
        String error = rows.get(badRow + 1).get(4);
        assertTrue(error.contains("'sepal length (cm)' in row " + badRow + ":"), error);
        assertEquals(model.expectedRows().get(badRow - 150 + 1), rows.get(badRow + 2).subList(0, 4), "the next row keeps its place");
        assertOutputIsExactlyWhatTheModelPredicts(model, input, run, ScorerOptions.defaults());
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
        assertTrue(written.startsWith("label,probability(setosa),probability(versicolor),probability(virginica)\nsetosa,1.0,0.0,0.0\n"),
                written.substring(0, 120));
        assertEquals(151, written.split("\n").length);
    }

    @Test
    void torchModelWithoutClassLabelsWritesOneColumnPerOutput() {
        CorpusModel model = CorpusModel.DIGITS_ONNX;
        List<String> outputs;
        try (Scorer scorer = Scorer.load(model.copyModelTo(dir), ScorerOptions.builder().featureNames(model.inputColumns()).build())) {
            outputs = scorer.outputs().stream().map(OutputField::name).toList();
        }

        CommandRun run = score(model);

        assertEquals(0, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        assertEquals(outputs, rows.get(0));
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
    void singleTensorModelWithAnotherNumberOfCsvColumnsExitsWith2SuggestingFeatures() {
        CorpusModel model = CorpusModel.DIABETES_ONNX;

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", CorpusModel.IRIS_PMML.copyInputTo(dir).toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("filled from the 4 CSV columns in header order"), run.err());
        assertTrue(run.err().contains("--features"), run.err());
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
     * Asserts a score output with an error column: each row {@code failing} selects has empty prediction cells
     * and an error that contains {@code reason}; every other row has no error; and the output is exactly what
     * the model predicts under {@code options} (the options of the run). Returns how many rows failed, which
     * stderr also counts.
     */
    private int assertOnlyTheseRowsFail(CorpusModel model, Path input, CommandRun run, ScorerOptions options, IntPredicate failing,
                                        String reason) throws IOException {
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
                assertEquals("", cells.get(error), "row " + r);
            }
        }
        assertTrue(run.err().contains(failed + " of " + (rows.size() - 1) + " rows could not be scored"), run.err());
        assertOutputIsExactlyWhatTheModelPredicts(model, input, run, options);
        return failed;
    }

    /**
     * The rows {@code run} wrote, read back as an expected file ({@link Verification#fromCsv}: empty cells mean no
     * prediction, the error column is ignored), verify against the model scoring {@code input} under {@code options}
     * with zero tolerance: every label, every number to the last digit, every failed row in its place.
     */
    private void assertOutputIsExactlyWhatTheModelPredicts(CorpusModel model, Path input, CommandRun run, ScorerOptions options)
            throws IOException {
        Path written = Files.writeString(dir.resolve("written-" + model.file() + ".csv"), run.out(), StandardCharsets.UTF_8);
        Verification cases = Verification.fromCsv(input, written).withTolerance(0, 0);
        try (Scorer scorer = ModelOpener.open(model.copyModelTo(dir), options, CsvTable.read(input).header())) {
            VerificationReport report = scorer.verify(cases);
            assertTrue(report.passed(), report.toString());
        }
    }

    private CommandRun score(CorpusModel model) {
        return CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString());
    }
}

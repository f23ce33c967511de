package dev.handoff.cli;

import dev.handoff.testing.CorpusModel;
import dev.handoff.testing.PmmlDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyCommandTest {

    @TempDir
    Path dir;

    /**
     * Every model file of the corpus verifies against its {@code expected.csv} with the absolute tolerance its
     * case suggests, under the default options (a single-tensor ONNX model filled from the CSV header). The churn
     * pipeline's float32-fragile rows, where case.json documents that the float32 graph may take the other
     * branch, are left out of both files.
     */
    @ParameterizedTest
    @EnumSource(CorpusModel.class)
    void everyCorpusModelFileVerifiesWithItsSuggestedTolerance(CorpusModel model) {
        CommandRun run = verifyWithoutFragileRows(model, "--atol", Double.toString(model.tolerance()), "--rtol", "0");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("mismatching cases: 0 of " + rowsWithoutFragileRows(model) + "\n"), run.out());
        assertTrue(run.out().strip().endsWith("OK"), run.out());
    }

    /** The default tolerances pass every sound export of the corpus, float32 ONNX graphs of float64 models included. */
    @ParameterizedTest
    @EnumSource(CorpusModel.class)
    void everyCorpusModelFileVerifiesWithTheDefaultTolerances(CorpusModel model) {
        CommandRun run = verifyWithoutFragileRows(model);

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("tolerance:  |actual - expected| <= 1.00e-06 + 1.00e-05 * |expected|"), run.out());
    }

    /** The float32 regression export (values 42..287, errors up to 5e-5) passes the defaults, and its max errors are printed. */
    @Test
    void float32RegressionExportPassesTheDefaultsWithItsErrorsPerColumn() {
        CorpusModel model = CorpusModel.DIABETES_ONNX;

        CommandRun run = CommandRun.of("verify", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--expected", model.copyExpectedTo(dir).toString(), "--by-position");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        String valueLine = run.out().lines().filter(l -> l.startsWith("value ")).findFirst().orElseThrow();
        String[] cells = valueLine.split("\\s+"); // value, max abs error, max rel error, mismatches
        double maxAbs = Double.parseDouble(cells[1]);
        assertTrue(maxAbs > 1e-6 && maxAbs < 1e-4, valueLine); // float32: not exact, yet within rtol
        assertEquals("0", cells[3], valueLine);
    }

    /** A model trained differently on the same rows (logistic regression for the gradient boosting pipeline) fails the defaults. */
    @Test
    void differentlyTrainedModelFailsTheDefaultsWithExitCode1() {
        CommandRun run = CommandRun.of("verify", CorpusModel.CHURN_LOGREG_NOZIPMAP_ONNX.copyModelTo(dir).toString(),
                "--input", CorpusModel.CHURN_PIPELINE_ONNX.copyInputTo(dir).toString(),
                "--expected", CorpusModel.CHURN_PIPELINE_ONNX.copyExpectedTo(dir).toString());

        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().strip().endsWith("MISMATCH"), run.out());
        assertTrue(run.out().contains("probability(1)"), run.out());
    }

    @Test
    void scoreOutputWithItsErrorColumnVerifiesAsAnExpectedFile() throws IOException {
        CorpusModel model = CorpusModel.MTCARS_PMML;
        CommandRun scored = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString());
        Path expected = Files.writeString(dir.resolve("scored.csv"), scored.out());

        CommandRun run = verify(model, expected);

        assertEquals(3, scored.exitCode(), scored.err());
        assertEquals(0, run.exitCode(), run.out());
        assertTrue(run.out().contains("1 without a prediction"), run.out());
    }

    @Test
    void rowThatCannotBeScoredMatchesAnEmptyExpectedRow() {
        CommandRun run = verify(CorpusModel.MTCARS_PMML, CorpusModel.MTCARS_PMML.copyExpectedTo(dir));

        assertEquals(0, run.exitCode(), run.out());
        assertTrue(run.out().contains("cases:      150 from r_glm_mtcars-input.csv + r_glm_mtcars-expected.csv, 1 without a prediction"), run.out());
    }

    @Test
    void oneAlteredExpectedValueFailsWithExitCode1NamingRowAndColumn() {
        CorpusModel model = CorpusModel.IRIS_PMML;
        Path expected = CsvLines.edit(model.copyExpectedTo(dir), lines -> {
            assertEquals("virginica,0.0,0.04,0.96", lines.get(124)); // row 123, below the header
            lines.set(124, "virginica,0.0,0.05,0.96");
        });

        CommandRun run = verify(model, expected);

        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().contains("mismatching cases: 1 of 150"), run.out());
        assertTrue(run.out().contains("row 123 (line 125), column probability(versicolor): expected 0.05, got 0.04 (abs error 0.0100)"),
                run.out());
        assertTrue(run.out().strip().endsWith("MISMATCH"), run.out());
    }

    @Test
    void alteredLabelFailsEvenWithAHugeTolerance() {
        CorpusModel model = CorpusModel.BREAST_CANCER_PMML;
        Path expected = CsvLines.edit(model.copyExpectedTo(dir), lines -> lines.set(1, lines.get(1).replaceFirst("^1,", "0,")));

        CommandRun run = CommandRun.of("verify", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--expected", expected.toString(), "--atol", "10", "--rtol", "10");

        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().contains("row 0 (line 2), column label: expected 0, got 1"), run.out());
    }

    @Test
    void expectedPredictionForARowThatCannotBeScoredIsAMismatch() {
        CorpusModel model = CorpusModel.MTCARS_PMML;
        Path expected = CsvLines.edit(model.copyExpectedTo(dir), lines -> lines.set(150, "manual,0.5,0.5"));

        CommandRun run = verify(model, expected);

        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().contains("row 149 (line 151): a prediction was expected, but the row could not be scored"), run.out());
    }

    @Test
    void expectedColumnTheModelDoesNotGiveIsAMismatch() throws IOException {
        CorpusModel model = CorpusModel.IRIS_PMML;
        Path expected = Files.writeString(dir.resolve("expected.csv"), "value\n" + "1.0\n".repeat(150));

        CommandRun run = verify(model, expected);

        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().contains("column value: the model gives no value (it is not a regression)"), run.out());
    }

    @Test
    void filesWithDifferentNumbersOfRowsAreAnErrorWithExitCode2() {
        CorpusModel model = CorpusModel.IRIS_PMML;
        Path expected = CsvLines.edit(model.copyExpectedTo(dir), lines -> lines.remove(150));

        CommandRun run = verify(model, expected);

        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("has 150 rows, but") && run.err().contains("has 149"), run.err());
    }

    @Test
    void inputWithoutExpectedIsAUsageErrorWithExitCode2() {
        CorpusModel model = CorpusModel.IRIS_PMML;

        CommandRun run = CommandRun.of("verify", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString());

        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("give both --input and --expected"), run.err());
    }

    @Test
    void negativeToleranceIsAnErrorWithExitCode2() {
        CorpusModel model = CorpusModel.IRIS_PMML;

        CommandRun run = CommandRun.of("verify", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--expected", model.copyExpectedTo(dir).toString(), "--atol", "-1");

        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("absolute tolerance must be a finite number >= 0, got -1.0"), run.err());
    }

    @Test
    void withoutFilesAPmmlModelRunsItsOwnModelVerificationCases() throws IOException {
        Path model = Files.writeString(dir.resolve("line.pmml"),
                PmmlDocument.line(1, 2).verification(List.of("x", "y"), "1,3", "2,5").text());

        CommandRun run = CommandRun.of("verify", model.toString());

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("cases:      2 from " + model + " <ModelVerification>"), run.out());
        assertTrue(run.out().contains("tolerance:  |actual - expected| <= 1.00e-16 + 1.00e-06 * |expected|"), run.out());
    }

    @Test
    void withoutFilesAModelWithoutEmbeddedCasesIsAUsageError() {
        CommandRun run = CommandRun.of("verify", CorpusModel.IRIS_PMML.copyModelTo(dir).toString());

        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("carries no golden cases of its own; give --input and --expected"), run.err());
    }

    /** Verifies copies of input.csv and expected.csv without the rows case.json lists as float32-fragile for this model. */
    private CommandRun verifyWithoutFragileRows(CorpusModel model, String... options) {
        Path input = withoutFloat32FragileRows(model, model.copyInputTo(dir));
        Path expected = withoutFloat32FragileRows(model, model.copyExpectedTo(dir));
        List<String> args = new ArrayList<>(List.of("verify", model.copyModelTo(dir).toString(), "--input", input.toString(),
                "--expected", expected.toString()));
        args.addAll(List.of(options));
        return CommandRun.ofCorpus(model, args.toArray(String[]::new));
    }

    private static int rowsWithoutFragileRows(CorpusModel model) {
        return (int) IntStream.range(0, model.expectedRows().size()).filter(r -> !model.isFloat32Fragile(r)).count();
    }

    /** Leaves out of a copy of input.csv or expected.csv the rows case.json lists as float32-fragile for this model. */
    private static Path withoutFloat32FragileRows(CorpusModel model, Path csv) {
        return CsvLines.edit(csv, lines -> {
            for (int r = lines.size() - 2; r >= 0; r--) {
                if (model.isFloat32Fragile(r)) {
                    lines.remove(r + 1);
                }
            }
        });
    }

    private CommandRun verify(CorpusModel model, Path expected) {
        return CommandRun.of("verify", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--expected", expected.toString(), "--atol", Double.toString(model.tolerance()), "--rtol", "0");
    }
}

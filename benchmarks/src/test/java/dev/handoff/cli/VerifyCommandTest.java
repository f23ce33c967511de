package dev.handoff.cli;

import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyCommandTest {

    @TempDir
    Path dir;

    /**
     * Every model file of the corpus verifies against its {@code expected.csv} with the tolerance its
     * case suggests, under the default options (a single-tensor ONNX model filled from the CSV header).
     * The churn pipeline's float32-fragile rows, where case.json documents that the float32 graph may
     * take the other branch, are left out of both files.
     */
    @ParameterizedTest
    @EnumSource(CorpusModel.class)
    void everyCorpusModelFileVerifiesWithItsTolerance(CorpusModel model) {
        Path input = withoutFloat32FragileRows(model, model.copyInputTo(dir));
        Path expected = withoutFloat32FragileRows(model, model.copyExpectedTo(dir));
        int rows = (int) IntStream.range(0, model.expectedRows().size()).filter(r -> !model.isFloat32Fragile(r)).count();

        CommandRun run = CommandRun.ofCorpus(model, "verify", model.copyModelTo(dir).toString(), "--input", input.toString(),
                "--expected", expected.toString(), "--tolerance", Double.toString(model.tolerance()));

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("mismatching rows: 0 of " + rows), run.out());
        assertTrue(run.out().strip().endsWith("OK"), run.out());
    }

    @Test
    void scoreOutputWithItsErrorColumnVerifiesAsAnExpectedFile() throws IOException {
        CorpusModel model = CorpusModel.MTCARS_PMML;
        CommandRun scored = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString());
        Path expected = Files.writeString(dir.resolve("scored.csv"), scored.out());

        CommandRun run = verify(model, expected);

        assertEquals(3, scored.exitCode(), scored.err());
        assertEquals(0, run.exitCode(), run.out());
        assertTrue(run.out().contains("not scored: 1 rows"), run.out());
    }

    @Test
    void rowThatCannotBeScoredMatchesAnEmptyExpectedRow() {
        CommandRun run = verify(CorpusModel.MTCARS_PMML, CorpusModel.MTCARS_PMML.copyExpectedTo(dir));

        assertEquals(0, run.exitCode(), run.out());
        assertTrue(run.out().contains("rows:      150 in the input, 150 expected;"), run.out());
        assertTrue(run.out().contains("not scored: 1 rows"), run.out());
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
        assertTrue(run.out().contains("mismatching rows: 1 of 150"), run.out());
        assertTrue(run.out().contains("row 123 (line 125), column probability(versicolor): expected 0.05, got 0.04"), run.out());
        assertTrue(run.out().strip().endsWith("MISMATCH"), run.out());
    }

    @Test
    void alteredLabelFailsEvenWithAHugeTolerance() {
        CorpusModel model = CorpusModel.BREAST_CANCER_PMML;
        Path expected = CsvLines.edit(model.copyExpectedTo(dir), lines -> lines.set(1, lines.get(1).replaceFirst("^1,", "0,")));

        CommandRun run = CommandRun.of("verify", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--expected", expected.toString(), "--tolerance", "10");

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
        Path expected = Files.writeString(dir.resolve("expected.csv"), "value\n1.0\n");

        CommandRun run = verify(model, expected);

        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().contains("not [value]"), run.out());
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
                "--expected", expected.toString(), "--tolerance", Double.toString(model.tolerance()));
    }
}

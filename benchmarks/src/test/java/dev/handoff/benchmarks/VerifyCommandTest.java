package dev.handoff.benchmarks;

import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"IRIS_PMML", "IRIS_ONNX", "BREAST_CANCER_NOZIPMAP_ONNX",
            "DIABETES_PMML", "CHURN_LOGREG_ONNX", "CHURN_LOGREG_PMML", "MTCARS_PMML"})
    void corpusCaseVerifiesAgainstItsExpectedFile(CorpusModel model) {
        CommandRun run = verify(model, model.copyExpectedTo(dir));

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("mismatching rows: 0 of " + model.expectedRows().size()), run.out());
        assertTrue(run.out().strip().endsWith("OK"), run.out());
    }

    @Test
    void rowThatCannotBeScoredMatchesAnEmptyExpectedRow() {
        CommandRun run = verify(CorpusModel.MTCARS_PMML, CorpusModel.MTCARS_PMML.copyExpectedTo(dir));

        assertEquals(0, run.exitCode(), run.out());
        assertTrue(run.out().contains("not scored: 1 rows"), run.out());
    }

    @Test
    void oneAlteredExpectedValueFailsWithExitCode1NamingRowAndColumn() throws IOException {
        CorpusModel model = CorpusModel.IRIS_PMML;
        Path expected = model.copyExpectedTo(dir);
        List<String> lines = new ArrayList<>(Files.readAllLines(expected));
        assertEquals("virginica,0.0,0.04,0.96", lines.get(124)); // row 123, below the header
        lines.set(124, "virginica,0.0,0.05,0.96");
        Files.write(expected, lines);

        CommandRun run = verify(model, expected);

        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().contains("mismatching rows: 1 of 150"), run.out());
        assertTrue(run.out().contains("row 123 (line 125), column probability(versicolor): expected 0.05, got 0.04"), run.out());
        assertTrue(run.out().strip().endsWith("MISMATCH"), run.out());
    }

    @Test
    void alteredLabelFailsEvenWithAHugeTolerance() throws IOException {
        CorpusModel model = CorpusModel.BREAST_CANCER_PMML;
        Path expected = model.copyExpectedTo(dir);
        List<String> lines = new ArrayList<>(Files.readAllLines(expected));
        lines.set(1, lines.get(1).replaceFirst("^1,", "0,"));
        Files.write(expected, lines);

        CommandRun run = CommandRun.of("verify", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--expected", expected.toString(), "--tolerance", "10");

        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().contains("row 0 (line 2), column label: expected 0, got 1"), run.out());
    }

    @Test
    void expectedPredictionForARowThatCannotBeScoredIsAMismatch() throws IOException {
        CorpusModel model = CorpusModel.MTCARS_PMML;
        Path expected = model.copyExpectedTo(dir);
        List<String> lines = new ArrayList<>(Files.readAllLines(expected));
        lines.set(150, "manual,0.5,0.5");
        Files.write(expected, lines);

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

    private CommandRun verify(CorpusModel model, Path expected) {
        return CommandRun.of("verify", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--expected", expected.toString(), "--tolerance", Double.toString(model.tolerance()));
    }
}

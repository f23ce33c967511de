package dev.handoff.benchmarks;

import dev.handoff.OutputField;
import dev.handoff.Scorer;
import dev.handoff.ScorerOptions;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"IRIS_PMML", "BREAST_CANCER_NOZIPMAP_ONNX", "BREAST_CANCER_ONNX",
            "DIABETES_PMML", "CHURN_LOGREG_ONNX", "CHURN_PIPELINE_PMML"})
    void writesTheExpectedColumnsAndValuesOfTheCorpus(CorpusModel model) {
        CommandRun run = score(model);

        assertEquals(0, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        assertEquals(model.expectedColumns(), rows.get(0));
        assertEquals(model.expectedRows().size(), rows.size() - 1);
        for (int r = 0; r < model.expectedRows().size(); r++) {
            ExpectedRows.assertRowMatches(model, r, rows.get(r + 1));
        }
    }

    @Test
    void singleTensorModelIsFilledFromTheHeaderOrderWithoutFeatures() {
        CorpusModel model = CorpusModel.BREAST_CANCER_NOZIPMAP_ONNX;

        CommandRun run = score(model);

        assertEquals(0, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        assertEquals(List.of("label", "probability(0)", "probability(1)"), rows.get(0));
        assertEquals(143, rows.size() - 1);
        ExpectedRows.assertRowMatches(model, 0, rows.get(1));
        ExpectedRows.assertRowMatches(model, 142, rows.get(143));
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"IRIS_PMML", "IRIS_NOZIPMAP_ONNX"})
    void rowWithTextInANumericColumnKeepsItsPlaceWithAnErrorNamingTheField(CorpusModel model) throws IOException {
        Path input = model.copyInputTo(dir);
        List<String> lines = new ArrayList<>(Files.readAllLines(input));
        String[] row2 = lines.get(3).split(",");
        row2[2] = "abc"; // petal length (cm)
        lines.set(3, String.join(",", row2));
        Files.write(input, lines);

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", input.toString());

        assertEquals(0, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        List<String> header = new ArrayList<>(model.expectedColumns());
        header.add("error");
        assertEquals(header, rows.get(0));
        assertEquals(150, rows.size() - 1);
        List<String> bad = rows.get(3);
        assertEquals(List.of("", "", "", ""), bad.subList(0, 4));
        assertTrue(bad.get(4).contains("petal length (cm)"), bad.get(4));
        assertTrue(bad.get(4).contains("abc"), bad.get(4));
        for (int r : new int[] {0, 1, 3, 149}) {
            ExpectedRows.assertRowMatches(model, r, rows.get(r + 1));
            assertEquals("", rows.get(r + 1).get(4));
        }
        assertTrue(run.err().contains("1 of 150 rows could not be scored"), run.err());
    }

    @Test
    void mtcarsRowWithMissingWtGetsAnErrorAndTheOthersMatch() {
        CorpusModel model = CorpusModel.MTCARS_PMML;

        CommandRun run = score(model);

        assertEquals(0, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        assertEquals(List.of("label", "probability(automatic)", "probability(manual)", "error"), rows.get(0));
        assertEquals(150, rows.size() - 1);
        assertTrue(run.out().contains("\n,,,Invalid input for field 'wt'"), "no prediction is written as the corpus writes it: ,,");
        List<String> last = rows.get(150);
        assertEquals(List.of("", "", ""), last.subList(0, 3));
        assertTrue(last.get(3).contains("wt"), last.get(3));
        for (int r = 0; r < 149; r++) {
            ExpectedRows.assertRowMatches(model, r, rows.get(r + 1));
            assertEquals("", rows.get(r + 1).get(3));
        }
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
    void torchModelWithClassesGivesLabelsAndProbabilities() {
        CorpusModel model = CorpusModel.DIGITS_ONNX;

        CommandRun run = CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString(),
                "--classes", "0,1,2,3,4,5,6,7,8,9");

        assertEquals(0, run.exitCode(), run.err());
        List<List<String>> rows = run.outCsv();
        assertEquals(model.expectedColumns(), rows.get(0));
        for (int r = 0; r < model.expectedRows().size(); r++) {
            ExpectedRows.assertRowMatches(model, r, rows.get(r + 1));
        }
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
                () -> assertTrue(run.err().contains("error, as-missing"), run.err()));
    }

    private CommandRun score(CorpusModel model) {
        return CommandRun.of("score", model.copyModelTo(dir).toString(), "--input", model.copyInputTo(dir).toString());
    }
}

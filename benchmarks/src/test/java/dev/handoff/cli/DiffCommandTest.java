package dev.handoff.cli;

import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiffCommandTest {

    @TempDir
    Path dir;

    private static final CorpusModel ONNX = CorpusModel.CHURN_LOGREG_ONNX;
    private static final CorpusModel PMML = CorpusModel.CHURN_LOGREG_PMML;

    /** The churn logistic regression's PMML with its text changed, written to {@code name}. */
    private Path pmmlVariant(String name, String... replacements) throws IOException {
        String text = new String(PMML.modelBytes(), StandardCharsets.UTF_8);
        for (int i = 0; i < replacements.length; i += 2) {
            assertTrue(text.contains(replacements[i]), replacements[i]);
            text = text.replace(replacements[i], replacements[i + 1]);
        }
        return Files.writeString(dir.resolve(name), text);
    }

    private Path input() {
        return ONNX.copyInputTo(dir);
    }

    @Test
    void theChurnOnnxAndPmmlExportsAgreeWithinTheDefaultTolerance() throws IOException {
        Path diffs = dir.resolve("diffs.csv");
        Path plot = dir.resolve("diff.png");

        CommandRun run = CommandRun.of("diff", ONNX.copyModelTo(dir).toString(), PMML.copyModelTo(dir).toString(),
                "--input", input().toString(), "--output", diffs.toString(), "--plot", plot.toString());

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("rows:       200 read, 200 scored by both"), run.out());
        String p1 = run.out().lines().filter(l -> l.startsWith("probability(1) ")).findFirst().orElseThrow();
        assertTrue(p1.contains("200/200 (100.0000%)"), p1);
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("label ") && l.contains("200/200")), run.out());
        assertTrue(run.out().strip().endsWith("AGREE"), run.out());
        List<List<String>> rows = CommandRun.csv(Files.readString(diffs));
        assertEquals(List.of("row", "a:label", "a:probability(0)", "a:probability(1)", "b:label", "b:probability(0)",
                "b:probability(1)", "abs(probability(0))", "abs(probability(1))", "agrees", "error"), rows.get(0));
        assertEquals(201, rows.size());
        assertEquals("true", rows.get(1).get(9));
        assertTrue(Double.parseDouble(rows.get(1).get(8)) < 1e-6, rows.get(1).toString());
        byte[] png = Files.readAllBytes(plot);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    /** diff takes the engine switch of the other commands, for both models. */
    @Test
    void engineRuntimeIsAcceptedForBothModels() {
        String file = ONNX.copyModelTo(dir).toString();

        CommandRun run = CommandRun.of("diff", file, file, "--input", input().toString(), "--engine", "runtime");

        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().strip().endsWith("AGREE"), run.out());
    }

    /** A retrained model: the same churn regression with another intercept gives other probabilities and some other labels. */
    @Test
    void aRetrainedModelDiffersWithExitOneAndItsFigures() throws IOException {
        Path retrained = pmmlVariant("retrained.pmml", "intercept=\"-1.651501513131244\"", "intercept=\"-1.0\"");
        Path input = withIdColumn(input());

        CommandRun run = CommandRun.of("diff", PMML.copyModelTo(dir).toString(), retrained.toString(), "--input", input.toString(),
                "--id", "customer_id", "--worst", "3");

        assertEquals(1, run.exitCode(), run.out() + run.err());
        String p1 = run.out().lines().filter(l -> l.startsWith("probability(1) ")).findFirst().orElseThrow();
        assertTrue(p1.contains("0/200 (0.0000%)"), p1);
        String label = run.out().lines().filter(l -> l.startsWith("label ")).findFirst().orElseThrow();
        assertTrue(!label.contains("200/200"), label);
        assertTrue(run.out().contains("worst rows:\n  id c"), run.out());
        assertEquals(3, run.out().lines().filter(l -> l.startsWith("  id c")).count(), run.out());
        assertTrue(run.out().strip().endsWith("DIFFER"), run.out());
    }

    @Test
    void aClassOnlyOneModelHasIsReportedAndDiffers() throws IOException {
        // softmax over three tables, class 2 at intercept -30: classes 0 and 1 keep their probabilities to ~1e-13
        Path threeClasses = pmmlVariant("three.pmml", "normalizationMethod=\"logit\"", "normalizationMethod=\"softmax\"",
                "<Value value=\"1\"/>", "<Value value=\"1\"/><Value value=\"2\"/>",
                "<RegressionTable intercept=\"0.0\" targetCategory=\"0\"/>",
                "<RegressionTable intercept=\"0.0\" targetCategory=\"0\"/><RegressionTable intercept=\"-30.0\" targetCategory=\"2\"/>",
                "value=\"1\"/>\n\t\t</Output>", "value=\"1\"/><OutputField name=\"probability(2)\" optype=\"continuous\" "
                        + "dataType=\"double\" feature=\"probability\" value=\"2\"/>\n\t\t</Output>");

        CommandRun run = CommandRun.of("diff", PMML.copyModelTo(dir).toString(), threeClasses.toString(), "--input", input().toString());

        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("only in B:  probability(2)"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("probability(1) ") && l.contains("200/200")), run.out());
        assertTrue(run.out().strip().endsWith("DIFFER"), run.out());
    }

    @Test
    void aRowNeitherModelCanScoreExitsThreeAndIsCounted() throws IOException {
        List<String> lines = Files.readAllLines(input());
        String bad = "abc" + lines.get(5).substring(lines.get(5).indexOf(','));
        lines.set(5, bad);
        Path input = Files.write(dir.resolve("bad.csv"), lines);

        CommandRun run = CommandRun.of("diff", ONNX.copyModelTo(dir).toString(), PMML.copyModelTo(dir).toString(),
                "--input", input.toString());

        assertEquals(3, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("rows:       200 read, 199 scored by both, 0 only by B, 0 only by A, 1 by neither"), run.out());
        assertTrue(run.err().contains("1 of 200 rows could not be scored"), run.err());
    }

    @Test
    void aHeaderWithoutAModelsInputIsAUsageError() throws IOException {
        List<String> lines = Files.readAllLines(input());
        lines.set(0, lines.get(0).replace("tenure_months", "tenure"));
        Path input = Files.write(dir.resolve("renamed.csv"), lines);

        CommandRun run = CommandRun.of("diff", ONNX.copyModelTo(dir).toString(), PMML.copyModelTo(dir).toString(),
                "--input", input.toString());

        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("does not fit model A"), run.err());
        assertTrue(run.err().contains("tenure_months"), run.err());
    }

    private Path withIdColumn(Path input) throws IOException {
        List<String> lines = Files.readAllLines(input);
        for (int i = 0; i < lines.size(); i++) {
            lines.set(i, (i == 0 ? "customer_id" : "c" + (i - 1)) + "," + lines.get(i));
        }
        return Files.write(dir.resolve("with_id.csv"), lines);
    }
}

package dev.handoff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Golden cases against a model written in the test (y = 1 + 2x): tolerance, no prediction, reading the files, the report. */
class VerificationTest {

    private static DefaultScorer line() {
        return new DefaultScorer(new LineModel(1), ScorerOptions.defaults());
    }

    private static VerificationCase value(double x, double y) {
        return VerificationCase.builder(Map.of("x", x)).value(y).build();
    }

    @Test
    void numberPassesWithinAbsolutePlusRelativeToleranceOfTheExpectedValue() {
        try (Scorer scorer = line()) {
            // y(50) = 101: rtol 1e-5 allows 101 * 1e-5 = 1.01e-3 (plus atol 1e-6)
            assertTrue(scorer.verify(Verification.of(List.of(value(50, 101.001)))).passed());
            assertFalse(scorer.verify(Verification.of(List.of(value(50, 101.002)))).passed());
            assertTrue(scorer.verify(Verification.of(List.of(value(50, 101.002))).withTolerance(0.002, 0)).passed());
            assertFalse(scorer.verify(Verification.of(List.of(value(0, 1.0 + 2e-6))).withTolerance(1e-6, 0)).passed());
        }
    }

    @Test
    void reportGivesPerColumnMaxErrorsAndTheFirstMismatchWithExpectedAndActual() {
        try (Scorer scorer = line()) {
            VerificationReport report = scorer.verify(Verification.of("golden", List.of(value(1, 3), value(2, 5.5), value(4, 9.0001)))
                    .withTolerance(1e-3, 0));

            assertFalse(report.passed());
            assertEquals(3, report.casesRun());
            assertEquals(1, report.mismatchingCases());
            VerificationReport.Column column = report.columns().get(0);
            assertEquals("value", column.name());
            assertEquals(0.5, column.maxAbsoluteError(), 1e-12);
            assertEquals(0.5 / 5.5, column.maxRelativeError(), 1e-12);
            assertEquals(1, column.mismatches());
            VerificationReport.Mismatch first = report.firstMismatches().get(0);
            assertEquals(1, first.caseIndex());
            assertEquals("case 1", first.caseName());
            assertEquals("5.5", first.expected());
            assertEquals("5.0", first.actual());
            assertTrue(report.toString().contains("case 1, column value: expected 5.5, got 5.0 (abs error 0.500)"), report.toString());
            assertTrue(report.toString().endsWith("MISMATCH"), report.toString());
            assertTrue(report.summary().startsWith("FAILED: 1 of 3 cases of golden mismatch"), report.summary());
        }
    }

    @Test
    void caseExpectingNoPredictionMatchesOnlyARowTheModelGivesNoPredictionFor() {
        Map<String, Object> missingX = new HashMap<>();
        missingX.put("x", null);
        try (Scorer scorer = line()) {
            VerificationReport ok = scorer.verify(Verification.of(List.of(VerificationCase.builder(missingX).noPrediction().build())));
            VerificationReport wrong = scorer.verify(Verification.of(List.of(VerificationCase.builder(Map.of("x", 1)).noPrediction().build(),
                    VerificationCase.builder(missingX).value(1).build())));

            assertTrue(ok.passed(), ok.toString());
            assertEquals(1, ok.casesWithoutPrediction());
            assertEquals(2, wrong.mismatchingCases());
            assertTrue(wrong.firstMismatches().get(0).problem().startsWith("no prediction was expected, but the model gave"));
            assertTrue(wrong.firstMismatches().get(1).problem().startsWith("a prediction was expected, but the row could not be scored: "
                    + "Invalid input for field 'x'"), wrong.firstMismatches().get(1).problem());
        }
    }

    @Test
    void nanMatchesNanButNotANumber() {
        Verification nan = Verification.of(List.of(VerificationCase.builder(Map.of("x", 1)).output("y", Double.NaN).build()));
        Verification number = Verification.of(List.of(VerificationCase.builder(Map.of("x", 1)).output("y", "3.0").build()));
        try (Scorer scorer = line()) {
            assertFalse(scorer.verify(nan).passed());
            assertTrue(scorer.verify(number).passed());
        }
        assertTrue(VerificationReport.Builder.numbers("nan 1e-05 -inf")[0] != VerificationReport.Builder.numbers("nan 1e-05 -inf")[0]);
        assertEquals(1e-5, VerificationReport.Builder.numbers("nan 1e-05 -inf")[1]);
    }

    /** atol + rtol * inf is inf: without its own rule an expected infinity would pass any answer. */
    @Test
    void expectedInfinityIsMatchedOnlyByTheSameInfinityAndNanOnlyByNan() {
        double inf = Double.POSITIVE_INFINITY;
        double max = Double.MAX_VALUE; // y = 2x + 1 overflows to inf: an infinite input is refused
        try (Scorer scorer = line()) {
            assertFalse(scorer.verify(Verification.of(List.of(value(1, inf)))).passed(), "y(1) = 3 is not +inf");
            assertFalse(scorer.verify(Verification.of(List.of(value(1, -inf)))).passed(), "y(1) = 3 is not -inf");
            assertFalse(scorer.verify(Verification.of(List.of(value(1, Double.NaN)))).passed(), "y(1) = 3 is not NaN");
            assertTrue(scorer.verify(Verification.of(List.of(value(max, inf)))).passed(), "y(max) = inf");
            assertFalse(scorer.verify(Verification.of(List.of(value(max, -inf)))).passed(), "y(max) = inf is not -inf");
            assertFalse(scorer.verify(Verification.of(List.of(value(max, 1e300)))).passed(), "y(max) = inf is not 1e300");
            VerificationReport loose = scorer.verify(Verification.of(List.of(value(1, inf))).withTolerance(1, 1));
            assertFalse(loose.passed(), "no tolerance makes 3 an infinity: " + loose);
        }
    }

    @Test
    void fromCsvRefusesARowShorterThanItsHeaderAsALongerOne() {
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class, () -> Verification.fromCsv(
                new StringReader("x,z\n1,2\n3\n"), new StringReader("value\n3\n7\n"), "cut"));
        IllegalArgumentException longer = assertThrows(IllegalArgumentException.class, () -> Verification.fromCsv(
                new StringReader("x,z\n1,2\n3,4\n"), new StringReader("value\n3\n7,1\n"), "long"));

        assertEquals("CSV file cut (input): line 3 has 1 cell, but the header has 2 columns", shorter.getMessage());
        assertEquals("CSV file long (expected): line 3 has 2 cells, but the header has 1 columns", longer.getMessage());
    }

    /** pandas' to_csv(encoding='utf-8-sig', quoting=csv.QUOTE_ALL) on Windows: byte order mark, quoted header, CRLF. */
    @Test
    void fromCsvReadsAByteOrderMarkBeforeAQuotedHeaderAndCrlf(@TempDir Path dir) throws IOException {
        Path input = Files.writeString(dir.resolve("input.csv"), "\uFEFF\"x\"\r\n\"1\"\r\n\"2.5\"\r\n");
        Path expected = Files.writeString(dir.resolve("expected.csv"), "\uFEFF\"value\"\r\n\"3.0\"\r\n\"6.0\"\r\n");

        Verification cases = Verification.fromCsv(input, expected);

        assertEquals(Map.of("x", "2.5"), cases.cases().get(1).input());
        try (Scorer scorer = line()) {
            assertTrue(scorer.verify(cases).passed());
        }
    }

    @Test
    void fromCsvNamesTheFileAndLineOfAByteThatIsNotUtf8(@TempDir Path dir) throws IOException {
        Path input = Files.write(dir.resolve("input.csv"), "x,region\n1,north\n2,s\u00f6uth\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path expected = Files.writeString(dir.resolve("expected.csv"), "value\n3\n5\n");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Verification.fromCsv(input, expected));

        assertTrue(e.getMessage().startsWith(input + ": line 3 is not valid UTF-8 (byte 0xF6)"), e.getMessage());
    }

    @Test
    void fromCsvReadsExpectedNumbersAsPythonWritesThemAndRefusesJavaForms() {
        Verification cases = Verification.fromCsv(new StringReader("x\n1\n2\n3\n"), new StringReader("value\ninf\n-Infinity\nnan\n"), "t");
        assertEquals(java.util.Arrays.asList(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN),
                cases.cases().stream().map(VerificationCase::value).toList());
        for (String javaOnly : List.of("12f", "2.6d", "0x1p7", "1e400")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Verification.fromCsv(new StringReader("x\n1\n"), new StringReader("value\n" + javaOnly + "\n"), "t"));
            assertTrue(e.getMessage().startsWith("CSV file t (expected), line 2, column value: '" + javaOnly + "' is "), e.getMessage());
        }
    }

    @Test
    void outputAndClassChecksNameWhatTheModelDoesNotGive() {
        try (Scorer scorer = line()) {
            VerificationReport report = scorer.verify(Verification.of(List.of(VerificationCase.builder(Map.of("x", 1)).label("yes")
                    .probability("yes", 0.5).output("z", 1.0).build())));

            assertEquals(List.of("the model gives no label (it is not a classifier)", "the model gives no probabilities",
                    "unknown output 'z'; the model's outputs are [y]"), report.firstMismatches().stream().map(VerificationReport.Mismatch::problem).toList());
            assertEquals(1, report.mismatchingCases());
        }
    }

    @Test
    void fromCsvReadsQuotedCellsEmptyCellsAsMissingAndIgnoresTheErrorColumn() {
        String input = "x,plan\n1,\"basic\"\n,plus\n\"2\",\"plus, annual\"\n";
        String expected = "value,error\n3.0,\n,\"Invalid input for field 'x': no prediction\"\n5.0,\n";

        Verification cases = Verification.fromCsv(new StringReader(input), new StringReader(expected), "test");

        assertEquals(3, cases.cases().size());
        assertEquals(Map.of("x", "1", "plan", "basic"), cases.cases().get(0).input());
        assertEquals(Map.of("plan", "plus"), cases.cases().get(1).input());
        assertTrue(cases.cases().get(1).noPrediction());
        assertEquals("plus, annual", cases.cases().get(2).input().get("plan"));
        assertEquals("row 2 (line 4)", cases.cases().get(2).name());
        try (Scorer scorer = line()) {
            VerificationReport report = scorer.verify(cases);
            assertTrue(report.passed(), report.toString());
        }
    }

    @Test
    void fromCsvRefusesFilesWithDifferentRowsAndCellsThatAreNotNumbers(@TempDir Path dir) throws IOException {
        Path input = Files.writeString(dir.resolve("input.csv"), "x\n1\n2\n");
        Path twoRows = Files.writeString(dir.resolve("expected.csv"), "value\n3.0\n");
        Path text = Files.writeString(dir.resolve("text.csv"), "value\n3.0\nabc\n");

        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class, () -> Verification.fromCsv(input, twoRows));
        IllegalArgumentException cell = assertThrows(IllegalArgumentException.class, () -> Verification.fromCsv(input, text));

        assertTrue(rows.getMessage().contains(input + " has 2 rows, but " + twoRows + " has 1"), rows.getMessage());
        assertTrue(cell.getMessage().contains(text + ", line 3, column value: 'abc' is not a number"), cell.getMessage());
        assertThrows(java.io.UncheckedIOException.class, () -> Verification.fromCsv(dir.resolve("absent.csv"), twoRows));
    }

    @Test
    void verificationWithoutCasesOrWithACaseThatExpectsNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Verification.of(List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Verification.of(List.of(VerificationCase.builder(Map.of("x", 1)).build())));
        assertTrue(e.getMessage().contains("expects nothing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Verification.of(List.of(value(1, 3))).withTolerance(-1, 0));
    }

    @Test
    void verificationCallsAreNeitherCountedInStatsNorToldToTheListener() {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        ScoringListener listener = new ScoringListener() {
            @Override
            public void callFinished(ModelInfo model, int rows, int failedRows, long nanos) {
                events.add("call " + rows);
            }
        };
        try (Scorer scorer = new DefaultScorer(new LineModel(1), ScorerOptions.builder().listener(listener).build())) {
            assertTrue(scorer.verify(Verification.of(List.of(value(1, 3), value(2, 5)))).passed());
            assertEquals(0, scorer.stats().calls());
            assertEquals(List.of(), events);
            scorer.score(Map.of("x", 1));
            assertEquals(1, scorer.stats().calls());
            assertEquals(List.of("call 1"), events);
        }
    }

    @Test
    void aScorerImplementedByAUserVerifiesThroughItsScoreAll() {
        DefaultScorer real = line();
        Scorer decorator = new Scorer() {
            @Override
            public ModelInfo info() {
                return real.info();
            }

            @Override
            public List<InputField> inputs() {
                return real.inputs();
            }

            @Override
            public List<OutputField> outputs() {
                return real.outputs();
            }

            @Override
            public List<String> classes() {
                return real.classes();
            }

            @Override
            public Prediction score(Map<String, ?> record) {
                return real.score(record);
            }

            @Override
            public Predictions scoreAll(List<? extends Map<String, ?>> records) {
                return real.scoreAll(records);
            }

            @Override
            public Predictions score(Batch batch) {
                return real.score(batch);
            }

            @Override
            public void close() {
                real.close();
            }
        };
        List<VerificationCase> many = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) { // three chunks
            many.add(value(i + 0.5, 2 + 2.0 * i)); // never 13, which the model refuses
        }
        try (decorator) {
            VerificationReport report = decorator.verify(Verification.of(many));
            assertTrue(report.passed(), report.toString());
            assertEquals(600, report.casesRun());
            assertFalse(decorator.stats().recorded());
            assertTrue(decorator.embeddedVerification().isEmpty());
        }
    }
}

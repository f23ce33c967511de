package dev.handoff.cli;

import dev.handoff.testing.CorpusModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PythonFloatFormatTest {

    @ParameterizedTest
    @CsvSource({
            "1.0, 1.0",
            "0.0, 0.0",
            "-0.0, -0.0",
            "0.04, 0.04",
            "0.0001, 0.0001",
            "0.00001, 1e-05",
            "2.5515347251857185e-05, 2.5515347251857185e-05",
            "6.01432739412238e-11, 6.01432739412238e-11",
            "255.26058696768413, 255.26058696768413",
            "1e16, 1e+16",
            "123456789012345.0, 123456789012345.0",
            "1234567890123456.0, 1234567890123456.0",
            "12345678901234567.0, 1.2345678901234568e+16",
            "-1.5e-7, -1.5e-07",
            "1e100, 1e+100",
            "4.9e-324, 5e-324"})
    void writesWhatPythonReprWrites(double value, String python) {
        assertEquals(python, PythonFloatFormat.repr(value));
    }

    @Test
    void writesNanAndInfinitiesAsPythonDoes() {
        assertEquals("nan", PythonFloatFormat.repr(Double.NaN));
        assertEquals("inf", PythonFloatFormat.repr(Double.POSITIVE_INFINITY));
        assertEquals("-inf", PythonFloatFormat.repr(Double.NEGATIVE_INFINITY));
    }

    @Test
    void everyWrittenValueParsesBackToTheSameDouble() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(value)) {
                continue;
            }
            assertEquals(value, Double.parseDouble(PythonFloatFormat.repr(value)), PythonFloatFormat.repr(value));
        }
    }

    @Test
    void reproducesTheTextOfTheScikitLearnExpectedFiles() {
        for (CorpusModel model : List.of(CorpusModel.IRIS_PMML, CorpusModel.BREAST_CANCER_PMML, CorpusModel.DIABETES_PMML,
                CorpusModel.CHURN_PIPELINE_PMML, CorpusModel.DIGITS_ONNX)) {
            List<String> columns = model.expectedColumns();
            for (List<String> row : model.expectedRows()) {
                for (int c = 0; c < columns.size(); c++) {
                    if (!columns.get(c).equals("label")) {
                        assertEquals(row.get(c), PythonFloatFormat.repr(Double.parseDouble(row.get(c))), model + " " + columns.get(c));
                    }
                }
            }
        }
    }
}

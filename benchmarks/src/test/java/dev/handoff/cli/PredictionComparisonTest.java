package dev.handoff.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PredictionComparisonTest {

    @Test
    void differenceOfNumericCellsIsTheLargestOverTheirValues() {
        assertEquals(0.25, PredictionComparison.numericDifference("1.0 2.0 3.0", "1.0 2.25 3.125"));
        assertEquals(0.0, PredictionComparison.numericDifference("1e-05", "1.0E-5"));
        assertEquals(0.0, PredictionComparison.numericDifference("nan", "NaN"));
    }

    @Test
    void cellsThatAreNotBothNumbersOfTheSameLengthHaveNoDifference() {
        assertEquals(-1, PredictionComparison.numericDifference("setosa", "setosa"));
        assertEquals(-1, PredictionComparison.numericDifference("1.0", ""));
        assertEquals(-1, PredictionComparison.numericDifference("1.0 2.0", "1.0"));
    }

    @Test
    void infinityAgainstAFiniteValueIsAnInfiniteDifference() {
        assertEquals(Double.POSITIVE_INFINITY, PredictionComparison.numericDifference("inf", "1.0"));
        assertEquals(Double.POSITIVE_INFINITY, PredictionComparison.numericDifference("nan", "1.0"));
    }
}

package dev.handoff.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimalNumbersTest {

    /** Decimal numbers as Python's repr, pandas' to_csv and R's write.csv print them. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "14|14.0", "-3|-3.0", "+2.5|2.5", "0.1|0.1", "5.|5.0", ".5|0.5", "-.5|-0.5", "1e-05|1.0E-5", "2.5E+10|2.5E10",
            "1E5|100000.0", "0.1234567890123456789|0.12345678901234568", "'  7.25 '|7.25", "-0.0|-0.0", "1e-400|0.0",
            "1.7976931348623157e308|1.7976931348623157E308"})
    void readsDecimalNumbersAsPythonAndRWriteThem(String text, double expected) {
        assertEquals(expected, DecimalNumbers.parse(text), 0.0);
        assertEquals(expected, DecimalNumbers.parseInput(text), 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nan", "NaN", "NAN", "-nan", "+nan", "NA"})
    void notANumberInPythonOrRFormsIsNaNThatIsMissing(String text) {
        assertTrue(Double.isNaN(DecimalNumbers.parse(text)));
        assertTrue(Double.isNaN(DecimalNumbers.parseInput(text)));
    }

    @ParameterizedTest
    @CsvSource({"inf,Infinity", "Inf,Infinity", "+inf,Infinity", "infinity,Infinity", "Infinity,Infinity", "INF,Infinity",
            "-inf,-Infinity", "-Inf,-Infinity", "-Infinity,-Infinity"})
    void infinityIsAValueToExpectButNeverAnInput(String text, double expected) {
        assertEquals(expected, DecimalNumbers.parse(text), 0.0);
        NumberFormatException refused = assertThrows(NumberFormatException.class, () -> DecimalNumbers.parseInput(text));
        assertTrue(refused.getMessage().contains("is infinite; an input value must be a finite number, or missing"), refused.getMessage());
    }

    /** Forms Java's Double.parseDouble takes that no CSV file means as numbers, and other text. */
    @ParameterizedTest
    @ValueSource(strings = {"12f", "2.6d", "3D", "1F", "0x1p7", "0x10", "1_000", "1,000", "1e", "1e+", "e5", ".", "-", "+",
            "", "  ", "1.2.3", "--1", "abc", "nana", "Na", "na", "N/A", "infinit", "1 000", "\u0661\u0662", "١"})
    void javaOnlyFormsAndOtherTextAreNotNumbers(String text) {
        NumberFormatException refused = assertThrows(NumberFormatException.class, () -> DecimalNumbers.parse(text));
        assertTrue(refused.getMessage().endsWith("is not a number"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1.8e308", "123456789e301"})
    void numberBeyondTheRangeOfADoubleIsRefusedNotReadAsInfinity(String text) {
        NumberFormatException refused = assertThrows(NumberFormatException.class, () -> DecimalNumbers.parse(text));
        assertTrue(refused.getMessage().contains("is beyond the range of a double"), refused.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"9007199254740993,9007199254740993", "14.0,14.0", "1e3,1E+3", "+5,5", "-.5,-0.5"})
    void exactDecimalKeepsEveryDigit(String text, String expected) {
        assertEquals(new java.math.BigDecimal(expected), DecimalNumbers.parseExact(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nan", "inf", "12f", "0x1p7", "1_000", "abc", ""})
    void exactDecimalRefusesWhatIsNotADecimalNumber(String text) {
        assertThrows(NumberFormatException.class, () -> DecimalNumbers.parseExact(text));
    }

    @Test
    void fiftyMillionDigitCellIsRefusedByItsLengthWithoutBeingRead() {
        CharSequence digits = new CharSequence() { // reading a single char of it fails the test
            @Override
            public int length() {
                return 50_000_000;
            }

            @Override
            public char charAt(int index) {
                throw new AssertionError("read char " + index);
            }

            @Override
            public CharSequence subSequence(int start, int end) {
                throw new AssertionError("read chars " + start + ".." + end);
            }

            @Override
            public String toString() {
                throw new AssertionError("copied");
            }
        };

        NumberFormatException refused = assertThrows(NumberFormatException.class, () -> DecimalNumbers.parse(digits));
        assertEquals("a number of 50000000 chars is longer than the 400 a number may have", refused.getMessage());
        assertThrows(NumberFormatException.class, () -> DecimalNumbers.parse("1".repeat(DecimalNumbers.MAX_CHARS + 1)));
        assertEquals("a number of 50000000 chars is longer than the 400 a number may have",
                assertThrows(NumberFormatException.class, () -> DecimalNumbers.parseExact(digits)).getMessage());
    }
}

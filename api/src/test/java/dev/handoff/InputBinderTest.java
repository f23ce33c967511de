package dev.handoff;

import dev.handoff.InputField.MissingValueTreatment;
import dev.handoff.internal.bind.BoundRows;
import dev.handoff.internal.bind.InputBinder;
import dev.handoff.spi.InputColumns;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputBinderTest {
    private static final InputField TENURE = InputField.scalar("tenure", ValueType.DOUBLE, MissingValueTreatment.MODEL_HANDLES);
    private static final InputField CALLS = InputField.scalar("calls", ValueType.INTEGER, MissingValueTreatment.NOT_ACCEPTED);
    private static final InputField ACTIVE = InputField.scalar("active", ValueType.BOOLEAN, MissingValueTreatment.NOT_ACCEPTED);
    private static final InputField PLAN = new InputField("plan", ValueType.STRING, List.of(), List.of("basic", "plus"),
            MissingValueTreatment.NOT_ACCEPTED);
    private static final InputField PIXELS = new InputField("pixels", ValueType.FLOAT, List.of(2L, 2L), List.of(),
            MissingValueTreatment.MODEL_HANDLES);
    private static final List<InputField> FIELDS = List.of(TENURE, CALLS, ACTIVE, PLAN, PIXELS);

    private static Binder binder(ScorerOptions options) {
        return new Binder(new InputBinder(FIELDS, options));
    }

    /** The binder, throwing the failure of the first bad row as a single-record call would. */
    private record Binder(InputBinder binder) {
        InputColumns bindRecord(Map<String, ?> record) {
            return columnsOrFailure(binder.bindRecord(record));
        }

        InputColumns bindRecords(List<? extends Map<String, ?>> records) {
            return columnsOrFailure(binder.bindRecords(records));
        }

        InputColumns bindBatch(Batch batch) {
            return columnsOrFailure(binder.bindBatch(batch.rowCount(), batch.columns()));
        }

        private static InputColumns columnsOrFailure(BoundRows bound) {
            if (bound.failures() != null) {
                for (InvalidInputException failure : bound.failures()) {
                    if (failure != null) {
                        throw failure;
                    }
                }
            }
            return bound.columns();
        }
    }

    private static Binder binder(List<InputField> fields, ScorerOptions options) {
        return new Binder(new InputBinder(fields, options));
    }

    private static Map<String, Object> record() {
        Map<String, Object> r = new HashMap<>();
        r.put("tenure", 14);
        r.put("calls", 2L);
        r.put("active", true);
        r.put("plan", "plus");
        r.put("pixels", new float[] {1, 2, 3, 4});
        return r;
    }

    @Test
    void numbersOfAnyJavaTypeAndNumericStringsBindAsDoubles() {
        Binder binder = binder(ScorerOptions.defaults());
        for (Object tenure : List.of(14, 14L, 14.0f, 14.0, (short) 14, new BigDecimal("14"), "14", " 14.0 ")) {
            Map<String, Object> r = record();
            r.put("tenure", tenure);
            assertEquals(14.0, binder.bindRecord(r).doubles(0)[0], 0.0, "tenure given as " + tenure.getClass().getSimpleName());
        }
    }

    @Test
    void nullNanAndEmptyStringAreMissingForAnOptionalNumber() {
        Binder binder = binder(ScorerOptions.defaults());
        for (Object missing : java.util.Arrays.asList(null, Double.NaN, "", "  ")) {
            Map<String, Object> r = record();
            r.put("tenure", missing);
            assertTrue(Double.isNaN(binder.bindRecord(r).doubles(0)[0]));
        }
        Map<String, Object> absent = record();
        absent.remove("tenure");
        assertTrue(Double.isNaN(binder.bindRecord(absent).doubles(0)[0]));
    }

    @Test
    void missingValueForAnInputTheModelDoesNotAcceptIsRejectedNamingTheField() {
        Map<String, Object> r = record();
        r.remove("calls");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));
        assertEquals("calls", e.field());
        assertEquals(-1, e.row());
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("does not accept"), e.getMessage());
    }

    @Test
    void rejectPolicyRejectsAMissingValueEvenWhereTheModelWouldHandleIt() {
        Map<String, Object> r = record();
        r.put("tenure", null);
        assertTrue(Double.isNaN(binder(ScorerOptions.defaults()).bindRecord(r).doubles(0)[0]));
        ScorerOptions strict = ScorerOptions.builder().rejectMissingValues(true).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(strict).bindRecord(r));
        assertEquals("tenure", e.field());
        assertTrue(e.getMessage().contains("rejects missing values"), e.getMessage());
        Map<String, Object> nanPixel = record();
        nanPixel.put("pixels", new double[] {1, Double.NaN, 3, 4});
        assertEquals("pixels", assertThrows(InvalidInputException.class, () -> binder(strict).bindRecord(nanPixel)).field());
    }

    @Test
    void wholeNumberFieldRejectsFractions() {
        Map<String, Object> r = record();
        r.put("calls", 2.5);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));
        assertEquals("calls", e.field());
        assertEquals(2.5, e.value());
        assertTrue(e.getMessage().contains("not a whole number"), e.getMessage());
    }

    @Test
    void booleanFieldTakesBooleansOnesZerosAndWords() {
        Binder binder = binder(ScorerOptions.defaults());
        Map<String, Object> r = record();
        for (Object yes : List.of(true, 1, "true", "TRUE", "1")) {
            r.put("active", yes);
            assertEquals(1.0, binder.bindRecord(r).doubles(2)[0], 0.0);
        }
        r.put("active", "maybe");
        assertEquals("active", assertThrows(InvalidInputException.class, () -> binder.bindRecord(r)).field());
        r.put("active", 2);
        assertTrue(assertThrows(InvalidInputException.class, () -> binder.bindRecord(r)).getMessage().contains("not a boolean"));
    }

    @Test
    void booleanForANumberReadsAsOneOrZeroAsPandasAndJpmmlReadIt() {
        Binder binder = binder(ScorerOptions.defaults());
        Map<String, Object> r = record();
        for (Object no : List.of(false, "false", "FALSE", " False ")) {
            r.put("tenure", no);
            assertEquals(0.0, binder.bindRecord(r).doubles(0)[0], 0.0, "tenure given as " + no);
        }
        for (Object yes : List.of(true, "TRUE", "True")) {
            r.put("tenure", yes);
            assertEquals(1.0, binder.bindRecord(r).doubles(0)[0], 0.0, "tenure given as " + yes);
        }
        Batch batch = Batch.builder(2).booleans("tenure", new boolean[] {true, false}).build();
        assertArrayEquals(new double[] {1, 0}, binder(List.of(TENURE), ScorerOptions.defaults()).bindBatch(batch).doubles(0), 0.0);
    }

    @Test
    void otherObjectsForANumberAreTheWrongType() {
        Map<String, Object> r = record();
        r.put("tenure", new Object());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));
        assertTrue(e.getMessage().contains("'tenure'") && e.getMessage().contains("wrong type")
                && e.getMessage().contains("a number (DOUBLE)"), e.getMessage());
    }

    @Test
    void aKeyThatMatchesAnAbsentInputOnlyUpToCaseOrSeparatorsIsRejectedWithDidYouMean() {
        for (String nearMiss : List.of("TENURE", "Tenure", "ten_ure", "ten-ure", " tenure")) {
            Map<String, Object> r = record();
            r.remove("tenure");
            r.put(nearMiss, 14);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));
            assertTrue(e.getMessage().contains("'" + nearMiss + "' (did you mean 'tenure'?)"), e.getMessage());
            assertEquals("tenure", e.field(), "the exception names the input the key was meant for");
        }
        Map<String, Object> both = record();
        both.put("TENURE", 99); // the real key is there: the other one is just an extra field
        assertEquals(14.0, binder(ScorerOptions.defaults()).bindRecord(both).doubles(0)[0], 0.0);
    }

    @Test
    void keysTheModelDoesNotReadAreIgnoredUnlessStrictKeysIsOn() {
        Map<String, Object> r = record();
        r.put("customer_id", "c-17");
        assertEquals(14.0, binder(ScorerOptions.defaults()).bindRecord(r).doubles(0)[0], 0.0);
        ScorerOptions strict = ScorerOptions.builder().strictKeys(true).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(strict).bindRecord(r));
        assertTrue(e.getMessage().contains("'customer_id'") && e.getMessage().contains("not read by the model"), e.getMessage());
        assertEquals(14.0, binder(strict).bindRecord(record()).doubles(0)[0], 0.0);

        Batch batch = Batch.builder(1).doubles("tenure", new double[] {1}).strings("customer_id", new String[] {"c"}).build();
        assertEquals(1.0, binder(List.of(TENURE), ScorerOptions.defaults()).bindBatch(batch).doubles(0)[0], 0.0);
        assertThrows(InvalidInputException.class, () -> binder(List.of(TENURE), strict).bindBatch(batch));
        Batch nearMiss = Batch.builder(1).doubles("Tenure", new double[] {1}).build();
        InvalidInputException column = assertThrows(InvalidInputException.class,
                () -> binder(List.of(TENURE), ScorerOptions.defaults()).bindBatch(nearMiss));
        assertTrue(column.getMessage().contains("did you mean 'tenure'"), column.getMessage());
    }

    @Test
    void badRowsOfAListAreLeftOutAndTheGoodRowsKeepTheirOrder() {
        Map<String, Object> bad = record();
        bad.put("tenure", "abc");
        Map<String, Object> second = record();
        second.put("tenure", 20);
        BoundRows bound = new InputBinder(FIELDS, ScorerOptions.defaults()).bindRecords(List.of(record(), bad, second));
        assertEquals(3, bound.rowCount());
        assertEquals(2, bound.columns().rowCount());
        assertArrayEquals(new double[] {14, 20}, bound.columns().doubles(0), 0.0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 1, 2, 3, 4}, bound.columns().doubles(4), 0.0);
        assertEquals(0, bound.sourceRow(0));
        assertEquals(2, bound.sourceRow(1));
        assertEquals(1, bound.failures()[1].row());
        assertEquals("tenure", bound.failures()[1].field());
    }

    @Test
    void badRowsOfABatchAreLeftOutWithTheirRowNumbers() {
        InputBinder binder = new InputBinder(List.of(TENURE, PLAN), ScorerOptions.defaults());
        Batch batch = Batch.builder(4).strings("tenure", new String[] {"1", "x", "3", "4"})
                .strings("plan", new String[] {"basic", "plus", null, "plus"}).build();
        BoundRows bound = binder.bindBatch(batch.rowCount(), batch.columns());
        assertEquals(2, bound.columns().rowCount());
        assertArrayEquals(new double[] {1, 4}, bound.columns().doubles(0), 0.0);
        assertArrayEquals(new String[] {"basic", "plus"}, bound.columns().strings(1));
        assertEquals("tenure", bound.failures()[1].field());
        assertEquals(1, bound.failures()[1].row());
        assertEquals("plan", bound.failures()[2].field());
        assertEquals(2, bound.failures()[2].row());
    }

    @Test
    void anEmptyListAndAnEmptyBatchBindToNoRows() {
        assertEquals(0, new InputBinder(FIELDS, ScorerOptions.defaults()).bindRecords(List.of()).columns().rowCount());
        assertEquals(0, new InputBinder(FIELDS, ScorerOptions.defaults()).bindBatch(0, Map.of()).columns().rowCount());
    }

    @Test
    void unknownCategoryPassesToTheModelByDefault() {
        Map<String, Object> r = record();
        r.put("plan", "gold");
        assertEquals("gold", binder(ScorerOptions.defaults()).bindRecord(r).strings(3)[0]);
    }

    @Test
    void unknownCategoryUnderErrorNamesFieldValueAndKnownCategories() {
        Map<String, Object> r = record();
        r.put("plan", "gold");
        ScorerOptions error = ScorerOptions.builder().unknownCategories(UnknownCategoryPolicy.ERROR).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(error).bindRecord(r));
        assertEquals("plan", e.field());
        assertEquals("gold", e.value());
        assertTrue(e.getMessage().contains("'gold'") && e.getMessage().contains("[basic, plus]"), e.getMessage());
    }

    @Test
    void unknownCategoryUnderAsMissingBecomesMissing() {
        InputField plan = new InputField("plan", ValueType.STRING, List.of(), List.of("basic", "plus"), MissingValueTreatment.MODEL_HANDLES);
        ScorerOptions asMissing = ScorerOptions.builder().unknownCategories(UnknownCategoryPolicy.AS_MISSING).build();
        assertNull(binder(List.of(plan), asMissing).bindRecord(Map.of("plan", "gold")).strings(0)[0]);
    }

    @Test
    void stringFieldTakesWholeNumbersAndEnumsButNotFractions() {
        Binder binder = binder(List.of(InputField.scalar("code", ValueType.STRING, MissingValueTreatment.NOT_ACCEPTED)), ScorerOptions.defaults());
        assertEquals("42", binder.bindRecord(Map.of("code", 42)).strings(0)[0]);
        assertEquals("HALF_UP", binder.bindRecord(Map.of("code", java.math.RoundingMode.HALF_UP)).strings(0)[0]);
        assertThrows(InvalidInputException.class, () -> binder.bindRecord(Map.of("code", 4.2)));
    }

    @Test
    void tensorFieldTakesFlatOrNestedArraysAndListsOfTheRightSize() {
        Binder binder = binder(ScorerOptions.defaults());
        for (Object pixels : List.of(new double[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, new long[] {1, 2, 3, 4},
                new double[][] {{1, 2}, {3, 4}}, List.of(List.of(1, 2), List.of(3.0, "4")))) {
            Map<String, Object> r = record();
            r.put("pixels", pixels);
            assertArrayEquals(new double[] {1, 2, 3, 4}, binder.bindRecord(r).doubles(4), 0.0);
        }
        Map<String, Object> tooLong = record();
        tooLong.put("pixels", new double[] {1, 2, 3, 4, 5});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder.bindRecord(tooLong));
        assertTrue(e.getMessage().contains("more than 4"), e.getMessage());
        Map<String, Object> scalar = record();
        scalar.put("pixels", 3.0);
        assertTrue(assertThrows(InvalidInputException.class, () -> binder.bindRecord(scalar)).getMessage().contains("not an array"));
    }

    /** Numbers given as strings (a record's, a batch's, a CSV cell) are read as Python and R write them. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {"14.5|14.5", "1e-05|1.0E-5", "-.5|-0.5", "5.|5.0", "+2|2.0"})
    void numberGivenAsStringIsReadInRecordsAndBatches(String text, double expected) {
        Map<String, Object> r = record();
        r.put("tenure", text);
        Batch batch = Batch.builder(1).strings("tenure", new String[] {text}).build();

        assertEquals(expected, binder(ScorerOptions.defaults()).bindRecord(r).doubles(0)[0], 0.0);
        assertEquals(expected, binder(List.of(TENURE), ScorerOptions.defaults()).bindBatch(batch).doubles(0)[0], 0.0);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"nan", "NaN", "-nan", "NA"})
    void notANumberGivenAsStringIsMissing(String text) {
        Map<String, Object> r = record();
        r.put("tenure", text);
        Batch batch = Batch.builder(1).strings("tenure", new String[] {text}).build();

        assertTrue(Double.isNaN(binder(ScorerOptions.defaults()).bindRecord(r).doubles(0)[0]));
        assertTrue(Double.isNaN(binder(List.of(TENURE), ScorerOptions.defaults()).bindBatch(batch).doubles(0)[0]));
    }

    /** Infinity (written, or by overflow) is no input scikit-learn takes; Java's suffixes and hex are no number a CSV means. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"inf", "-inf", "Infinity", "-Infinity", "1e400", "-1e400", "12f",
            "2.6d", "0x1p7", "1_000"})
    void infinityOverflowAndJavaOnlyFormsGivenAsStringAreRefused(String text) {
        Map<String, Object> r = record();
        r.put("tenure", text);
        Batch batch = Batch.builder(1).strings("tenure", new String[] {text}).build();

        InvalidInputException one = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));
        InvalidInputException column = assertThrows(InvalidInputException.class,
                () -> binder(List.of(TENURE), ScorerOptions.defaults()).bindBatch(batch));
        assertTrue(one.getMessage().contains("value '" + text + "' (String) is not a number"), one.getMessage());
        assertTrue(column.getMessage().contains("value '" + text + "'"), column.getMessage());
    }

    /** The words of the string case: a double infinity is refused as "inf" is, in a record, a batch column or a tensor. */
    @Test
    void infinityGivenAsADoubleIsRefusedInTheWordsOfTheStringCase() {
        Map<String, Object> r = record();
        r.put("tenure", Double.POSITIVE_INFINITY);
        Map<String, Object> text = record();
        text.put("tenure", "Infinity");
        Map<String, Object> tensor = record();
        tensor.put("pixels", new float[] {1, Float.NEGATIVE_INFINITY, 3, 4});
        Batch batch = Batch.builder(2).doubles("tenure", new double[] {1.5, Double.NEGATIVE_INFINITY}).build();

        InvalidInputException one = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));
        InvalidInputException written = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(text));
        InvalidInputException inTensor = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(tensor));
        InvalidInputException column = assertThrows(InvalidInputException.class,
                () -> binder(List.of(TENURE), ScorerOptions.defaults()).bindBatch(batch));

        assertEquals("value Infinity (Double) is not a number: 'Infinity' is infinite; an input value must be a finite number, "
                + "or missing; expected a number (DOUBLE)", one.problem());
        assertEquals(one.problem().replace("Infinity (Double)", "'Infinity' (String)"), written.problem());
        assertEquals("pixels", inTensor.field());
        assertTrue(inTensor.problem().contains("'-Infinity' is infinite; an input value must be a finite number, or missing"),
                inTensor.problem());
        assertEquals(1, column.row());
        assertTrue(column.problem().contains("'-Infinity' is infinite"), column.problem());
    }

    @Test
    void infinityIsTakenWhereTheModelDeclaresItValidAndOnlyThere() {
        InputField.ValueRange upFromZero = InputField.ValueRange.builder().interval(0, true, Double.POSITIVE_INFINITY, true).build();
        InputField.ValueRange openAbove = InputField.ValueRange.builder().interval(0, true, Double.POSITIVE_INFINITY, false).build();
        InputBinder declared = new InputBinder(List.of(TENURE), ScorerOptions.defaults(), java.util.Set.of(), Map.of("tenure", upFromZero), false);
        InputBinder open = new InputBinder(List.of(TENURE), ScorerOptions.defaults(), java.util.Set.of(), Map.of("tenure", openAbove), false);
        Batch batch = Batch.builder(1).doubles("tenure", new double[] {Double.POSITIVE_INFINITY}).build();

        assertEquals(Double.POSITIVE_INFINITY, new Binder(declared).bindRecord(Map.of("tenure", Double.POSITIVE_INFINITY)).doubles(0)[0]);
        assertEquals(Double.POSITIVE_INFINITY, new Binder(declared).bindRecord(Map.of("tenure", "inf")).doubles(0)[0]);
        assertEquals(Double.POSITIVE_INFINITY, new Binder(declared).bindBatch(batch).doubles(0)[0]);
        assertThrows(InvalidInputException.class, () -> new Binder(declared).bindRecord(Map.of("tenure", Double.NEGATIVE_INFINITY)));
        assertThrows(InvalidInputException.class, () -> new Binder(open).bindRecord(Map.of("tenure", Double.POSITIVE_INFINITY)));
        assertThrows(InvalidInputException.class, () -> new Binder(open).bindBatch(batch));
    }

    @Test
    void infinityForAWholeNumberInputIsRefusedAsInfinite() {
        Map<String, Object> r = record();
        r.put("calls", Double.POSITIVE_INFINITY);
        Map<String, Object> text = record();
        text.put("calls", "-inf");

        InvalidInputException one = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));
        InvalidInputException written = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(text));

        assertTrue(one.problem().contains("is not a number: 'Infinity' is infinite"), one.problem());
        assertTrue(written.problem().contains("is not a number: '-inf' is infinite"), written.problem());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "1e400|'1e400' is beyond the range of a double (about 1.8e308)",
            "-inf|'-inf' is infinite; an input value must be a finite number, or missing",
            "12f|"})
    void notANumberSaysTheParsersReason(String text, String reason) {
        Map<String, Object> r = record();
        r.put("tenure", text);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));

        assertEquals("value '" + text + "' (String) is not a number" + (reason == null ? "" : ": " + reason)
                + "; expected a number (DOUBLE)", e.problem());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"nan", "NaN", "-nan", "NA", " nan "})
    void notANumberWrittenAsTextIsMissingForAWholeNumberInputAsForANumberInput(String text) {
        InputField count = InputField.scalar("count", ValueType.INTEGER, MissingValueTreatment.MODEL_HANDLES);
        Batch batch = Batch.builder(1).strings("count", new String[] {text}).build();

        InputColumns one = binder(List.of(count), ScorerOptions.defaults()).bindRecord(Map.of("count", text));
        InputColumns column = binder(List.of(count), ScorerOptions.defaults()).bindBatch(batch);

        assertTrue(one.isMissing(0, 0));
        assertTrue(column.isMissing(0, 0));
    }

    /**
     * For an INTEGER input too, whose exact parse (BigDecimal) grows with the square of the digits: 200,000
     * digits take seconds without the bound, a million half a minute, 50 million hours.
     */
    @Test
    void fiveMillionDigitNumberIsRefusedByItsLength() {
        Map<String, Object> r = record();
        r.put("tenure", "9".repeat(5_000_000));
        Map<String, Object> calls = record();
        calls.put("calls", "9".repeat(200_000));

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));
        InvalidInputException whole = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(calls));
        assertTrue(e.getMessage().contains("is not a number"), e.getMessage());
        assertTrue(whole.getMessage().contains("Invalid input for field 'calls'") && whole.getMessage().contains("is not a number"),
                whole.getMessage());
    }

    @Test
    void rowsOfAListAreNumberedInErrors() {
        Map<String, Object> bad = record();
        bad.put("tenure", "abc");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> binder(ScorerOptions.defaults()).bindRecords(List.of(record(), bad)));
        assertEquals(1, e.row());
        assertTrue(e.getMessage().startsWith("Invalid input for field 'tenure' in row 1: value 'abc' (String) is not a number"),
                e.getMessage());
    }

    @Test
    void nullRecordIsAnInvalidInputNotANullPointer() {
        java.util.List<Map<String, Object>> records = new java.util.ArrayList<>();
        records.add(record());
        records.add(null);
        assertEquals(1, assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecords(records)).row());
    }

    @Test
    void batchColumnsBindWithoutCopyingDoubles() {
        Binder binder = binder(List.of(TENURE, PLAN), ScorerOptions.defaults());
        Batch batch = Batch.builder(2).doubles("tenure", new double[] {1, Double.NaN}).strings("plan", new String[] {"basic", "plus"}).build();
        InputColumns columns = binder.bindBatch(batch);
        assertSame(batch.columns().get("tenure"), columns.doubles(0));
        assertArrayEquals(new String[] {"basic", "plus"}, columns.strings(1));
    }

    @Test
    void batchWithAMissingValueTheModelDoesNotAcceptNamesTheRow() {
        Binder binder = binder(List.of(TENURE, PLAN), ScorerOptions.defaults());
        Batch batch = Batch.builder(3).doubles("tenure", new double[] {1, 2, 3}).strings("plan", new String[] {"basic", "plus", null}).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder.bindBatch(batch));
        assertEquals("plan", e.field());
        assertEquals(2, e.row());
    }

    @Test
    void batchNumbersGivenAsStringsOrLongsAreConverted() {
        Binder binder = binder(List.of(TENURE, CALLS), ScorerOptions.defaults());
        Batch batch = Batch.builder(2).strings("tenure", new String[] {"1.5", ""}).longs("calls", new long[] {3, 4}).build();
        InputColumns columns = binder.bindBatch(batch);
        assertEquals(1.5, columns.doubles(0)[0], 0.0);
        assertTrue(Double.isNaN(columns.doubles(0)[1]));
        assertArrayEquals(new long[] {3, 4}, columns.longs(1));
    }

    @Test
    void batchColumnOfTheWrongKindIsRejected() {
        Binder binder = binder(List.of(PLAN), ScorerOptions.defaults());
        Batch batch = Batch.builder(1).doubles("plan", new double[] {1}).build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder.bindBatch(batch));
        assertEquals("plan", e.field());
        assertTrue(e.getMessage().contains("expected strings"), e.getMessage());
    }

    // ---- record guards ----

    private static final InputField HUGE = new InputField("huge", ValueType.FLOAT, List.of(1L << 28), List.of(),
            MissingValueTreatment.MODEL_HANDLES);

    @Test
    void aShortRecordForAHugeTensorFailsBeforeAnythingIsAllocatedForIt() {
        // [N, 2^28] doubles would be 2 GiB for this one row: the record is counted first and found short
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> binder(List.of(HUGE), ScorerOptions.defaults()).bindRecord(Map.of("huge", new double[] {1, 2, 3})));

        assertEquals("huge", e.field());
        assertTrue(e.getMessage().contains("has 3 values; expected 268435456"), e.getMessage());
    }

    @Test
    void rowsTimesValuesPerRowBeyondOneArrayIsAClearErrorNotAnOverflow() {
        InputField image = new InputField("image", ValueType.FLOAT, List.of(3L, 224L, 224L), List.of(),
                MissingValueTreatment.MODEL_HANDLES);
        List<Map<String, Object>> empty = java.util.Collections.nCopies(14_267, Map.of()); // 14,267 x 150,528 > 2^31

        InvalidInputException records = assertThrows(InvalidInputException.class,
                () -> new InputBinder(List.of(image), ScorerOptions.defaults()).bindRecords(empty));
        InvalidInputException batch = assertThrows(InvalidInputException.class,
                () -> new InputBinder(List.of(image), ScorerOptions.defaults()).bindBatch(14_267, Map.of()));

        for (InvalidInputException e : List.of(records, batch)) {
            assertEquals("image", e.field());
            assertTrue(e.getMessage().contains("14267 rows x 150528 values per row") && e.getMessage().contains("too many"),
                    e.getMessage());
        }
    }

    @Test
    void aSelfReferentialListFailsFast() {
        List<Object> self = new java.util.ArrayList<>();
        self.add(1.0);
        self.add(self);
        Map<String, Object> r = record();
        r.put("pixels", self);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));

        assertEquals("pixels", e.field());
        assertTrue(e.getMessage().contains("deeper than the input's shape [2, 2] allows"), e.getMessage());
    }

    @Test
    void nestingDeeperThanTheShapeIsRefusedWithoutRecursingThroughIt() {
        Object nested = List.of(1.0, 2.0, 3.0, 4.0);
        for (int i = 0; i < 5_000; i++) {
            nested = List.of(nested);
        }
        Map<String, Object> r = record();
        r.put("pixels", nested);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));

        assertTrue(e.getMessage().contains("nests arrays or lists deeper"), e.getMessage());
        Map<String, Object> oneLevelPerDimension = record();
        oneLevelPerDimension.put("pixels", List.of(List.of(1, 2), List.of(3, 4)));
        assertArrayEquals(new double[] {1, 2, 3, 4}, binder(ScorerOptions.defaults()).bindRecord(oneLevelPerDimension).doubles(4), 0.0);
    }

    @Test
    void anEndlessIterableFailsFastWhetherItGivesNumbersOrEmptyLists() {
        Iterable<Object> endlessNumbers = () -> java.util.stream.Stream.<Object>generate(() -> 1.0).iterator();
        Iterable<Object> endlessEmptyLists = () -> java.util.stream.Stream.<Object>generate(List::of).iterator();
        for (Iterable<Object> endless : List.of(endlessNumbers, endlessEmptyLists)) {
            Map<String, Object> r = record();
            r.put("pixels", endless);

            InvalidInputException e = assertThrows(InvalidInputException.class, () -> binder(ScorerOptions.defaults()).bindRecord(r));

            assertEquals("pixels", e.field());
        }
    }

    @Test
    void aBadTensorRowFailsAloneAndTheOtherRowsKeepTheirValues() {
        Map<String, Object> good = record();
        Map<String, Object> shortRow = record();
        shortRow.put("pixels", new int[] {1});
        Map<String, Object> lastGood = record();
        lastGood.put("pixels", List.of(5, 6, 7, 8));

        BoundRows bound = new InputBinder(FIELDS, ScorerOptions.defaults()).bindRecords(List.of(good, shortRow, lastGood));

        assertEquals(2, bound.columns().rowCount());
        assertEquals(1, bound.failures()[1].row());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, bound.columns().doubles(4), 0.0);
        assertEquals(2, bound.sourceRow(1));
        assertArrayEquals(new double[] {14, 14}, bound.columns().doubles(0), 0.0, "the scalar numbers of the good rows");
        assertEquals(14.0, bound.columns().doubleAt(0, 1), 0.0);
        assertArrayEquals(new long[] {2, 2}, bound.columns().longs(1));
    }

    @Test
    void wholeNumbersBindExactlyAsLongs() {
        Binder binder = binder(List.of(CALLS), ScorerOptions.defaults());
        long big = 9_007_199_254_740_993L;
        for (Object given : List.of(big, "9007199254740993", "+9007199254740993", new java.math.BigInteger("9007199254740993"),
                new BigDecimal("9007199254740993.00"), new java.util.concurrent.atomic.AtomicLong(big))) {
            assertEquals(big, binder.bindRecord(Map.of("calls", given)).longs(0)[0], "calls given as " + given.getClass().getSimpleName());
        }
        assertEquals(1000L, binder.bindRecord(Map.of("calls", "1e3")).longs(0)[0]);
        assertEquals(3L, binder.bindRecord(Map.of("calls", 3.0)).longs(0)[0]);
        assertArrayEquals(new long[] {big, 4}, binder.bindBatch(Batch.builder(2).strings("calls", new String[] {"9007199254740993", "4"})
                .build()).longs(0));
        assertArrayEquals(new long[] {3, 4}, binder.bindBatch(Batch.builder(2).doubles("calls", new double[] {3, 4}).build()).longs(0));
        assertEquals("calls", assertThrows(InvalidInputException.class,
                () -> binder.bindRecord(Map.of("calls", 1e19))).field());
    }

    @Test
    void aMissingWholeNumberIsMarkedMissingWhereTheModelAcceptsIt() {
        InputField optional = InputField.scalar("n", ValueType.INTEGER, MissingValueTreatment.MODEL_HANDLES);
        Binder binder = binder(List.of(optional), ScorerOptions.defaults());

        InputColumns columns = binder.bindBatch(Batch.builder(3).doubles("n", new double[] {1, Double.NaN, 3}).build());

        assertArrayEquals(new long[] {1, 0, 3}, columns.longs(0));
        assertEquals(List.of(false, true, false), List.of(columns.isMissing(0, 0), columns.isMissing(0, 1), columns.isMissing(0, 2)));
        java.util.HashMap<String, Object> absent = new java.util.HashMap<>();
        assertTrue(binder.bindRecord(absent).isMissing(0, 0));
    }
}

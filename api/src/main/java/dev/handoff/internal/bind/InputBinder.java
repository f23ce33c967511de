package dev.handoff.internal.bind;

import dev.handoff.InputField;
import dev.handoff.InputField.ValueRange;
import dev.handoff.ScorerOptions;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The first stage of a call: turns records and batches into the {@link BoundRows} a runtime scores,
 * the same for every runtime, under one {@link ScorerOptions} policy (names, types, missing values,
 * unknown categories). A row that cannot be bound gets its own {@link dev.handoff.InvalidInputException}
 * and is left out of the columns, so that the other rows are still scored.
 *
 * <pre>{@code
 * BoundRows bound = binder.bindRecords(records);   // or bindRecord(record), bindBatch(n, columns)
 * model.score(bound.columns(), output);           // the rows that bound
 * }</pre>
 *
 * <p>The work is split by job: {@link KeyCheck} (names), {@link ValueConversion} (one value),
 * {@link TensorReader} (array values), {@link RecordBinder} and {@link BatchBinder} (rows in),
 * {@link Int32Check} (what a 32-bit input cannot hold), {@link RowCompaction} (good rows out),
 * {@link RowInspector} (what later stages need to know).
 */
public final class InputBinder {
    private final RecordBinder records;
    private final BatchBinder batches;

    /** A binder that notes missing values only (what explaining a row without prediction needs). */
    public InputBinder(List<InputField> fields, ScorerOptions options) {
        this(fields, options, Set.of(), Map.of(), false);
    }

    /**
     * @param int32Inputs the INTEGER inputs the model holds in 32 bits (a value outside is invalid input)
     * @param declaredRanges the model's declared ranges by input name: for stats, and the only way an infinity is valid input
     * @param forStats whether to note numbers outside those ranges and unseen categories
     */
    public InputBinder(List<InputField> fields, ScorerOptions options, Set<String> int32Inputs, Map<String, ValueRange> declaredRanges,
                       boolean forStats) {
        InputLayout layout = new InputLayout(fields);
        ValueConversion values = new ValueConversion(layout.fields, options.rejectMissingValues(), options.unknownCategories(),
                declaredRanges);
        KeyCheck keys = new KeyCheck(layout.fields, options.strictKeys());
        RowInspector inspector = new RowInspector(layout, values, declaredRanges, forStats);
        Int32Check int32 = new Int32Check(layout.fieldArray, int32Inputs);
        this.records = new RecordBinder(layout, values, keys, int32, inspector);
        this.batches = new BatchBinder(layout, values, keys, int32, inspector);
    }

    /** One record; its failure carries row -1. */
    public BoundRows bindRecord(Map<String, ?> record) {
        return records.bind(List.of(record), true);
    }

    /** Records; a failure carries its record's index. */
    public BoundRows bindRecords(List<? extends Map<String, ?>> records) {
        return this.records.bind(records, false);
    }

    /**
     * A batch's columns.
     *
     * @throws dev.handoff.InvalidInputException when a column is unusable as a whole
     */
    public BoundRows bindBatch(int rowCount, Map<String, Object> columnsByName) {
        return batches.bind(rowCount, columnsByName);
    }
}

package dev.handoff.testing;

import dev.handoff.Scorer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends {@link HostileRecords} through {@code score(Map)}, {@code scoreAll} and {@code score(Batch)}
 * and collects what escaped the contract: only predictions and {@link dev.handoff.InvalidInputException}
 * are allowed. A failure of a record whose hazards await a record guard still being written
 * ({@link HostileRecords#awaitsRecordGuard}) is counted apart, not reported as a violation.
 *
 * <pre>{@code
 * RecordFuzzing.Summary s = RecordFuzzing.run(scorer, model.inputRecords(), 200, seed);
 * assertEquals(List.of(), s.violations());
 * }</pre>
 */
public final class RecordFuzzing {
    /** The records per model in the default build; {@code -Pfuzz} raises it through this property. */
    public static final String RECORDS_PROPERTY = "handoff.fuzz.records";

    /**
     * @param calls calls made (records, scoreAll chunks and batches)
     * @param violations what escaped the contract, with the record's hazards
     * @param awaitingGuard counts of tolerated escapes per awaited guard and exception, see {@link HostileRecords.Hazard}
     */
    public record Summary(int calls, List<String> violations, Map<String, Integer> awaitingGuard) {
    }

    private RecordFuzzing() {
    }

    /** The number of records per model: {@value #RECORDS_PROPERTY}, default {@code defaultCount}. */
    public static int recordsPerModel(int defaultCount) {
        return Integer.getInteger(RECORDS_PROPERTY, defaultCount);
    }

    public static Summary run(Scorer scorer, List<Map<String, Object>> rows, int records, long seed) {
        HostileRecords generator = new HostileRecords(scorer.inputs(), rows, seed);
        List<String> violations = new ArrayList<>();
        Map<String, Integer> awaiting = new TreeMap<>();
        List<HostileRecords.Hostile> chunk = new ArrayList<>();
        int calls = 0;
        for (int i = 0; i < records; i++) {
            HostileRecords.Hostile h = generator.next();
            chunk.add(h);
            judge(ScorerContract.scoreOne(scorer, h.record()), "score(Map) record " + i + " (" + h.description() + ")",
                    HostileRecords.awaitsRecordGuard(h.hazards()), HostileRecords.awaitedGuards(h.hazards()), violations, awaiting);
            calls++;
            if (chunk.size() == 10 || i == records - 1) {
                boolean guarded = chunk.stream().anyMatch(c -> HostileRecords.awaitsRecordGuard(c.hazards()));
                judge(ScorerContract.scoreAll(scorer, chunk.stream().map(HostileRecords.Hostile::record).toList()),
                        "scoreAll of records " + (i + 1 - chunk.size()) + ".." + i, guarded, "scoreAll", violations, awaiting);
                judge(ScorerContract.scoreBatch(scorer, generator.nextBatch()), "score(Batch) after record " + i, false,
                        "batch", violations, awaiting);
                calls += 2;
                chunk.clear();
            }
        }
        return new Summary(calls, violations, awaiting);
    }

    private static void judge(Throwable escaped, String call, boolean awaitsGuard, String what,
                              List<String> violations, Map<String, Integer> awaiting) {
        if (escaped == null) {
            return;
        }
        if (awaitsGuard) {
            awaiting.merge(what + " -> " + escaped.getClass().getSimpleName(), 1, Integer::sum);
        } else {
            violations.add(call + ": " + ModelFuzzing.describe(escaped));
        }
    }
}

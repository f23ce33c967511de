package dev.handoff.benchmarks.jmh;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Each benchmark thread's position in the shared input rows, so that consecutive calls score
 * different rows without a per-invocation setup (see JMH sample 38).
 *
 * <pre>{@code
 * @Benchmark
 * public void score(RowCursor cursor, Blackhole blackhole) {
 *     blackhole.consume(scorer.score(rows.get(cursor.next(rows.size()))));
 * }
 * }</pre>
 */
@State(Scope.Thread)
public class RowCursor {
    private int next;

    /** The index of the next row of {@code rows}, cycling from 0. */
    public int next(int rows) {
        int row = next;
        next = row + 1 == rows ? 0 : row + 1;
        return row;
    }
}

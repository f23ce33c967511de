package dev.handoff.spark;

import dev.handoff.Batch;
import dev.handoff.InputField;
import dev.handoff.InvalidInputException;
import dev.handoff.Prediction;
import dev.handoff.Predictions;
import dev.handoff.Scorer;
import dev.handoff.ValueType;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The README's Spark example, as it is printed there; {@link HandoffSparkTest} runs it in local mode. A user copies
 * this class: it needs Spark's types, so it is not part of the library.
 */
// ---- README snippet begins ----
public final class HandoffSpark {
    private static final int CHUNK_ROWS = 1024;                // rows per model call

    private HandoffSpark() {
    }

    /**
     * {@code table} with the model's columns appended: {@code label} and {@code probability(<class>)} per class
     * (a classifier) or {@code value} (a regression), then {@code error}: empty for a scored row, the reason for a
     * row that could not be scored. With {@code failOnBadRow} such a row fails the job instead.
     * {@code modelPath}: the same path on every executor (shared storage, or shipped with --files).
     */
    public static Dataset<Row> score(Dataset<Row> table, String modelPath, boolean failOnBadRow) {
        Scorer scorer = ExecutorScorers.get(modelPath);         // on the driver: the columns only
        StructType schema = table.schema();
        Scorer.ColumnCheck check = scorer.checkColumns(Arrays.asList(schema.fieldNames()));
        if (!check.matches()) {
            throw new IllegalArgumentException("the table does not fit " + modelPath + ": " + check);
        }
        List<String> classes = List.copyOf(scorer.classes());
        StructType out = schema;
        if (classes.isEmpty()) {
            out = out.add("value", DataTypes.DoubleType);
        } else {
            out = out.add("label", DataTypes.StringType);
            for (String c : classes) {
                out = out.add("probability(" + c + ")", DataTypes.DoubleType);
            }
        }
        out = out.add("error", DataTypes.StringType);
        List<InputField> inputs = scorer.inputs();
        String[] names = inputs.stream().map(InputField::name).toArray(String[]::new);
        int[] columns = Arrays.stream(names).mapToInt(schema::fieldIndex).toArray();
        boolean[] numeric = new boolean[names.length];          // numbers as doubles (null = NaN), the rest as strings
        for (int i = 0; i < names.length; i++) {
            numeric[i] = schema.fields()[columns[i]].dataType() instanceof NumericType
                    && inputs.get(i).type() != ValueType.STRING;
        }
        int width = out.size();
        MapPartitionsFunction<Row, Row> scoreRows = rows -> new Iterator<>() {
            private final Scorer executorScorer = ExecutorScorers.get(modelPath);   // one per executor JVM
            private final List<Row> chunk = new ArrayList<>(CHUNK_ROWS);
            private Iterator<Row> scored = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                while (!scored.hasNext() && rows.hasNext()) {
                    chunk.clear();
                    while (chunk.size() < CHUNK_ROWS && rows.hasNext()) {
                        chunk.add(rows.next());
                    }
                    scored = scoreChunk(executorScorer, chunk, names, columns, numeric, classes, width, failOnBadRow);
                }
                return scored.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return scored.next();
            }
        };
        return table.mapPartitions(scoreRows, Encoders.row(out));
    }

    private static Iterator<Row> scoreChunk(Scorer scorer, List<Row> chunk, String[] names, int[] columns, boolean[] numeric,
                                            List<String> classes, int width, boolean failOnBadRow) {
        int n = chunk.size();
        Batch.Builder batch = Batch.builder(n);
        for (int i = 0; i < names.length; i++) {
            int c = columns[i];
            if (numeric[i]) {
                double[] values = new double[n];
                for (int r = 0; r < n; r++) {
                    Row row = chunk.get(r);
                    values[r] = row.isNullAt(c) ? Double.NaN : ((Number) row.get(c)).doubleValue();
                }
                batch.doubles(names[i], values);
            } else {
                String[] values = new String[n];
                for (int r = 0; r < n; r++) {
                    Row row = chunk.get(r);
                    values[r] = row.isNullAt(c) ? null : String.valueOf(row.get(c));
                }
                batch.strings(names[i], values);
            }
        }
        Predictions ps = scorer.score(batch.build());
        List<Row> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            Row row = chunk.get(r);
            Prediction p = ps.get(r);
            if (p.failed() && failOnBadRow) {
                throw new IllegalArgumentException("a row could not be scored: " + reason(p.failure().orElseThrow()));
            }
            Object[] values = new Object[width];
            for (int c = 0; c < row.size(); c++) {
                values[c] = row.get(c);
            }
            int k = row.size();
            if (classes.isEmpty()) {
                values[k++] = p.failed() ? null : p.value();
            } else {
                values[k++] = p.failed() ? null : p.label();
                Map<String, Double> probabilities = p.failed() || !p.hasProbabilities() ? Map.of() : p.probabilities();
                for (String c : classes) {
                    values[k++] = probabilities.get(c);
                }
            }
            values[k] = p.failure().map(HandoffSpark::reason).orElse(null);
            out.add(RowFactory.create(values));
        }
        return out.iterator();
    }

    private static String reason(InvalidInputException e) {   // without the row's number inside its chunk
        return new InvalidInputException(e.field(), e.value(), -1, e.problem()).clientMessage();
    }

    /** One Scorer per JVM and model file, shared by every task of the executor, closed when the JVM exits. */
    static final class ExecutorScorers {
        private static final Map<String, Scorer> SCORERS = new ConcurrentHashMap<>();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> SCORERS.values().forEach(Scorer::close), "handoff-close"));
        }

        private ExecutorScorers() {
        }

        static Scorer get(String modelPath) {
            return SCORERS.computeIfAbsent(modelPath, path -> Scorer.load(Path.of(path)));
        }
    }
}
// ---- README snippet ends ----

package dev.handoff.spark;

import dev.handoff.InputField;
import dev.handoff.ValueType;
import dev.handoff.benchmarks.ReadmeSnippets;
import dev.handoff.cli.HandoffCommand;
import dev.handoff.testing.CapturedLog;
import dev.handoff.testing.CorpusModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Spark example ({@link HandoffSpark}) on Spark in local mode with two task threads: the corpus churn
 * models give the frameworks' answers through Spark, a bad row gets its reason in {@code error} (or fails the job
 * when asked), one scorer serves every task of the JVM, and a generated table gives the command line's answers row
 * for row (1,000,000 rows; {@code -Dhandoff.spark.rows=N} for another count).
 */
class HandoffSparkTest {
    private static final int COMPARED_ROWS = Integer.getInteger("handoff.spark.rows", 1_000_000);
    /** {@code -Dhandoff.spark.measure=true}: also time Spark alone on the generated table, and print both timings. */
    private static final boolean MEASURE = Boolean.getBoolean("handoff.spark.measure");

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        for (String logger : List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop", "org.apache.parquet")) {
            System.setProperty("org.slf4j.simpleLogger.log." + logger, "warn"); // Spark's INFO lines, not ours
        }
        spark = SparkSession.builder()
                .master(System.getProperty("handoff.spark.master", "local[2]")) // local[1]: rows/s per core
                .appName("handoff-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.files.maxPartitionBytes", String.valueOf(8 << 20)) // a 55 MB file in 7 partitions
                // Spark would install Hadoop's URL handler factory for the whole JVM, which the test JVM shares with
                // the Spring Boot example's Tomcat: the JVM takes only one, and Tomcat then fails to start
                .config("spark.sql.defaultUrlStreamHandlerFactory.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @ParameterizedTest
    @EnumSource(value = CorpusModel.class, names = {"CHURN_PIPELINE_NOZIPMAP_ONNX", "CHURN_PIPELINE_ONNX", "CHURN_PIPELINE_PMML",
            "CHURN_LOGREG_ONNX", "CHURN_LOGREG_PMML"})
    void sparkGivesTheFrameworksAnswersForTheCorpusChurnModels(CorpusModel model) throws IOException {
        Path file = model.copyModelTo(dir);
        Path input = withIdColumn(model, "row", dir.resolve("input.csv"), 1);
        Dataset<Row> table = read(input, "row", file).repartition(3); // rows from several partitions, in any order

        List<Row> scored = new ArrayList<>(HandoffSpark.score(table, file.toString(), false).collectAsList());
        scored.sort((a, b) -> Integer.compare(Integer.parseInt(a.getString(0)), Integer.parseInt(b.getString(0))));

        List<List<String>> expected = model.expectedRows();
        List<String> columns = model.expectedColumns();
        assertEquals(expected.size(), scored.size());
        int compared = 0;
        for (int r = 0; r < expected.size(); r++) {
            Row row = scored.get(r);
            assertEquals(String.valueOf(r), row.getString(0));
            assertNull(row.getAs("error"), "row " + r);
            if (model.isFloat32Fragile(r)) {
                continue; // a split within float32 rounding of the value: case.json documents it
            }
            for (int c = 0; c < columns.size(); c++) {
                String cell = expected.get(r).get(c);
                Object actual = row.getAs(columns.get(c));
                if (columns.get(c).equals("label")) {
                    assertEquals(cell, actual, model + " row " + r);
                } else {
                    assertEquals(Double.parseDouble(cell), (Double) actual, model.tolerance(), model + " row " + r + " " + columns.get(c));
                }
            }
            compared++;
        }
        assertTrue(compared >= 180, "rows compared: " + compared);
    }

    @Test
    void aRowThatCannotBeScoredGetsItsReasonInErrorAndTheOthersAreScored() throws IOException {
        Path file = CorpusModel.CHURN_LOGREG_ONNX.copyModelTo(dir);
        Dataset<Row> table = tableWithAgeAsText(file, "19", "nineteen", "");

        List<Row> scored = HandoffSpark.score(table, file.toString(), false).collectAsList();

        assertEquals(3, scored.size());
        assertNull(scored.get(0).getAs("error"));
        assertEquals("1", scored.get(0).getAs("label"));
        assertEquals(0.8704319, scored.get(0).<Double>getAs("probability(1)"), 1e-5); // scikit-learn's, as in the README
        String error = scored.get(1).getAs("error");
        assertTrue(error.contains("Invalid input for field 'age': value 'nineteen' (String) is not a number"), error);
        assertNull(scored.get(1).getAs("label"));
        assertNull(scored.get(1).getAs("probability(1)"));
        assertNull(scored.get(2).getAs("error"), "an empty age is missing, and the model imputes it");
    }

    @Test
    void aRowThatCannotBeScoredFailsTheJobWhenAsked() throws IOException {
        Path file = CorpusModel.CHURN_LOGREG_ONNX.copyModelTo(dir);
        Dataset<Row> table = tableWithAgeAsText(file, "19", "nineteen");

        Exception e = assertThrows(Exception.class, () -> HandoffSpark.score(table, file.toString(), true).collectAsList());

        assertTrue(stackText(e).contains("a row could not be scored: Invalid input for field 'age': value 'nineteen'"), stackText(e));
    }

    @Test
    void aTableWithoutAnInputColumnIsRefusedBeforeAnyTaskRuns() throws IOException {
        Path file = CorpusModel.CHURN_LOGREG_ONNX.copyModelTo(dir);
        Dataset<Row> table = tableWithAgeAsText(file, "19").drop("plan");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HandoffSpark.score(table, file.toString(), false));

        assertTrue(e.getMessage().contains("missing inputs [plan]"), e.getMessage());
    }

    @Test
    void oneScorerServesEveryTaskOfTheJvm() throws IOException {
        CorpusModel model = CorpusModel.CHURN_PIPELINE_NOZIPMAP_ONNX;
        Path input = withIdColumn(model, "row", dir.resolve("input.csv"), 20);
        Dataset<Row> table = read(input, "row", model.copyModelTo(dir)).repartition(8);
        Path file = model.copyModelTo(Files.createDirectories(dir.resolve("job"))); // a path no scorer was loaded from
        long[] rows = new long[1];

        List<String> log = CapturedLog.linesWhile(() -> rows[0] = HandoffSpark.score(table, file.toString(), false)
                .filter("error IS NULL").count());

        assertEquals(4000, rows[0]);
        // loaded once, by the driver for the columns; the 8 tasks on 2 threads share it
        assertEquals(1, log.stream().filter(line -> line.contains("Loaded ONNX") && line.contains(file.toString())).count(),
                String.join("\n", log));
    }

    @Test
    void theExecutorsScorerIsClosedWhenItsJvmExits() throws Exception {
        Path file = CorpusModel.CHURN_LOGREG_ONNX.copyModelTo(dir);
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LoadAndExit.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, jvm.waitFor(), output);
        assertTrue(output.contains("classes [0, 1]"), output);
        assertTrue(output.contains("Closed ONNX model " + file), output); // the holder's shutdown hook, after main returned
    }

    /** An executor's life in short: the holder loads the model, and the JVM exits without closing it by hand. */
    static final class LoadAndExit {
        public static void main(String[] args) {
            System.out.println("classes " + HandoffSpark.ExecutorScorers.get(args[0]).classes());
        }
    }

    /**
     * A generated table scored by Spark (two task threads, several partitions) and by the command line's
     * {@code score} on the same file: the same label and the same probabilities, to the last bit, row for row by id.
     */
    @Test
    void aGeneratedTableGivesTheCommandLinesAnswersRowForRow() throws IOException {
        CorpusModel model = CorpusModel.CHURN_PIPELINE_NOZIPMAP_ONNX;
        Path file = model.copyModelTo(dir);
        int copies = (COMPARED_ROWS + 199) / 200;
        Path input = withIdColumn(model, "customer_id", dir.resolve("churn.csv"), copies);
        Path cliOutput = dir.resolve("predictions.csv");

        long cliStart = System.nanoTime();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new HandoffCommand()).setErr(new PrintWriter(err)).execute(
                "score", file.toString(), "--input", input.toString(), "--output", cliOutput.toString(), "--id", "customer_id");
        long cliNanos = System.nanoTime() - cliStart;
        assertEquals(0, exit, err.toString());

        Dataset<Row> scored = HandoffSpark.score(read(input, "customer_id", file), file.toString(), false)
                .select("customer_id", "label", "probability(0)", "probability(1)", "error");
        if (MEASURE) {
            long sparkStart = System.nanoTime();
            scored.write().format("noop").mode("overwrite").save(); // every row scored, nothing kept
            long sparkNanos = System.nanoTime() - sparkStart;
            System.out.printf("%,d rows: command line %.1f s (%,.0f rows/s), Spark %s %.1f s (%,.0f rows/s, %d partitions)%n",
                    copies * 200, cliNanos / 1e9, copies * 200 / (cliNanos / 1e9), spark.sparkContext().master(), sparkNanos / 1e9,
                    copies * 200 / (sparkNanos / 1e9), scored.rdd().getNumPartitions());
        }

        long rows = 0;
        try (BufferedReader cli = Files.newBufferedReader(cliOutput, StandardCharsets.UTF_8)) {
            assertEquals("customer_id,label,probability(0),probability(1),error", cli.readLine());
            Iterator<Row> spark = scored.toLocalIterator(); // partitions in file order, as the command line writes
            for (String line = cli.readLine(); line != null; line = cli.readLine(), rows++) {
                String[] cells = line.split(",", -1);
                Row row = spark.next();
                assertEquals(cells[0], row.getString(0));
                assertEquals(cells[1], row.getString(1), cells[0]);
                assertEquals(Double.parseDouble(cells[2]), row.getDouble(2), 0.0, cells[0]);
                assertEquals(Double.parseDouble(cells[3]), row.getDouble(3), 0.0, cells[0]);
                assertEquals("", cells[4], cells[0]);
                assertTrue(row.isNullAt(4), cells[0]);
            }
            assertFalse(spark.hasNext(), "Spark has more rows than the command line");
        }
        assertEquals(copies * 200L, rows);
    }

    /** Keeps the README honest: its Spark example is {@link HandoffSpark}, line for line (code only). */
    @Test
    void readmeShowsTheCodeThatThisTestRuns() {
        ReadmeSnippets.assertReadmeShows(Path.of("src/test/java/dev/handoff/spark/HandoffSpark.java"), line -> line);
    }

    /** The corpus input, {@code copies} times over, with a first column {@code id}: the row's number. */
    private static Path withIdColumn(CorpusModel model, String id, Path target, int copies) throws IOException {
        List<String> header = model.inputColumns();
        List<List<String>> rows = new ArrayList<>();
        for (var record : model.inputRecords()) {
            rows.add(header.stream().map(c -> record.containsKey(c) ? record.get(c).toString() : "").toList());
        }
        try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            out.write(id + "," + String.join(",", header) + "\n");
            long n = 0;
            for (int copy = 0; copy < copies; copy++) {
                for (List<String> row : rows) {
                    out.write((id.equals("row") ? "" : "c") + n++ + "," + String.join(",", row) + "\n");
                }
            }
        }
        return target;
    }

    /** A CSV file with the model's types: text for its string inputs and the id, doubles for the rest; empty = null. */
    private static Dataset<Row> read(Path csv, String id, Path model) throws IOException {
        List<InputField> inputs = HandoffSpark.ExecutorScorers.get(model.toString()).inputs();
        StructType schema = new StructType();
        String header;
        try (BufferedReader in = Files.newBufferedReader(csv)) {
            header = in.readLine();
        }
        for (String column : header.split(",")) {
            boolean text = column.equals(id) || inputs.stream().anyMatch(f -> f.name().equals(column) && f.type() == ValueType.STRING);
            schema = schema.add(column, text ? DataTypes.StringType : DataTypes.DoubleType);
        }
        return spark.read().option("header", "true").schema(schema).csv(csv.toString());
    }

    /** Rows of the churn logistic regression's first customer, with {@code age} given as text. */
    private Dataset<Row> tableWithAgeAsText(Path model, String... ages) throws IOException {
        Path csv = dir.resolve("ages.csv");
        List<String> lines = new ArrayList<>(List.of("tenure_months,monthly_charges,total_charges,support_calls,plan,region,payment_method,age"));
        for (String age : ages) {
            lines.add("2,83.31,181.21,4,basic,south,card," + age);
        }
        Files.write(csv, lines);
        StructType schema = read(csv, "age", model).schema(); // age as text; the others by the model's types
        return spark.read().option("header", "true").schema(schema).csv(csv.toString()).coalesce(1);
    }

    private static String stackText(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}

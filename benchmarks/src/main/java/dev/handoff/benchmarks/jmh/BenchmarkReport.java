package dev.handoff.benchmarks.jmh;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The suite's results as a Markdown table and a chart of Handoff against the hand-written baseline,
 * per model file: medians (p50 of the samples for single rows, the median iteration for batches), p99,
 * allocation per operation, batch time per row, two-thread scaling, and the targets of the
 * performance issue read from them.
 */
final class BenchmarkReport {

    /** One measured benchmark: its medians and allocation. */
    record Score(double p50, double p99, double bytesPerOp) {
    }

    private final Map<String, Score> scores = new LinkedHashMap<>();
    private final List<String> files = new ArrayList<>();

    private BenchmarkReport() {
    }

    static BenchmarkReport of(Collection<RunResult> results) {
        BenchmarkReport report = new BenchmarkReport();
        for (RunResult run : results) {
            String benchmark = run.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            String model = run.getParams().getParam("model");
            String rows = run.getParams().getParam("rows");
            Result<?> primary = run.getPrimaryResult();
            double bytes = Double.NaN;
            for (Map.Entry<String, Result> secondary : run.getSecondaryResults().entrySet()) {
                if (secondary.getKey().endsWith("gc.alloc.rate.norm")) {
                    bytes = secondary.getValue().getScore();
                }
            }
            report.put(method, model, rows, new Score(primary.getStatistics().getPercentile(50), primary.getStatistics().getPercentile(99), bytes));
        }
        return report;
    }

    void put(String method, String model, String rows, Score score) {
        scores.put(key(method, model, rows), score);
        if (!files.contains(model)) {
            files.add(model);
        }
    }

    private static String key(String method, String model, String rows) {
        return method + "|" + model + "|" + (rows == null ? "" : rows);
    }

    private Score get(String method, String model, String rows) {
        return scores.get(key(method, model, rows));
    }

    private static String prefix(String model) {
        return model.endsWith(".onnx") ? "Onnx" : "Pmml";
    }

    /** Handoff and raw single-row medians, µs. */
    private double[] single(String model) {
        Score h = get(prefix(model) + "RowBenchmark.handoff", model, null);
        Score r = get(prefix(model) + "RowBenchmark.raw", model, null);
        return h == null || r == null ? null : new double[] {h.p50, r.p50, h.p99, r.p99, h.bytesPerOp, r.bytesPerOp};
    }

    /** Handoff and raw batch medians, µs per row. */
    private double[] batch(String model, int rows) {
        Score h = get(prefix(model) + "BatchBenchmark.handoff", model, Integer.toString(rows));
        Score r = get(prefix(model) + "BatchBenchmark.raw", model, Integer.toString(rows));
        return h == null || r == null ? null : new double[] {h.p50 / rows, r.p50 / rows, h.bytesPerOp, r.bytesPerOp};
    }

    /** Throughput of two threads over one thread on one shared scorer ({@code side} "handoff") or session ("raw"). */
    private double scaling(String model, String side) {
        Score one = get(prefix(model) + "RowBenchmark." + side + "OneThread", model, null);
        Score two = get(prefix(model) + "RowBenchmark." + side + "TwoThreads", model, null);
        return one == null || two == null ? Double.NaN : two.p50 / one.p50;
    }

    String markdown(String machine) {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine).append(".\n\n");
        md.append("**Single row** (`scorer.score(Map)` against the hand-written call; median and p99 of SampleTime, µs; ")
                .append("allocation per call; throughput of 2 threads / 1 thread on one shared scorer, and on one raw session or evaluator)\n\n");
        md.append("| model file | Handoff p50 | raw p50 | Handoff / raw | Handoff p99 | raw p99 | Handoff B/op | raw B/op | 2 threads / 1 | raw: 2 threads / 1 |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String model : files) {
            double[] s = single(model);
            if (s != null) {
                md.append("| ").append(model).append(" | ").append(us(s[0])).append(" | ").append(us(s[1])).append(" | ")
                        .append(ratio(s[0] / s[1])).append(" | ").append(us(s[2])).append(" | ").append(us(s[3])).append(" | ")
                        .append(bytes(s[4])).append(" | ").append(bytes(s[5])).append(" | ").append(ratio(scaling(model, "handoff")))
                        .append(" | ").append(ratio(scaling(model, "raw"))).append(" |\n");
            }
        }
        md.append("\n**Batches** (`scorer.score(Batch)` against the hand-written call on the same column arrays; median, µs per row)\n\n");
        md.append("| model file | 1 row: Handoff / raw | 64 rows: Handoff / raw | 1024 rows: Handoff | 1024 rows: raw | 1024 rows: Handoff / raw | 1024 rows: Handoff B/row |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (String model : files) {
            double[] b1 = batch(model, 1);
            double[] b64 = batch(model, 64);
            double[] b1024 = batch(model, 1024);
            if (b1 != null && b64 != null && b1024 != null) {
                md.append("| ").append(model).append(" | ").append(us(b1[0])).append(" / ").append(us(b1[1])).append(" (")
                        .append(ratio(b1[0] / b1[1])).append(") | ").append(us(b64[0])).append(" / ").append(us(b64[1])).append(" (")
                        .append(ratio(b64[0] / b64[1])).append(") | ").append(us(b1024[0])).append(" | ").append(us(b1024[1]))
                        .append(" | ").append(ratio(b1024[0] / b1024[1])).append(" | ").append(bytes(b1024[2] / 1024)).append(" |\n");
            }
        }
        md.append("\n**ZipMap files at tensor speed** (batch of 1024, µs per row: Handoff on the default export against the raw ")
                .append("call on its `zipmap: False` twin)\n\n");
        md.append("| ZipMap file | Handoff | raw, no-ZipMap twin | Handoff / twin | raw on the ZipMap file |\n|---|---:|---:|---:|---:|\n");
        List<Double> zipMapRatios = new ArrayList<>();
        for (String model : files) {
            String twin = model.replace("/model.onnx", "/model_nozipmap.onnx");
            if (twin.equals(model) || !files.contains(twin)) {
                continue;
            }
            double[] zip = batch(model, 1024);
            double[] plain = batch(twin, 1024);
            if (zip != null && plain != null) {
                zipMapRatios.add(zip[0] / plain[1]);
                md.append("| ").append(model).append(" | ").append(us(zip[0])).append(" | ").append(us(plain[1])).append(" | ")
                        .append(ratio(zip[0] / plain[1])).append(" | ").append(us(zip[1])).append(" |\n");
            }
        }
        md.append("\n**Targets** (read from this run)\n\n");
        int singleMet = 0;
        int singleAll = 0;
        int batchMet = 0;
        int batchAll = 0;
        int fasterOnnx = 0;
        int onnxAll = 0;
        int allocMet = 0;
        int scalingMet = 0;
        int scalingAll = 0;
        int rawScalingMet = 0;
        for (String model : files) {
            double[] s = single(model);
            double[] b = batch(model, 1024);
            if (s != null) {
                singleAll++;
                singleMet += s[0] / s[1] <= 1.05 ? 1 : 0;
                allocMet += s[4] <= s[5] ? 1 : 0;
                if (model.endsWith(".onnx")) {
                    onnxAll++;
                    fasterOnnx += s[0] < s[1] ? 1 : 0;
                }
            }
            if (b != null) {
                batchAll++;
                batchMet += b[0] / b[1] <= 1.05 ? 1 : 0;
            }
            double scaling = scaling(model, "handoff");
            if (!Double.isNaN(scaling)) {
                scalingAll++;
                scalingMet += scaling >= 1.7 ? 1 : 0;
                rawScalingMet += scaling(model, "raw") >= 1.7 ? 1 : 0;
            }
        }
        md.append("- Handoff / raw ≤ 1.05, single row: ").append(singleMet).append(" of ").append(singleAll).append(" files\n");
        md.append("- Handoff / raw ≤ 1.05, batch of 1024: ").append(batchMet).append(" of ").append(batchAll).append(" files\n");
        md.append("- ZipMap file batch-1024 ≤ 1.25 × raw on its no-ZipMap twin: ")
                .append(zipMapRatios.stream().filter(r -> r <= 1.25).count()).append(" of ").append(zipMapRatios.size()).append(" files\n");
        md.append("- Single-row ONNX faster than raw: ").append(fasterOnnx).append(" of ").append(onnxAll).append(" files\n");
        md.append("- 2 threads ≥ 1.7 × 1 thread: ").append(scalingMet).append(" of ").append(scalingAll)
                .append(" files (the hand-written call: ").append(rawScalingMet).append(" of ").append(scalingAll).append(")\n");
        md.append("- Allocation per single-row call ≤ raw: ").append(allocMet).append(" of ").append(singleAll).append(" files\n");
        return md.toString();
    }

    /** A bar chart per model file: single-row median and batch-1024 median per row, Handoff next to raw, log scale. */
    void chart(Path png, String machine) throws IOException {
        DefaultCategoryDataset single = new DefaultCategoryDataset();
        DefaultCategoryDataset batch = new DefaultCategoryDataset();
        for (String model : files) {
            String label = label(model);
            double[] s = single(model);
            if (s != null) {
                single.addValue(s[0], "Handoff", label);
                single.addValue(s[1], "raw runtime call", label);
            }
            double[] b = batch(model, 1024);
            if (b != null) {
                batch.addValue(b[0], "Handoff", label);
                batch.addValue(b[1], "raw runtime call", label);
            }
        }
        CategoryAxis models = new CategoryAxis();
        models.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(models);
        plot.add(subplot(single, "single row, p50 µs", true), 1);
        plot.add(subplot(batch, "batch of 1024, µs per row", false), 1);
        JFreeChart chart = new JFreeChart("Handoff vs the hand-written runtime call, per corpus model file (" + machine + ")",
                JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1600, 1000);
    }

    private static CategoryPlot subplot(DefaultCategoryDataset data, String axis, boolean inLegend) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int r = 0; r < data.getRowCount(); r++) {
            for (int c = 0; c < data.getColumnCount(); c++) {
                Number v = data.getValue(r, c);
                if (v != null && v.doubleValue() > 0) {
                    min = Math.min(min, v.doubleValue());
                    max = Math.max(max, v.doubleValue());
                }
            }
        }
        LogAxis values = new LogAxis(axis);
        values.setBase(10);
        values.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1)); // one tick per power of ten
        values.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
        if (max > 0) {
            values.setSmallestValue(min / 2);
            values.setRange(min / 2, max * 2);
        }
        BarRenderer bars = new BarRenderer();
        bars.setBase(min == Double.MAX_VALUE ? 0.01 : min / 2); // bars grow from the bottom of the log axis
        bars.setDefaultSeriesVisibleInLegend(inLegend);
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(0x1f77b4));
        bars.setSeriesPaint(1, new Color(0xbbbbbb));
        bars.setItemMargin(0.05);
        CategoryPlot plot = new CategoryPlot(data, null, values, bars);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static String label(String model) {
        return model.replace("/model", " ").replace(".onnx", "onnx").replace(".pmml", "pmml").replace(" _nozipmap", " nozipmap ");
    }

    /** The machine, as the README quotes it. */
    static String machine() {
        return String.format(Locale.ROOT, "%d cores, %s %s, %s %s, ONNX Runtime %s, JPMML-Evaluator %s",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion(),
                version("org.jpmml.evaluator.Evaluator", "org.jpmml", "pmml-evaluator"));
    }

    private static String version(String className, String group, String artifact) {
        String path = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (var in = BenchmarkReport.class.getClassLoader().getResourceAsStream(path)) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "?");
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        try {
            String v = Class.forName(className).getPackage().getImplementationVersion();
            return v == null ? "?" : v;
        } catch (ClassNotFoundException e) {
            return "?";
        }
    }

    private static String us(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String bytes(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }
}

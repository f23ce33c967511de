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
 * The suite's results as Markdown tables and a chart, per model file: Handoff as loaded by default (the compiled
 * tree engine where it covers the model), Handoff with {@code compiledTrees(false)} (the runtime behind the same
 * API, on the files the engine serves) and the hand-written runtime call; medians (p50 of the samples for single
 * rows, the median iteration for batches), p99, allocation per operation, batch time per row, two-thread scaling,
 * and the targets of the performance issues read from them.
 *
 * <pre>{@code
 * BenchmarkReport report = BenchmarkReport.of(runResults, BenchmarkSuite.engines());
 * Files.writeString(dir.resolve("benchmarks.md"), report.markdown("2 cores, ..."));
 * report.chart(dir.resolve("benchmarks.png"), "2 cores, ...");
 * }</pre>
 */
final class BenchmarkReport {
    /** The corpus cases whose models are tree ensembles (the compiled engine's targets); rpart is the single tree. */
    static final List<String> TREE_CASES = List.of("sklearn_rf_iris", "sklearn_gbr_diabetes", "sklearn_churn_pipeline",
            "xgboost_diabetes_missing", "sklearn_hgb_missing", "r_rpart_airquality");
    static final String SINGLE_TREE_CASE = "r_rpart_airquality";

    /** One measured benchmark: its medians and allocation. */
    record Score(double p50, double p99, double bytesPerOp) {
    }

    private final Map<String, Score> scores = new LinkedHashMap<>();
    private final List<String> files = new ArrayList<>();
    private final Map<String, String> engines;

    private BenchmarkReport(Map<String, String> engines) {
        this.engines = Map.copyOf(engines);
    }

    /** An empty report; {@code engines}: the {@code handoff.engine} text of each model file as loaded by default. */
    static BenchmarkReport empty(Map<String, String> engines) {
        return new BenchmarkReport(engines);
    }

    static BenchmarkReport of(Collection<RunResult> results, Map<String, String> engines) {
        BenchmarkReport report = new BenchmarkReport(engines);
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

    /** Whether the compiled tree engine serves the file by default. */
    boolean compiled(String model) {
        return BenchmarkSuite.compiled(engines.get(model));
    }

    /** The engine column: {@code compiled} or {@code runtime}. */
    String engine(String model) {
        String engine = engines.get(model);
        return engine == null ? "?" : compiled(model) ? "compiled" : "runtime";
    }

    private static boolean isTree(String model) {
        return TREE_CASES.contains(model.substring(0, model.indexOf('/')));
    }

    /** A single-row side ({@code handoff}, {@code runtime} or {@code raw}); {@code runtime} only where the engine serves. */
    private Score row(String model, String side) {
        if (side.equals("runtime") && !compiled(model)) {
            return null;
        }
        return get(prefix(model) + "RowBenchmark." + side, model, null);
    }

    /** A batch side's median, µs per row, and its allocation per row. */
    private double[] batch(String model, String side, int rows) {
        if (side.equals("runtime") && !compiled(model)) {
            return null;
        }
        Score s = get(prefix(model) + "BatchBenchmark." + side, model, Integer.toString(rows));
        return s == null ? null : new double[] {s.p50 / rows, s.bytesPerOp / rows};
    }

    /** Throughput of two threads over one thread on one shared scorer ({@code side} "handoff") or session ("raw"). */
    double scaling(String model, String side) {
        Score one = get(prefix(model) + "RowBenchmark." + side + "OneThread", model, null);
        Score two = get(prefix(model) + "RowBenchmark." + side + "TwoThreads", model, null);
        return one == null || two == null ? Double.NaN : two.p50 / one.p50;
    }

    /** How many times faster Handoff (as served by default) is than the raw call on one row: raw p50 / Handoff p50. */
    double singleSpeedup(String model) {
        Score h = row(model, "handoff");
        Score r = row(model, "raw");
        return h == null || r == null ? Double.NaN : r.p50 / h.p50;
    }

    /** How many times faster Handoff is than the raw call on a batch of 1,024, per row. */
    double batchSpeedup(String model) {
        double[] h = batch(model, "handoff", 1024);
        double[] r = batch(model, "raw", 1024);
        return h == null || r == null ? Double.NaN : r[0] / h[0];
    }

    String markdown(String machine) {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine).append(".\n\n");
        md.append("Sides: **Handoff** is `scorer.score(...)` as loaded by default (the compiled tree engine where it covers the ")
                .append("model, engine `compiled`; otherwise ONNX Runtime or JPMML-Evaluator, engine `runtime`); **runtime** is the ")
                .append("same call on a scorer loaded with `ScorerOptions.compiledTrees(false)` (measured only where the engine ")
                .append("serves); **raw** is the hand-written runtime call. Speed-ups are raw / Handoff and runtime / Handoff ")
                .append("(above 1: Handoff is faster).\n\n");
        md.append("**Summary** (single row: p50, µs; batch of 1024: median, µs per row)\n\n").append(summary()).append("\n");
        md.append("**Single row** (`scorer.score(Map)`; median and p99 of SampleTime, µs; allocation per call; throughput of ")
                .append("2 threads / 1 thread on one shared scorer, and on one raw session or evaluator)\n\n");
        md.append("| model file | engine | Handoff p50 | runtime p50 | raw p50 | raw / Handoff | runtime / Handoff | Handoff p99 | raw p99 ")
                .append("| Handoff B/op | runtime B/op | raw B/op | 2 threads / 1 | raw: 2 threads / 1 |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String model : files) {
            Score h = row(model, "handoff");
            Score r = row(model, "raw");
            if (h == null || r == null) {
                continue;
            }
            Score rt = row(model, "runtime");
            md.append("| ").append(model).append(" | ").append(engine(model)).append(" | ").append(us(h.p50)).append(" | ")
                    .append(rt == null ? "–" : us(rt.p50)).append(" | ").append(us(r.p50)).append(" | ").append(times(r.p50 / h.p50))
                    .append(" | ").append(rt == null ? "–" : times(rt.p50 / h.p50)).append(" | ").append(us(h.p99)).append(" | ")
                    .append(us(r.p99)).append(" | ").append(bytes(h.bytesPerOp)).append(" | ")
                    .append(rt == null ? "–" : bytes(rt.bytesPerOp)).append(" | ").append(bytes(r.bytesPerOp)).append(" | ")
                    .append(ratio(scaling(model, "handoff"))).append(" | ").append(ratio(scaling(model, "raw"))).append(" |\n");
        }
        md.append("\n**Batches** (`scorer.score(Batch)` against the hand-written call on the same column arrays: ONNX Runtime's ")
                .append("batch call; JPMML-Evaluator has none, so its loop over the rows; median, µs per row)\n\n");
        md.append("| model file | engine | 1 row: Handoff / raw | 64 rows: Handoff / raw | 1024 rows: Handoff | 1024: runtime | 1024: raw ")
                .append("| 1024: raw / Handoff | 1024: runtime / Handoff | 1024: Handoff B/row | 1024: raw B/row |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String model : files) {
            double[] h1 = batch(model, "handoff", 1);
            double[] r1 = batch(model, "raw", 1);
            double[] h64 = batch(model, "handoff", 64);
            double[] r64 = batch(model, "raw", 64);
            double[] h = batch(model, "handoff", 1024);
            double[] r = batch(model, "raw", 1024);
            if (h1 == null || r1 == null || h64 == null || r64 == null || h == null || r == null) {
                continue;
            }
            double[] rt = batch(model, "runtime", 1024);
            md.append("| ").append(model).append(" | ").append(engine(model)).append(" | ").append(us(h1[0])).append(" / ")
                    .append(us(r1[0])).append(" | ").append(us(h64[0])).append(" / ").append(us(r64[0])).append(" | ")
                    .append(us(h[0])).append(" | ").append(rt == null ? "–" : us(rt[0])).append(" | ").append(us(r[0])).append(" | ")
                    .append(times(r[0] / h[0])).append(" | ").append(rt == null ? "–" : times(rt[0] / h[0])).append(" | ")
                    .append(bytes(h[1])).append(" | ").append(bytes(r[1])).append(" |\n");
        }
        md.append("\n**ZipMap files at tensor speed** (batch of 1024, µs per row: Handoff on the default export against the raw ")
                .append("call on its `zipmap: False` twin)\n\n");
        md.append("| ZipMap file | engine | Handoff | raw, no-ZipMap twin | Handoff / twin | raw on the ZipMap file |\n|---|---|---:|---:|---:|---:|\n");
        for (String model : files) {
            String twin = model.replace("/model.onnx", "/model_nozipmap.onnx");
            if (twin.equals(model) || !files.contains(twin)) {
                continue;
            }
            double[] zip = batch(model, "handoff", 1024);
            double[] plainRaw = batch(twin, "raw", 1024);
            double[] zipRaw = batch(model, "raw", 1024);
            if (zip != null && plainRaw != null && zipRaw != null) {
                md.append("| ").append(model).append(" | ").append(engine(model)).append(" | ").append(us(zip[0])).append(" | ")
                        .append(us(plainRaw[0])).append(" | ").append(ratio(zip[0] / plainRaw[0])).append(" | ").append(us(zipRaw[0]))
                        .append(" |\n");
            }
        }
        md.append("\n**Engines** (`ModelInfo.metadata().get(\"handoff.engine\")` as loaded by default)\n\n");
        for (String model : files) {
            md.append("- ").append(model).append(": ").append(engines.getOrDefault(model, "?")).append("\n");
        }
        md.append("\n**Targets** (read from this run)\n\n");
        targets(md);
        return md.toString();
    }

    /** The short table the project README quotes: the three sides' single-row medians and batch-of-1024 figures, with ratios. */
    String summary() {
        StringBuilder md = new StringBuilder();
        md.append("| model file | engine | single row: Handoff | runtime | raw | raw / Handoff | runtime / Handoff ")
                .append("| batch of 1024: Handoff | runtime | raw | raw / Handoff |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String model : files) {
            Score h = row(model, "handoff");
            Score r = row(model, "raw");
            double[] hb = batch(model, "handoff", 1024);
            double[] rb = batch(model, "raw", 1024);
            if (h == null || r == null || hb == null || rb == null) {
                continue;
            }
            Score rt = row(model, "runtime");
            double[] rtb = batch(model, "runtime", 1024);
            md.append("| ").append(model).append(" | ").append(engine(model)).append(" | ").append(us(h.p50)).append(" | ")
                    .append(rt == null ? "–" : us(rt.p50)).append(" | ").append(us(r.p50)).append(" | ").append(times(r.p50 / h.p50))
                    .append(" | ").append(rt == null ? "–" : times(rt.p50 / h.p50)).append(" | ").append(us(hb[0])).append(" | ")
                    .append(rtb == null ? "–" : us(rtb[0])).append(" | ").append(us(rb[0])).append(" | ").append(times(rb[0] / hb[0]))
                    .append(" |\n");
        }
        return md.toString();
    }

    /** The compiled engine's targets (issue 14) and the runtime-served files' (Handoff within 5% of the raw call). */
    private void targets(StringBuilder md) {
        List<String> onnxTrees = new ArrayList<>();
        List<String> pmmlEnsembles = new ArrayList<>();
        List<String> singleTrees = new ArrayList<>();
        List<String> served = new ArrayList<>();
        List<String> runtimeServed = new ArrayList<>();
        for (String model : files) {
            if (row(model, "handoff") == null || row(model, "raw") == null) {
                continue;
            }
            if (isTree(model)) {
                (model.startsWith(SINGLE_TREE_CASE + "/") ? singleTrees : model.endsWith(".onnx") ? onnxTrees : pmmlEnsembles).add(model);
            }
            (compiled(model) ? served : runtimeServed).add(model);
        }
        target(md, "Single row ≥ 5× ONNX Runtime (raw / Handoff) on every ONNX tree file", onnxTrees, this::singleSpeedup, 5);
        target(md, "Single row ≥ 20× JPMML-Evaluator on every PMML tree-ensemble file", pmmlEnsembles, this::singleSpeedup, 20);
        target(md, "Single tree (rpart) ≥ 2× JPMML-Evaluator", singleTrees, this::singleSpeedup, 2);
        target(md, "Batch of 1024 ≥ 2× ONNX Runtime's batch call on every ONNX tree file", onnxTrees, this::batchSpeedup, 2);
        target(md, "Batch of 1024 ≥ 2× JPMML-Evaluator's loop on every PMML tree file (not an issue target; for reading)",
                concat(pmmlEnsembles, singleTrees), this::batchSpeedup, 2);
        target(md, "2 threads ≥ 1.8× 1 thread on one shared scorer, files the engine serves", served, m -> scaling(m, "handoff"), 1.8);
        target(md, "The hand-written call's own 2 threads / 1 on the same files (the machine's scaling)", served,
                m -> scaling(m, "raw"), 1.8);
        target(md, "Allocation per single-row call no more than the raw call's (raw B/op / Handoff B/op), files the engine serves",
                served, m -> row(m, "raw").bytesPerOp / row(m, "handoff").bytesPerOp, 1);
        target(md, "Files the runtime serves: Handoff within 5% of the raw call, single row (raw / Handoff ≥ 0.95)", runtimeServed,
                this::singleSpeedup, 0.95);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** One target line: how many files meet it, and each file's value (the ones that miss it marked). */
    private void target(StringBuilder md, String name, List<String> models, java.util.function.ToDoubleFunction<String> value,
            double threshold) {
        int met = 0;
        StringBuilder each = new StringBuilder();
        for (String model : models) {
            double v = value.applyAsDouble(model);
            boolean ok = v >= threshold;
            met += ok ? 1 : 0;
            each.append(each.length() == 0 ? "" : ", ").append(model).append(" ").append(times(v))
                    .append(compiled(model) ? "" : " (runtime)").append(ok ? "" : " ✗");
        }
        md.append("- ").append(name).append(": ").append(met).append(" of ").append(models.size()).append(" files");
        md.append(models.isEmpty() ? "" : " (" + each + ")").append("\n");
    }

    /** A bar chart per model file: single-row median and batch-1024 median per row, the three sides, log scale. */
    void chart(Path png, String machine) throws IOException {
        DefaultCategoryDataset single = new DefaultCategoryDataset();
        DefaultCategoryDataset batch = new DefaultCategoryDataset();
        String handoff = "Handoff as loaded by default";
        String runtime = "Handoff, compiledTrees(false)";
        String raw = "raw runtime call";
        for (String model : files) {
            String label = label(model) + " · " + engine(model);
            Score h = row(model, "handoff");
            Score rt = row(model, "runtime");
            Score r = row(model, "raw");
            if (h != null && r != null) {
                single.addValue(h.p50, handoff, label);
                single.addValue(rt == null ? null : rt.p50, runtime, label);
                single.addValue(r.p50, raw, label);
            }
            double[] hb = batch(model, "handoff", 1024);
            double[] rtb = batch(model, "runtime", 1024);
            double[] rb = batch(model, "raw", 1024);
            if (hb != null && rb != null) {
                batch.addValue(hb[0], handoff, label);
                batch.addValue(rtb == null ? null : rtb[0], runtime, label);
                batch.addValue(rb[0], raw, label);
            }
        }
        CategoryAxis models = new CategoryAxis();
        models.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(models);
        plot.add(subplot(single, "single row, p50 µs", true), 1);
        plot.add(subplot(batch, "batch of 1024, µs per row", false), 1);
        JFreeChart chart = new JFreeChart("Handoff (compiled tree engine where it serves) vs compiledTrees(false) vs the hand-written "
                + "runtime call (" + machine + ")", JFreeChart.DEFAULT_TITLE_FONT.deriveFont(13f), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1800, 1100);
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
        bars.setSeriesPaint(1, new Color(0xff7f0e));
        bars.setSeriesPaint(2, new Color(0xbbbbbb));
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

    private static String times(double v) {
        return Double.isNaN(v) ? "–" : v >= 10 ? String.format(Locale.ROOT, "%.1f×", v) : String.format(Locale.ROOT, "%.2f×", v);
    }

    private static String bytes(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }
}

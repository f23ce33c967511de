package dev.handoff.cli;

import dev.handoff.ModelComparison;
import dev.handoff.ModelInfo.ModelTask;
import dev.handoff.Prediction;
import dev.handoff.Scorer;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.xy.DefaultXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The picture of {@code diff --plot}: A's score against B's for a uniform sample of at most {@value #MAX_POINTS}
 * rows (reservoir sampling, seeded, so the same file draws the same picture), and the histogram of the absolute
 * differences of every row on a log scale, rows with no difference counted apart. Memory is bounded by the sample.
 * The score is the probability of the last class both models have (the positive class of a binary classifier),
 * or the value of a regression.
 */
final class DiffPlot {
    static final int MAX_POINTS = 5000;
    /** log10 of the smallest and largest non-zero difference binned; smaller and larger ones go to the end bins. */
    private static final int LOG_FROM = -17;
    private static final int LOG_TO = 1;
    private static final int BINS_PER_DECADE = 4;

    private final String score;
    private final String scoreClass;
    private final double[][] points = new double[2][MAX_POINTS];
    private final long[] bins = new long[(LOG_TO - LOG_FROM) * BINS_PER_DECADE];
    private final Random random = new Random(15);
    private long seen;
    private long zeros;

    private DiffPlot(String score, String scoreClass) {
        this.score = score;
        this.scoreClass = scoreClass;
    }

    /** The plot of two models' common score; refused when they have none (a classifier against a regression). */
    static DiffPlot of(Scorer a, Scorer b) {
        ModelTask task = a.info().task();
        if (task == ModelTask.REGRESSION && b.info().task() == ModelTask.REGRESSION) {
            return new DiffPlot(PredictionColumns.VALUE, null);
        }
        if (task == ModelTask.CLASSIFICATION && b.info().task() == ModelTask.CLASSIFICATION) {
            List<String> common = a.classes().stream().filter(b.classes()::contains).toList();
            if (!common.isEmpty()) {
                String c = common.get(common.size() - 1);
                return new DiffPlot("probability(" + c + ")", c);
            }
        }
        throw new IllegalArgumentException("--plot needs a score both models give (a class probability or a regression value);"
                + " A is " + task + " with classes " + a.classes() + ", B is " + b.info().task() + " with classes " + b.classes());
    }

    void add(ModelComparison.RowComparison row) {
        Double difference = row.absoluteDifferences().get(score);
        if (difference == null) {
            return; // a model could not score the row
        }
        if (difference == 0) {
            zeros++;
        } else {
            double log = Math.log10(difference);
            int bin = (int) Math.floor((log - LOG_FROM) * BINS_PER_DECADE);
            bins[Math.max(0, Math.min(bins.length - 1, bin))]++;
        }
        int slot = seen < MAX_POINTS ? (int) seen : (int) (random.nextDouble() * (seen + 1));
        seen++;
        if (slot < MAX_POINTS) {
            points[0][slot] = valueOf(row.a());
            points[1][slot] = valueOf(row.b());
        }
    }

    private double valueOf(Prediction p) {
        return scoreClass == null ? p.value() : p.probability(scoreClass);
    }

    void write(Path png, String nameA, String nameB) throws IOException {
        int n = (int) Math.min(seen, MAX_POINTS);
        DefaultXYDataset scatter = new DefaultXYDataset();
        scatter.addSeries(score, new double[][] {java.util.Arrays.copyOf(points[0], n), java.util.Arrays.copyOf(points[1], n)});
        JFreeChart left = ChartFactory.createScatterPlot(score + ": A against B (" + n + " of " + seen + " rows)",
                "A: " + nameA, "B: " + nameB, scatter, PlotOrientation.VERTICAL, false, false, false);
        XYSeries counts = new XYSeries("rows");
        for (int i = 0; i < bins.length; i++) {
            counts.add(LOG_FROM + (i + 0.5) / BINS_PER_DECADE, bins[i]);
        }
        XYSeriesCollection histogram = new XYSeriesCollection(counts);
        histogram.setIntervalWidth(1.0 / BINS_PER_DECADE);
        JFreeChart right = ChartFactory.createXYBarChart(String.format(Locale.ROOT, "|B - A| of %s (%d rows with no difference)",
                        score, zeros), "log10 |B - A|", false, "rows", histogram, PlotOrientation.VERTICAL,
                false, false, false);
        XYBarRenderer bars = (XYBarRenderer) ((XYPlot) right.getPlot()).getRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(0x4C72B0));
        ((XYPlot) left.getPlot()).getRenderer().setSeriesPaint(0, new Color(0x4C72B0));
        ((XYPlot) left.getPlot()).getRenderer().setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-2, -2, 4, 4));
        for (JFreeChart chart : new JFreeChart[] {left, right}) {
            chart.setBackgroundPaint(Color.WHITE);
            ((XYPlot) chart.getPlot()).setBackgroundPaint(Color.WHITE);
            ((XYPlot) chart.getPlot()).setDomainGridlinePaint(Color.LIGHT_GRAY);
            ((XYPlot) chart.getPlot()).setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
        BufferedImage image = new BufferedImage(1600, 700, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            left.draw(g, new Rectangle2D.Double(0, 0, 800, 700));
            right.draw(g, new Rectangle2D.Double(800, 0, 800, 700));
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }
}

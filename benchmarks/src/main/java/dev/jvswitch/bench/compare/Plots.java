package dev.jvswitch.bench.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The comparison's two pictures (PNG, drawn headless with JFreeChart): Mpps by flow count, a line
 * per DUT and stage, flow counts on a log axis; and one-way latency percentiles at half of NDR,
 * a bar per DUT, on a log axis, for the first flow count. A DUT with no figure has no line or bar.
 */
final class Plots {
    static final int WIDTH = 960;
    static final int HEIGHT = 540;
    static final String[] PERCENTILES = {"p50", "p90", "p99", "p99.9", "max"};

    private Plots() {
    }

    /** Writes {@code throughput.png} and {@code latency.png} into {@code dir}; returns the files written. */
    static List<Path> write(Path dir, List<CompareRow> rows, int latencyFlows) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path throughput = dir.resolve("throughput.png");
        ChartUtils.saveChartAsPNG(throughput.toFile(), throughput(rows), WIDTH, HEIGHT);
        Path latency = dir.resolve("latency.png");
        ChartUtils.saveChartAsPNG(latency.toFile(), latency(rows, latencyFlows), WIDTH, HEIGHT);
        return List.of(throughput, latency);
    }

    static JFreeChart throughput(List<CompareRow> rows) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (CompareRow r : rows) {
            if (r.ok() && r.mpps() > 0) {
                String name = r.dut() + (r.stage().equals(CompareRow.PIPELINE) ? " (in memory)" : " (veth NDR)");
                series.computeIfAbsent(name, XYSeries::new).add(r.flows(), r.mpps());
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart("Forwarding rate by flow count, 64 B frames", "flows",
                "Mpps", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setDomainAxis(logAxis("flows", 1));
        // In memory and through veths differ by two orders of magnitude: a log axis shows both.
        plot.setRangeAxis(logAxis("Mpps (log)", 0.001));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        style(chart);
        return chart;
    }

    static JFreeChart latency(List<CompareRow> rows, int flows) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (CompareRow r : rows) {
            if (r.ok() && r.flows() == flows && r.stage().equals(CompareRow.VETH) && !r.latencyUs().isEmpty()) {
                for (String p : PERCENTILES) {
                    double v = r.latency(p);
                    if (v > 0) {
                        data.addValue(v, r.dut(), p);
                    }
                }
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("One-way latency at 50 % of NDR, " + flows + " flow"
                + (flows == 1 ? "" : "s") + ", 64 B", "percentile", "us (log)", data, PlotOrientation.VERTICAL, true,
                false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setRangeAxis(logAxis("us (log)", 1));
        style(chart);
        return chart;
    }

    /** A base-10 log axis with a labelled tick per decade, in plain numbers. */
    private static LogAxis logAxis(String label, double smallest) {
        LogAxis a = new LogAxis(label);
        a.setBase(10);
        a.setSmallestValue(smallest);
        a.setTickUnit(new NumberTickUnit(1));
        a.setMinorTickCount(9);
        a.setMinorTickMarksVisible(true);
        a.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        return a;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(new Color(0xf4, 0xf4, 0xf4));
    }
}

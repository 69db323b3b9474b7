package dev.weft.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import javax.imageio.ImageIO;

/**
 * A small chart writer on {@code java.awt} and {@code javax.imageio}, for the benchmark's PNGs: a figure of panels in
 * a grid, each a line chart or a bar chart, with titled axes in stated units, linear or logarithmic, one legend per
 * figure and a footnote. The same series colours mean the same thing in every chart ({@link #WEFT}, {@link #SDK},
 * {@link #FLOOR}). Runs headless ({@code -Djava.awt.headless=true}); drawn at twice the logical size, so that the
 * lines stay sharp when a page scales the image down.
 */
final class Chart {
    /** Weft's colour in every chart. */
    static final Color WEFT_BLUE = new Color(0x1D4ED8);
    /** The other library's colour (the MCP Java SDK, acp-core) in every chart. */
    static final Color SDK_ORANGE = new Color(0xEA580C);
    /** A reference that uses no library (the floor, the raw baselines). */
    static final Color FLOOR_GREY = new Color(0x6B7280);

    static final Series WEFT = new Series("Weft", WEFT_BLUE, false);
    static final Series SDK = new Series("MCP Java SDK", SDK_ORANGE, false);
    static final Series FLOOR = new Series("floor (raw loop, no library)", FLOOR_GREY, true);

    private static final int SCALE = 2;
    private static final Color TEXT = new Color(0x111827);
    private static final Color MUTED = new Color(0x4B5563);
    private static final Color GRID = new Color(0xE5E7EB);
    private static final Color AXIS = new Color(0x9CA3AF);
    private static final String FONT = Font.SANS_SERIF;

    private Chart() {
    }

    /** A series: its name in the legend, its colour, whether its line is dashed. */
    record Series(String name, Color color, boolean dashed) {
        Series named(String other) {
            return new Series(other, color, dashed);
        }

        Series withDashes() {
            return new Series(name, color, true);
        }

        /** The colour, lighter: for a series' second kind (its other thread kind, its other script). */
        Series light(String other) {
            return new Series(other, blend(color, Color.WHITE, 0.45), dashed);
        }
    }

    private static Color blend(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() * (1 - t) + b.getRed() * t),
                (int) Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
                (int) Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
    }

    // ---------------------------------------------------------------- axes

    /** A tick: where, and its label. */
    record Tick(double value, String label) {
    }

    /**
     * An axis: its title (with the unit), its range, linear or base-10 logarithmic, and its ticks. Values outside the
     * range are drawn at its edge.
     */
    static final class Axis {
        final String title;
        final boolean log;
        final double lo;
        final double hi;
        final List<Tick> ticks;

        private Axis(String title, boolean log, double lo, double hi, List<Tick> ticks) {
            this.title = title;
            this.log = log;
            this.lo = lo;
            this.hi = hi;
            this.ticks = ticks;
        }

        /** A linear axis from 0 (or {@code min}) to a round number at or above {@code max}. */
        static Axis linear(String title, double min, double max, DoubleFunction<String> format) {
            double top = max <= min ? min + 1 : max;
            double step = niceStep((top - min) / 5);
            double lo = Math.floor(min / step) * step;
            double hi = Math.ceil(top / step) * step;
            if (hi - top < step * 0.08) {
                hi += step; // room for the value labels above the highest bar
            }
            List<Tick> ticks = new ArrayList<>();
            for (double v = lo; v <= hi + step / 1e6; v += step) {
                ticks.add(new Tick(v, format.apply(v)));
            }
            return new Axis(title, false, lo, hi, ticks);
        }

        /** A base-10 logarithmic axis over whole decades around {@code min} and {@code max}. */
        static Axis log(String title, double min, double max, DoubleFunction<String> format) {
            double lo = Math.pow(10, Math.floor(Math.log10(min)));
            double hi = Math.pow(10, Math.ceil(Math.log10(max)));
            if (hi / max < 2.5) {
                hi *= 10; // room for the value labels
            }
            List<Tick> ticks = new ArrayList<>();
            boolean minor = Math.log10(hi / lo) <= 3;
            for (double decade = lo; decade <= hi * 1.0001; decade *= 10) {
                ticks.add(new Tick(decade, format.apply(decade)));
                if (minor && decade * 10 <= hi * 1.0001) {
                    ticks.add(new Tick(decade * 2, format.apply(decade * 2)));
                    ticks.add(new Tick(decade * 5, format.apply(decade * 5)));
                }
            }
            return new Axis(title, true, lo, hi, ticks);
        }

        /** An axis with ticks of the caller's, linear or logarithmic between {@code lo} and {@code hi}. */
        static Axis custom(String title, boolean log, double lo, double hi, List<Tick> ticks) {
            return new Axis(title, log, lo, hi, ticks);
        }

        /** Where {@code v} falls, 0 at {@code lo} and 1 at {@code hi}. */
        double fraction(double v) {
            double f = log ? (Math.log10(Math.max(v, lo * 1e-3)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
                    : (v - lo) / (hi - lo);
            return Math.max(0, Math.min(1, f));
        }

        private static double niceStep(double raw) {
            double decade = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / decade;
            return decade * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10);
        }
    }

    /** A dashed line across a panel at {@code value} of its value axis, labelled. */
    record Reference(double value, String label) {
    }

    // ---------------------------------------------------------------- panels

    /** One chart of a figure. */
    abstract static class Panel {
        final String title;
        String note;
        final List<Reference> references = new ArrayList<>();

        Panel(String title) {
            this.title = title;
        }

        Panel note(String text) {
            this.note = text;
            return this;
        }

        Panel reference(double value, String label) {
            references.add(new Reference(value, label));
            return this;
        }

        abstract void draw(Graphics2D g, Rectangle2D area);

        /** The panel's title and note; the area left below them. */
        Rectangle2D header(Graphics2D g, Rectangle2D area) {
            double y = area.getY();
            g.setFont(font(Font.BOLD, 14));
            g.setColor(TEXT);
            for (String line : title.isEmpty() ? new String[0] : title.split("\n")) {
                y += g.getFontMetrics().getAscent();
                g.drawString(line, (float) area.getX(), (float) y);
                y += 2;
            }
            if (note != null) {
                g.setFont(font(Font.PLAIN, 12));
                g.setColor(MUTED);
                for (String line : note.split("\n")) {
                    y += g.getFontMetrics().getAscent() + 1;
                    g.drawString(line, (float) area.getX(), (float) y);
                }
            }
            y += title.isEmpty() && note == null ? 0 : 10;
            return new Rectangle2D.Double(area.getX(), y, area.getWidth(), area.getMaxY() - y);
        }
    }

    /**
     * A line of a line chart: its series, its points (x, y; a NaN y is skipped), whether to mark each point, labels by
     * some points, whether the points are joined (markers alone when not).
     */
    record Line(Series series, double[] xs, double[] ys, boolean markers, String[] labels, boolean joined) {
        Line(Series series, double[] xs, double[] ys, boolean markers) {
            this(series, xs, ys, markers, null, true);
        }

        Line(Series series, double[] xs, double[] ys, boolean markers, String[] labels) {
            this(series, xs, ys, markers, labels, true);
        }
    }

    /** A label by a point of a line, placed once every line is drawn. */
    private record PointLabel(String text, Color color, double x, double y) {
    }

    /** Lines over an x and a y axis. */
    static final class LinePanel extends Panel {
        final Axis x;
        final Axis y;
        final List<Line> lines = new ArrayList<>();

        LinePanel(String title, Axis x, Axis y) {
            super(title);
            this.x = x;
            this.y = y;
        }

        LinePanel add(Line line) {
            lines.add(line);
            return this;
        }

        @Override
        void draw(Graphics2D g, Rectangle2D area) {
            Rectangle2D below = header(g, area);
            g.setFont(font(Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            double left = 0;
            for (Tick t : y.ticks) {
                left = Math.max(left, fm.stringWidth(t.label()));
            }
            left += 34; // the axis title, turned
            Rectangle2D plot = new Rectangle2D.Double(below.getX() + left, below.getY(),
                    below.getWidth() - left - 12, below.getHeight() - 44);
            yGrid(g, plot, y);
            xGrid(g, plot, x);
            frame(g, plot);
            for (Reference r : references) {
                double py = plot.getMaxY() - y.fraction(r.value()) * plot.getHeight();
                dashedLine(g, plot.getX(), py, plot.getMaxX(), py, MUTED);
                g.setFont(font(Font.PLAIN, 11));
                g.setColor(MUTED);
                g.drawString(r.label(), (float) (plot.getX() + 6), (float) (py - 4));
            }
            List<PointLabel> pending = new ArrayList<>();
            for (Line line : lines) {
                Path2D path = new Path2D.Double();
                boolean started = false;
                for (int i = 0; i < line.xs().length; i++) {
                    if (Double.isNaN(line.ys()[i])) {
                        continue;
                    }
                    double px = plot.getX() + x.fraction(line.xs()[i]) * plot.getWidth();
                    double py = plot.getMaxY() - y.fraction(line.ys()[i]) * plot.getHeight();
                    if (started) {
                        path.lineTo(px, py);
                    } else {
                        path.moveTo(px, py);
                        started = true;
                    }
                }
                if (line.joined()) {
                    g.setColor(line.series().color());
                    g.setStroke(stroke(2.4f, line.series().dashed()));
                    g.draw(path);
                    g.setStroke(new BasicStroke(1f));
                }
                for (int i = 0; i < line.xs().length; i++) {
                    if (Double.isNaN(line.ys()[i])) {
                        continue;
                    }
                    double px = plot.getX() + x.fraction(line.xs()[i]) * plot.getWidth();
                    double py = plot.getMaxY() - y.fraction(line.ys()[i]) * plot.getHeight();
                    if (line.markers()) {
                        g.setColor(line.series().color());
                        g.fill(new Ellipse2D.Double(px - 4, py - 4, 8, 8));
                        g.setColor(Color.WHITE);
                        g.draw(new Ellipse2D.Double(px - 4, py - 4, 8, 8));
                    }
                    if (line.labels() != null && line.labels()[i] != null) {
                        pending.add(new PointLabel(line.labels()[i], line.series().color(), px, py));
                    }
                }
            }
            // Highest points first, each label above its point, or below it when that would cover one drawn already.
            pending.sort(Comparator.comparingDouble(PointLabel::y));
            List<Rectangle2D> placed = new ArrayList<>();
            g.setFont(font(Font.BOLD, 11));
            FontMetrics lm = g.getFontMetrics();
            for (PointLabel label : pending) {
                int w = lm.stringWidth(label.text());
                int h = lm.getAscent();
                double lx = Math.min(Math.max(label.x() - w / 2.0, plot.getX() + 2), plot.getMaxX() - w - 2);
                double ly = label.y() - 9;
                Rectangle2D box = new Rectangle2D.Double(lx - 2, ly - h, w + 4, h + 2);
                if (placed.stream().anyMatch(box::intersects)) {
                    ly = label.y() + 9 + h;
                    box = new Rectangle2D.Double(lx - 2, ly - h, w + 4, h + 2);
                }
                placed.add(box);
                g.setColor(label.color());
                g.drawString(label.text(), (float) lx, (float) ly);
            }
        }
    }

    /**
     * Bars: for each group (a category) one bar per series, vertical or horizontal; each with its value printed by
     * it, and, where given, a whisker from {@code low} to {@code high} (the lowest and highest repetition).
     */
    static final class BarPanel extends Panel {
        final List<String> groups = new ArrayList<>();
        final List<Series> series;
        final List<double[]> values = new ArrayList<>();
        final List<double[]> lows = new ArrayList<>();
        final List<double[]> highs = new ArrayList<>();
        final List<String[]> labels = new ArrayList<>();
        final boolean horizontal;
        Axis axis;
        DoubleFunction<String> format = Chart::number;

        BarPanel(String title, boolean horizontal, List<Series> series) {
            super(title);
            this.horizontal = horizontal;
            this.series = series;
        }

        /** A group: its label, and per series a value (NaN: no bar), a low and a high (NaN: no whisker). */
        BarPanel group(String label, double[] value, double[] low, double[] high) {
            groups.add(label);
            values.add(value);
            lows.add(low == null ? nans(value.length) : low);
            highs.add(high == null ? nans(value.length) : high);
            labels.add(new String[value.length]);
            return this;
        }

        BarPanel group(String label, double... value) {
            return group(label, value, null, null);
        }

        /** The text by the last group's bar of series {@code s}, in place of its formatted value. */
        BarPanel label(int s, String text) {
            labels.get(labels.size() - 1)[s] = text;
            return this;
        }

        BarPanel axis(Axis axis) {
            this.axis = axis;
            return this;
        }

        BarPanel format(DoubleFunction<String> format) {
            this.format = format;
            return this;
        }

        /** The largest value or whisker end, for sizing the axis. */
        double max() {
            double max = 0;
            for (int i = 0; i < values.size(); i++) {
                for (int s = 0; s < series.size(); s++) {
                    max = Math.max(max, finite(values.get(i)[s]));
                    max = Math.max(max, finite(highs.get(i)[s]));
                }
            }
            return max;
        }

        /** The smallest positive value, for sizing a logarithmic axis. */
        double minPositive() {
            double min = Double.MAX_VALUE;
            for (double[] v : values) {
                for (double x : v) {
                    if (x > 0 && !Double.isNaN(x)) {
                        min = Math.min(min, x);
                    }
                }
            }
            return min == Double.MAX_VALUE ? 1 : min;
        }

        @Override
        void draw(Graphics2D g, Rectangle2D area) {
            Rectangle2D below = header(g, area);
            if (horizontal) {
                drawHorizontal(g, below);
            } else {
                drawVertical(g, below);
            }
        }

        private void drawVertical(Graphics2D g, Rectangle2D area) {
            g.setFont(font(Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            double left = 0;
            for (Tick t : axis.ticks) {
                left = Math.max(left, fm.stringWidth(t.label()));
            }
            left += axis.title.isEmpty() ? 12 : 34;
            int groupLines = groups.stream().mapToInt(s -> s.split("\n").length).max().orElse(1);
            Rectangle2D plot = new Rectangle2D.Double(area.getX() + left, area.getY() + 8,
                    area.getWidth() - left - 8, area.getHeight() - 14 - groupLines * 15);
            yGrid(g, plot, axis);
            frame(g, plot);
            double groupWidth = plot.getWidth() / groups.size();
            double barWidth = Math.min(64, groupWidth * 0.78 / series.size());
            for (int i = 0; i < groups.size(); i++) {
                double start = plot.getX() + groupWidth * i + (groupWidth - barWidth * series.size()) / 2;
                for (int s = 0; s < series.size(); s++) {
                    double v = values.get(i)[s];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    double x = start + barWidth * s;
                    double top = plot.getMaxY() - axis.fraction(v) * plot.getHeight();
                    g.setColor(series.get(s).color());
                    g.fill(new Rectangle2D.Double(x + 2, top, barWidth - 4, plot.getMaxY() - top));
                    double label = top;
                    if (spread(lows.get(i)[s], highs.get(i)[s])) {
                        double lo = plot.getMaxY() - axis.fraction(lows.get(i)[s]) * plot.getHeight();
                        double hi = plot.getMaxY() - axis.fraction(highs.get(i)[s]) * plot.getHeight();
                        whisker(g, x + barWidth / 2, lo, x + barWidth / 2, hi, false);
                        label = Math.min(label, hi);
                    }
                    String text = labels.get(i)[s] != null ? labels.get(i)[s] : format.apply(v);
                    g.setFont(font(Font.BOLD, 11));
                    g.setColor(TEXT);
                    int w = g.getFontMetrics().stringWidth(text);
                    g.drawString(text, (float) (x + barWidth / 2 - w / 2.0), (float) (label - 4));
                }
                g.setFont(font(Font.PLAIN, 12));
                g.setColor(TEXT);
                String[] lines = groups.get(i).split("\n");
                for (int l = 0; l < lines.length; l++) {
                    int w = g.getFontMetrics().stringWidth(lines[l]);
                    g.drawString(lines[l], (float) (plot.getX() + groupWidth * (i + 0.5) - w / 2.0),
                            (float) (plot.getMaxY() + 16 + l * 15));
                }
            }
        }

        private void drawHorizontal(Graphics2D g, Rectangle2D area) {
            g.setFont(font(Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            double left = 0;
            for (String group : groups) {
                for (String line : group.split("\n")) {
                    left = Math.max(left, fm.stringWidth(line));
                }
            }
            left += 14;
            double top = references.isEmpty() ? 4 : 20;
            Rectangle2D plot = new Rectangle2D.Double(area.getX() + left, area.getY() + top,
                    area.getWidth() - left - 12, area.getHeight() - 40 - top);
            xGrid(g, plot, axis);
            frame(g, plot);
            for (Reference r : references) {
                double px = plot.getX() + axis.fraction(r.value()) * plot.getWidth();
                dashedLine(g, px, plot.getY() - 14, px, plot.getMaxY(), MUTED);
                g.setFont(font(Font.PLAIN, 11));
                g.setColor(MUTED);
                g.drawString(r.label(), (float) (px + 4), (float) (plot.getY() - 6));
            }
            double groupHeight = plot.getHeight() / groups.size();
            double barHeight = Math.min(24, groupHeight * 0.8 / series.size());
            for (int i = 0; i < groups.size(); i++) {
                double start = plot.getY() + groupHeight * i + (groupHeight - barHeight * series.size()) / 2;
                int drawn = 0;
                for (int s = 0; s < series.size(); s++) {
                    double v = values.get(i)[s];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    double y = start + barHeight * s;
                    double end = plot.getX() + axis.fraction(v) * plot.getWidth();
                    g.setColor(series.get(s).color());
                    g.fill(new Rectangle2D.Double(plot.getX(), y + 2, end - plot.getX(), barHeight - 4));
                    double label = end;
                    if (spread(lows.get(i)[s], highs.get(i)[s])) {
                        double lo = plot.getX() + axis.fraction(lows.get(i)[s]) * plot.getWidth();
                        double hi = plot.getX() + axis.fraction(highs.get(i)[s]) * plot.getWidth();
                        whisker(g, lo, y + barHeight / 2, hi, y + barHeight / 2, true);
                        label = Math.max(label, hi);
                    }
                    String text = labels.get(i)[s] != null ? labels.get(i)[s] : format.apply(v);
                    g.setFont(font(Font.BOLD, 11));
                    int w = g.getFontMetrics().stringWidth(text);
                    double lx = label + 6;
                    if (lx + w > plot.getMaxX() - 2) {
                        lx = end - w - 6; // inside the bar, in white
                        g.setColor(Color.WHITE);
                    } else {
                        g.setColor(TEXT);
                    }
                    g.drawString(text, (float) lx, (float) (y + barHeight / 2 + 4));
                    drawn++;
                }
                if (drawn == 0) {
                    continue;
                }
                g.setFont(font(Font.PLAIN, 12));
                g.setColor(TEXT);
                String[] lines = groups.get(i).split("\n");
                double mid = plot.getY() + groupHeight * (i + 0.5);
                for (int l = 0; l < lines.length; l++) {
                    int w = g.getFontMetrics().stringWidth(lines[l]);
                    g.drawString(lines[l], (float) (plot.getX() - 10 - w),
                            (float) (mid + 4 + (l - (lines.length - 1) / 2.0) * 15));
                }
                if (i > 0) {
                    g.setColor(GRID);
                    g.draw(new Line2D.Double(area.getX(), plot.getY() + groupHeight * i, plot.getMaxX(),
                            plot.getY() + groupHeight * i));
                }
            }
        }

        /** Whether a whisker from {@code low} to {@code high} shows anything. */
        private static boolean spread(double low, double high) {
            return !Double.isNaN(low) && !Double.isNaN(high) && high > low * 1.0001;
        }

        private static double[] nans(int n) {
            double[] a = new double[n];
            Arrays.fill(a, Double.NaN);
            return a;
        }

        private static double finite(double v) {
            return Double.isNaN(v) ? 0 : v;
        }
    }

    // ---------------------------------------------------------------- figures

    /** A figure: a title, a subtitle, panels in a grid, a legend, a footnote. */
    static final class Figure {
        final String title;
        final String subtitle;
        final int columns;
        final int panelWidth;
        final int panelHeight;
        final List<Panel> panels = new ArrayList<>();
        final List<Series> legend = new ArrayList<>();
        String footnote = "";

        Figure(String title, String subtitle, int columns, int panelWidth, int panelHeight) {
            this.title = title;
            this.subtitle = subtitle;
            this.columns = columns;
            this.panelWidth = panelWidth;
            this.panelHeight = panelHeight;
        }

        Figure add(Panel panel) {
            panels.add(panel);
            return this;
        }

        Figure legend(Series... series) {
            legend.addAll(List.of(series));
            return this;
        }

        Figure footnote(String text) {
            this.footnote = text;
            return this;
        }

        void write(Path file) throws IOException {
            int rows = (panels.size() + columns - 1) / columns;
            int margin = 24;
            int head = 62 + (subtitle == null ? 0 : 18 * subtitle.split("\n").length) + (legend.isEmpty() ? 0 : 26);
            int foot = footnote.isEmpty() ? 12 : 14 + 15 * footnote.split("\n").length;
            int width = margin * 2 + columns * panelWidth + (columns - 1) * 28;
            int height = head + rows * panelHeight + (rows - 1) * 24 + foot + margin / 2;
            BufferedImage image = new BufferedImage(width * SCALE, height * SCALE, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
                g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
                g.scale(SCALE, SCALE);
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, width, height);
                double y = margin + 4;
                g.setFont(font(Font.BOLD, 20));
                g.setColor(TEXT);
                y += g.getFontMetrics().getAscent() - 6;
                g.drawString(title, margin, (float) y);
                if (subtitle != null) {
                    g.setFont(font(Font.PLAIN, 13));
                    g.setColor(MUTED);
                    for (String line : subtitle.split("\n")) {
                        y += 18;
                        g.drawString(line, margin, (float) y);
                    }
                }
                if (!legend.isEmpty()) {
                    y += 24;
                    double x = margin;
                    g.setFont(font(Font.PLAIN, 13));
                    boolean boxes = panels.stream().allMatch(p -> p instanceof BarPanel);
                    for (Series s : legend) {
                        g.setColor(s.color());
                        if (boxes) {
                            g.fill(new Rectangle2D.Double(x + 6, y - 12, 14, 14));
                        } else {
                            g.setStroke(stroke(3f, s.dashed()));
                            g.draw(new Line2D.Double(x, y - 5, x + 26, y - 5));
                            g.setStroke(new BasicStroke(1f));
                        }
                        g.setColor(TEXT);
                        g.drawString(s.name(), (float) (x + 32), (float) y);
                        x += 32 + g.getFontMetrics().stringWidth(s.name()) + 26;
                    }
                }
                for (int i = 0; i < panels.size(); i++) {
                    int row = i / columns;
                    int column = i % columns;
                    Rectangle2D area = new Rectangle2D.Double(margin + column * (panelWidth + 28),
                            head + row * (panelHeight + 24), panelWidth, panelHeight);
                    panels.get(i).draw(g, area);
                }
                if (!footnote.isEmpty()) {
                    g.setFont(font(Font.PLAIN, 11));
                    g.setColor(MUTED);
                    double fy = height - margin / 2.0 - 15 * (footnote.split("\n").length - 1) - 4;
                    for (String line : footnote.split("\n")) {
                        g.drawString(line, margin, (float) fy);
                        fy += 15;
                    }
                }
            } finally {
                g.dispose();
            }
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        }
    }

    // ---------------------------------------------------------------- drawing helpers

    private static Font font(int style, int size) {
        return new Font(FONT, style, size);
    }

    private static Stroke stroke(float width, boolean dashed) {
        return dashed ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {7f, 5f}, 0f) : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private static void frame(Graphics2D g, Rectangle2D plot) {
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Line2D.Double(plot.getX(), plot.getMaxY(), plot.getMaxX(), plot.getMaxY()));
        g.draw(new Line2D.Double(plot.getX(), plot.getY(), plot.getX(), plot.getMaxY()));
    }

    /** Horizontal grid lines at the axis's ticks, their labels at the left, the axis title turned. */
    private static void yGrid(Graphics2D g, Rectangle2D plot, Axis axis) {
        g.setFont(font(Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        double widest = 0;
        for (Tick t : axis.ticks) {
            double py = plot.getMaxY() - axis.fraction(t.value()) * plot.getHeight();
            g.setColor(GRID);
            g.draw(new Line2D.Double(plot.getX(), py, plot.getMaxX(), py));
            g.setColor(MUTED);
            int w = fm.stringWidth(t.label());
            widest = Math.max(widest, w);
            g.drawString(t.label(), (float) (plot.getX() - 6 - w), (float) (py + fm.getAscent() / 2.0 - 2));
        }
        if (!axis.title.isEmpty()) {
            turned(g, axis.title, plot.getX() - 16 - widest, plot.getCenterY());
        }
    }

    /** Vertical grid lines at the axis's ticks, their labels below, the axis title under them. */
    private static void xGrid(Graphics2D g, Rectangle2D plot, Axis axis) {
        g.setFont(font(Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (Tick t : axis.ticks) {
            if (t.value() < axis.lo - 1e-9 || t.value() > axis.hi + 1e-9) {
                continue;
            }
            double px = plot.getX() + axis.fraction(t.value()) * plot.getWidth();
            g.setColor(GRID);
            g.draw(new Line2D.Double(px, plot.getY(), px, plot.getMaxY()));
            g.setColor(MUTED);
            int w = fm.stringWidth(t.label());
            g.drawString(t.label(), (float) (px - w / 2.0), (float) (plot.getMaxY() + 16));
        }
        g.setFont(font(Font.PLAIN, 13));
        g.setColor(TEXT);
        int w = g.getFontMetrics().stringWidth(axis.title);
        g.drawString(axis.title, (float) (plot.getCenterX() - w / 2.0), (float) (plot.getMaxY() + 36));
    }

    private static void turned(Graphics2D g, String text, double x, double centerY) {
        g.setFont(font(Font.PLAIN, 13));
        g.setColor(TEXT);
        Graphics2D t = (Graphics2D) g.create();
        try {
            t.translate(x, centerY);
            t.rotate(-Math.PI / 2);
            int w = t.getFontMetrics().stringWidth(text);
            t.drawString(text, -w / 2f, 0);
        } finally {
            t.dispose();
        }
    }

    private static void whisker(Graphics2D g, double x1, double y1, double x2, double y2, boolean horizontal) {
        g.setColor(TEXT);
        g.setStroke(new BasicStroke(1.3f));
        g.draw(new Line2D.Double(x1, y1, x2, y2));
        if (horizontal) {
            g.draw(new Line2D.Double(x1, y1 - 4, x1, y1 + 4));
            g.draw(new Line2D.Double(x2, y2 - 4, x2, y2 + 4));
        } else {
            g.draw(new Line2D.Double(x1 - 4, y1, x1 + 4, y1));
            g.draw(new Line2D.Double(x2 - 4, y2, x2 + 4, y2));
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void dashedLine(Graphics2D g, double x1, double y1, double x2, double y2, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {5f, 4f},
                0f));
        g.draw(new Line2D.Double(x1, y1, x2, y2));
        g.setStroke(new BasicStroke(1f));
    }

    // ---------------------------------------------------------------- number formats

    /** A value for a label: three significant digits at most, thousands grouped, no trailing zeros. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return trim(String.format(Locale.ROOT, "%.1f", v));
        }
        if (a >= 1) {
            return trim(String.format(Locale.ROOT, "%.2f", v));
        }
        if (a == 0) {
            return "0";
        }
        return trim(String.format(Locale.ROOT, "%.2g", v));
    }

    /** A tick or point label: 1, 20, 500, 1k, 2.5k, 20k, 115k, 1M; 0.5, 0.01. */
    static String compact(double v) {
        double a = Math.abs(v);
        if (a < 1e3) {
            return number(v);
        }
        double x = a >= 1e6 ? v / 1e6 : v / 1e3;
        String suffix = a >= 1e6 ? "M" : "k";
        return trim(String.format(Locale.ROOT, Math.abs(x) >= 100 ? "%.0f" : "%.1f", x)) + suffix;
    }

    /** A time given in milliseconds: µs under 1 ms on a tick, ms under 1 s, s above. */
    static String millisTick(double ms) {
        if (ms >= 1000) {
            return number(ms / 1000) + " s";
        }
        return number(ms) + " ms";
    }

    /** A time given in milliseconds, for a label by a bar. */
    static String millisLabel(double ms) {
        if (ms >= 1000) {
            return trim(String.format(Locale.ROOT, "%.1f", ms / 1000)) + " s";
        }
        return number(ms) + " ms";
    }

    private static String trim(String s) {
        if (!s.contains(".") || s.contains("e")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}

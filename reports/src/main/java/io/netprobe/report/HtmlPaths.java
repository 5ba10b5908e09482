package io.netprobe.report;

import static io.netprobe.report.Text.xml;

import io.netprobe.report.model.Measure;
import io.netprobe.report.model.RunResult;
import java.util.List;
import java.util.Locale;

/**
 * The paths table of the HTML report: a row per measuring cell with an inline SVG of its round-trip
 * time distribution (a bar per bucket, from 10 us to above 1 s, heights relative to the row's
 * fullest bucket; no script, no library), then the comparison by path kind.
 */
final class HtmlPaths {
  private static final int BAR = 8;
  private static final int HEIGHT = 28;

  /** Room left and right of the bars for the tick labels. */
  private static final int PAD = 10;

  /** Tick labels under the bars, at the upper edge of these buckets. */
  private static final int[] TICKS = {0, 6, 15};

  private static final String[] TICK_TEXT = {"10us", "1ms", "1s"};

  private HtmlPaths() {}

  static void append(StringBuilder h, RunResult run) {
    h.append(
        "<section class=\"wide paths\">\n<h2>Paths measured</h2>\n<table class=\"facts\">\n<tr>");
    PathsTable.HEADER.forEach(c -> h.append("<th>").append(xml(c)).append("</th>"));
    h.append("<th>RTT distribution (10 us .. 1 s, log)</th></tr>\n");
    for (PathsTable.Row row : PathsTable.rows(run)) {
      h.append("<tr>");
      for (int i = 0; i < row.cells().size(); i++) {
        h.append(
                i >= 3
                    ? "<td style=\"text-align:right;white-space:nowrap\">"
                    : "<td style=\"white-space:nowrap\">")
            .append(xml(row.cells().get(i)));
        h.append("</td>");
      }
      h.append("<td>");
      histogram(h, row.cell().measure());
      h.append("</td></tr>\n");
    }
    h.append("</table>\n<h3>By path kind</h3>\n<table class=\"facts\">\n<tr>");
    PathsTable.KIND_HEADER.forEach(c -> h.append("<th>").append(xml(c)).append("</th>"));
    h.append("</tr>\n");
    for (List<String> row : PathsTable.byKind(run)) {
      h.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        h.append(i >= 1 ? "<td style=\"text-align:right;white-space:nowrap\">" : "<td>")
            .append(xml(row.get(i)))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n<p class=\"legend\">Figures measured by this run on this machine: they");
    h.append(" count every process sharing its cores, and a path's p99 and max move most.</p>\n");
    h.append("</section>\n");
  }

  /** A bar per bucket; a title on each says its range and count. */
  static void histogram(StringBuilder h, Measure m) {
    List<Integer> counts = m.histogram();
    if (counts.isEmpty()) {
      h.append("-");
      return;
    }
    int most = counts.stream().mapToInt(Integer::intValue).max().orElse(1);
    int width = counts.size() * BAR + 2 * PAD;
    h.append("<svg class=\"rtt\" width=\"").append(width).append("\" height=\"");
    h.append(HEIGHT + 10).append("\" viewBox=\"0 0 ").append(width).append(' ').append(HEIGHT + 10);
    h.append("\" role=\"img\" aria-label=\"round-trip times of ").append(m.count());
    h.append(" transactions\">");
    h.append("<line x1=\"0\" y1=\"").append(HEIGHT - 0.5).append("\" x2=\"").append(width);
    h.append("\" y2=\"").append(HEIGHT - 0.5).append("\" stroke=\"#999\"/>");
    for (int i = 0; i < counts.size(); i++) {
      int n = counts.get(i);
      double bar = n == 0 ? 0 : Math.max(1, (HEIGHT - 2) * (double) n / Math.max(most, 1));
      h.append("<rect x=\"").append(PAD + i * BAR + 1).append("\" y=\"");
      h.append(String.format(Locale.ROOT, "%.1f", HEIGHT - 1 - bar));
      h.append("\" width=\"").append(BAR - 2).append("\" height=\"");
      h.append(String.format(Locale.ROOT, "%.1f", bar)).append("\" fill=\"#3572b0\"><title>");
      h.append(xml(range(i))).append(": ").append(n).append("</title></rect>");
    }
    for (int t = 0; t < TICKS.length; t++) {
      h.append("<text x=\"")
          .append(PAD + (TICKS[t] + 1) * BAR)
          .append("\" y=\"")
          .append(HEIGHT + 9);
      h.append("\" font-size=\"8\" text-anchor=\"middle\" fill=\"#666\">");
      h.append(TICK_TEXT[t]).append("</text>");
    }
    h.append("</svg>");
  }

  private static String range(int bucket) {
    List<Double> edges = Measure.BUCKET_EDGES_MS;
    if (bucket == edges.size()) {
      return "above " + PathsTable.ms(edges.get(edges.size() - 1));
    }
    return (bucket == 0 ? "up to " : PathsTable.ms(edges.get(bucket - 1)) + " to ")
        + PathsTable.ms(edges.get(bucket));
  }
}

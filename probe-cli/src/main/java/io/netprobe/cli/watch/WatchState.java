package io.netprobe.cli.watch;

import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import io.netprobe.report.model.Timeline;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a watch knows after its rounds, in bounded memory: per cell its last disposition, a flip
 * count, an RTT histogram, its last {@link #WINDOW} rounds and {@link #FLIPS_KEPT} flips; per node
 * whether its agent was up. A round's result goes in with {@link #update}, which says which cells
 * flipped; the Prometheus text ({@link #prometheus}) and the report's {@link Timeline} come out.
 * Thread-safe: the metrics server reads while the watch writes.
 */
public final class WatchState {
  /** How many rounds a cell remembers (its strip in the report, its loss ratio). */
  static final int WINDOW = 120;

  static final int FLIPS_KEPT = 50;

  /** The RTT histogram's upper bounds, in seconds: 0.5 ms to 10 s. */
  static final double[] BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  /** A cell changed its disposition in {@code round}. */
  public record Flip(long round, Instant at, CheckResult before, CheckResult now) {
    public String from() {
      return before.verdict().disposition().name();
    }

    public String to() {
      return now.verdict().disposition().name();
    }
  }

  private static final class Cell {
    final String id;
    final String from;
    final String to;
    final String probe;
    CheckResult last;
    long flips;
    long firstRound;
    final StringBuilder marks = new StringBuilder(WINDOW);
    final long[] buckets = new long[BUCKETS.length];
    long rttCount;
    double rttSum;
    final ArrayDeque<Timeline.Flip> kept = new ArrayDeque<>();

    Cell(CheckResult c, long round) {
      id = c.id();
      from = c.from();
      to = c.to();
      probe = c.probe();
      firstRound = round;
    }
  }

  private final Map<String, Cell> cells = new LinkedHashMap<>();
  private final Map<String, Boolean> nodesUp = new LinkedHashMap<>();
  private long rounds;
  private double lastRoundSeconds;
  private Instant lastRoundAt;

  /** Takes one round's result; returns the cells whose disposition changed since their last. */
  public synchronized List<Flip> update(
      long round, RunResult run, Map<String, Boolean> nodeUp, Map<String, String> evidence) {
    rounds = Math.max(rounds, round);
    lastRoundAt = run.startedAt();
    lastRoundSeconds = run.elapsedMs() / 1000.0;
    nodesUp.putAll(nodeUp);
    List<Flip> flips = new ArrayList<>();
    for (CheckResult c : run.checks()) {
      Cell cell = cells.computeIfAbsent(c.id(), id -> new Cell(c, round));
      if (cell.last != null && cell.last.verdict().disposition() != c.verdict().disposition()) {
        Flip flip = new Flip(round, run.startedAt(), cell.last, c);
        flips.add(flip);
        cell.flips++;
        cell.kept.addLast(
            new Timeline.Flip(
                round,
                run.startedAt(),
                flip.from(),
                flip.to(),
                c.outcome(),
                c.verdict().reason(),
                evidence.get(c.id())));
        if (cell.kept.size() > FLIPS_KEPT) {
          cell.kept.removeFirst();
        }
      }
      cell.last = c;
      cell.marks.append(mark(c));
      if (cell.marks.length() > WINDOW) {
        cell.marks.deleteCharAt(0);
        cell.firstRound++;
      }
      if (reached(c)) {
        // the round trip measured where there is one (an echo's, an rr cell's median, a tcp
        // cell's handshake), else the probe's own time (a login, an answer)
        double seconds =
            (c.measure() != null && c.measure().timed()
                    ? c.measure().p50Ms()
                    : c.handshakeMs() != null ? c.handshakeMs() : c.elapsedMs())
                / 1000.0;
        for (int i = 0; i < BUCKETS.length; i++) {
          if (seconds <= BUCKETS[i]) {
            cell.buckets[i]++;
          }
        }
        cell.rttCount++;
        cell.rttSum += seconds;
      }
    }
    return flips;
  }

  private static boolean reached(CheckResult c) {
    return c.verdict().disposition().isReachable();
  }

  private static char mark(CheckResult c) {
    if (c.outcome() == Outcome.ERROR) {
      return 'e';
    }
    if (c.outcome() == Outcome.UNEXPECTED) {
      return 'u';
    }
    return reached(c) ? 'r' : 'b';
  }

  /** Whether {@code c} would flip its cell: a disposition other than the cell's last. */
  public synchronized boolean flipsWith(CheckResult c) {
    Cell cell = cells.get(c.id());
    return cell != null && cell.last.verdict().disposition() != c.verdict().disposition();
  }

  /** The cells' histories, as the HTML and JSON reports show them. */
  public synchronized Timeline timeline() {
    List<Timeline.Cell> out = new ArrayList<>();
    for (Cell c : cells.values()) {
      out.add(new Timeline.Cell(c.id, c.firstRound, c.marks.toString(), new ArrayList<>(c.kept)));
    }
    return new Timeline(out, rounds);
  }

  /** The exit code the last round would give a run: 0 as expected, 1 unexpected, 3 error. */
  public synchronized int lastExitCode() {
    boolean unexpected = false;
    boolean error = false;
    for (Cell c : cells.values()) {
      unexpected |= c.last.outcome() == Outcome.UNEXPECTED;
      error |= c.last.outcome() == Outcome.ERROR;
    }
    return unexpected ? 1 : error ? 3 : 0;
  }

  /** How many rounds were taken in. */
  public synchronized long rounds() {
    return rounds;
  }

  /** How many times a cell flipped (tests). */
  public synchronized long flips(String checkId) {
    Cell c = cells.get(checkId);
    return c == null ? 0 : c.flips;
  }

  /** The metrics in Prometheus' text format (version 0.0.4). */
  public synchronized String prometheus() {
    StringBuilder m = new StringBuilder(256 + cells.size() * 1200);
    help(m, "netprobe_rounds_total", "counter", "Rounds the watch has run.");
    m.append("netprobe_rounds_total ").append(rounds).append('\n');
    help(m, "netprobe_round_duration_seconds", "gauge", "How long the last round took.");
    m.append("netprobe_round_duration_seconds ").append(number(lastRoundSeconds)).append('\n');
    if (lastRoundAt != null) {
      help(m, "netprobe_last_round_timestamp_seconds", "gauge", "When the last round started.");
      m.append("netprobe_last_round_timestamp_seconds ");
      m.append(number(lastRoundAt.toEpochMilli() / 1000.0)).append('\n');
    }
    help(m, "netprobe_node_up", "gauge", "Whether the node's agent answered in the last round.");
    nodesUp.forEach(
        (node, up) ->
            m.append("netprobe_node_up{node=\"")
                .append(label(node))
                .append("\"} ")
                .append(up ? 1 : 0)
                .append('\n'));
    help(m, "netprobe_cell_up", "gauge", "Whether the cell's probe reached its target.");
    for (Cell c : cells.values()) {
      m.append("netprobe_cell_up").append(labels(c)).append(' ');
      m.append(reached(c.last) ? 1 : 0).append('\n');
    }
    help(
        m,
        "netprobe_cell_as_expected",
        "gauge",
        "Whether the cell's last result was what the matrix expects.");
    for (Cell c : cells.values()) {
      m.append("netprobe_cell_as_expected").append(labels(c)).append(' ');
      m.append(c.last.outcome() == Outcome.OK ? 1 : 0).append('\n');
    }
    help(
        m,
        "netprobe_cell_loss_ratio",
        "gauge",
        "Share of the cell's last rounds (up to " + WINDOW + ") that did not reach.");
    for (Cell c : cells.values()) {
      long lost = c.marks.chars().filter(ch -> ch != 'r').count();
      m.append("netprobe_cell_loss_ratio").append(labels(c)).append(' ');
      m.append(number(c.marks.length() == 0 ? 0 : (double) lost / c.marks.length())).append('\n');
    }
    help(
        m,
        "netprobe_cell_disposition",
        "gauge",
        "The cell's disposition in the last round (1), one series per disposition seen.");
    for (Cell c : cells.values()) {
      String now = c.last.verdict().disposition().name();
      m.append("netprobe_cell_disposition").append(labels(c, "disposition", now)).append(" 1\n");
      for (Timeline.Flip f : c.kept) {
        if (!f.from().equals(now)) {
          m.append("netprobe_cell_disposition").append(labels(c, "disposition", f.from()));
          m.append(" 0\n");
        }
      }
    }
    help(m, "netprobe_cell_flips_total", "counter", "Changes of the cell's disposition.");
    for (Cell c : cells.values()) {
      m.append("netprobe_cell_flips_total").append(labels(c)).append(' ');
      m.append(c.flips).append('\n');
    }
    help(
        m,
        "netprobe_cell_rtt_seconds",
        "histogram",
        "The round trip in the rounds the cell reached: the echo's (icmp), the median"
            + " transaction's (rr), else the probe's time: handshake (tcp), banner or login (ssh),"
            + " answer (http).");
    for (Cell c : cells.values()) {
      for (int i = 0; i < BUCKETS.length; i++) {
        m.append("netprobe_cell_rtt_seconds_bucket");
        m.append(labels(c, "le", number(BUCKETS[i]))).append(' ').append(c.buckets[i]);
        m.append('\n');
      }
      m.append("netprobe_cell_rtt_seconds_bucket").append(labels(c, "le", "+Inf")).append(' ');
      m.append(c.rttCount).append('\n');
      m.append("netprobe_cell_rtt_seconds_sum").append(labels(c)).append(' ');
      m.append(number(c.rttSum)).append('\n');
      m.append("netprobe_cell_rtt_seconds_count").append(labels(c)).append(' ');
      m.append(c.rttCount).append('\n');
    }
    return m.toString();
  }

  private static void help(StringBuilder m, String name, String type, String help) {
    m.append("# HELP ").append(name).append(' ').append(help).append('\n');
    m.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String labels(Cell c) {
    return labels(c, null, null);
  }

  private static String labels(Cell c, String extra, String value) {
    StringBuilder l = new StringBuilder("{check=\"").append(label(c.id));
    l.append("\",from=\"").append(label(c.from)).append("\",to=\"").append(label(c.to));
    l.append("\",probe=\"").append(label(c.probe)).append('"');
    if (extra != null) {
      l.append(',').append(extra).append("=\"").append(label(value)).append('"');
    }
    return l.append('}').toString();
  }

  /** A label value escaped as the text format asks: backslash, quote, newline. */
  static String label(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    if (Math.abs(v) >= 1e5) {
      return String.format(Locale.ROOT, "%.3f", v); // a timestamp keeps its milliseconds
    }
    return String.format(Locale.ROOT, "%.6g", v).replaceFirst("\\.?0+($|e)", "$1");
  }
}

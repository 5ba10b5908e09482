package io.netprobe.cli.run;

import io.netprobe.agent.probe.SocketFailures;
import io.netprobe.matrix.Check;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cells a run could not check because this machine's neighbour (ARP) table was full, checked
 * again in paced waves. The table is one for every namespace of the machine: past {@code
 * net.ipv4.neigh.default.gc_thresh3} entries the kernel refuses a new neighbour (ENOBUFS) unless it
 * can drop an idle one (no longer REACHABLE, which lasts 15 to 45 s after a confirmation by
 * default, and not updated for 5 s), and then only down to {@code gc_thresh2}. So a wave starts
 * after a quiet time, {@value #QUIET_MS} ms at first and twice as long after a wave that checked
 * none of its cells, and makes no more new neighbours than {@code gc_thresh3 - gc_thresh2}: two per
 * cell (the source's entry for the target, the target's for the source), cells of one pair counted
 * once. What the table still refuses when the quiet times would pass {@value #CAP_MS} ms, or after
 * {@value #MAX_WAVES} waves, stays one finding.
 *
 * <p>The system properties {@code netprobe.paced.quiet-ms} and {@code netprobe.paced.cap-ms} set
 * the first quiet time and the cap (the lab tests shorten them).
 */
final class PacedRetries {
  static final long QUIET_MS = 5_000;
  static final long CAP_MS = 60_000;
  static final int MAX_WAVES = 8;
  private static final Path NEIGH = Path.of("/proc/sys/net/ipv4/neigh/default");
  private static final Path ARP_STATS = Path.of("/proc/net/stat/arp_cache");

  /** What the waves did: how many ran, and how long the run waited for room before them. */
  record Done(int waves, long quietMs) {
    static final Done NONE = new Done(0, 0);
  }

  private final int budget;
  private final long firstQuietMs;
  private final long capMs;

  PacedRetries(int gcThresh2, int gcThresh3, long firstQuietMs, long capMs) {
    this.budget = Math.max(8, gcThresh3 - gcThresh2 - 8);
    this.firstQuietMs = firstQuietMs;
    this.capMs = capMs;
  }

  /** With this machine's thresholds (the kernel's defaults, 512 and 1024, where unreadable). */
  static PacedRetries ofThisMachine() {
    return new PacedRetries(
        read("gc_thresh2", 512),
        read("gc_thresh3", 1024),
        Long.getLong("netprobe.paced.quiet-ms", QUIET_MS),
        Long.getLong("netprobe.paced.cap-ms", CAP_MS));
  }

  /** The quiet time before the first wave. */
  long firstQuietMs() {
    return firstQuietMs;
  }

  /**
   * The quiet time before the next wave, after one of {@code lastQuietMs} that checked {@code
   * progress} cells; -1 when the quiet times would add up to more than the cap: no more waves.
   */
  long nextQuietMs(long lastQuietMs, int progress, long waitedMs) {
    long next = progress > 0 ? firstQuietMs : 2 * lastQuietMs;
    return waitedMs + next > capMs ? -1 : next;
  }

  /** How many new neighbour entries one wave may make. */
  int budget() {
    return budget;
  }

  /** The cells whose result says a send was refused with ENOBUFS: nothing was learnt of them. */
  static List<Check> unchecked(List<Check> checks, Map<String, CheckResult> results) {
    List<Check> out = new ArrayList<>();
    for (Check c : checks) {
      CheckResult r = results.get(c.id());
      if (r != null
          && r.outcome() == Outcome.ERROR
          && SocketFailures.saysNoBufferSpace(r.verdict().reason())) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The next wave: cells in order, as many as fit the budget of new neighbours. Always at least one
   * cell, so a wave makes progress even when one cell alone is over the budget.
   */
  List<Check> wave(List<Check> cells) {
    Set<String> neighbours = new HashSet<>();
    List<Check> wave = new ArrayList<>();
    for (Check c : cells) {
      Set<String> more = new HashSet<>();
      more.add(c.from() + ">" + c.to().ip());
      c.to().node().ifPresent(node -> more.add(node + ">" + c.from()));
      more.removeAll(neighbours);
      if (!wave.isEmpty() && neighbours.size() + more.size() > budget) {
        continue;
      }
      neighbours.addAll(more);
      wave.add(c);
    }
    return wave;
  }

  /**
   * How many times this machine's kernel found its neighbour table full so far (the table_fulls of
   * {@code /proc/net/stat/arp_cache}, every CPU's); -1 where it cannot be read. A TCP connect whose
   * SYN found no room is not told (the SYN is dropped and sent again): this count is what says so.
   */
  static long overflows() {
    try {
      List<String> rows = Files.readAllLines(ARP_STATS);
      int column = List.of(rows.get(0).trim().split("\\s+")).indexOf("table_fulls");
      if (column < 0) {
        return -1;
      }
      long sum = 0;
      for (String row : rows.subList(1, rows.size())) {
        sum += Long.parseLong(row.trim().split("\\s+")[column], 16);
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static int read(String name, int otherwise) {
    try {
      // one read from offset 0: a /proc/sys file read a byte at a time gives its first byte only
      return Integer.parseInt(Files.readAllLines(NEIGH.resolve(name)).get(0).strip());
    } catch (IOException | RuntimeException e) {
      return otherwise;
    }
  }
}

package io.netprobe.cli;

import io.netprobe.cli.invocation.Invocation;
import io.netprobe.cli.run.RunListener;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a run says on stderr while it goes: a one-line progress report when stderr is a terminal,
 * warnings always, and the phases' timings with {@code NETPROBE_DEBUG} set.
 */
final class Progress implements RunListener {
  private final PrintWriter err;
  private final boolean live;
  private final boolean debug = Invocation.getenv("NETPROBE_DEBUG") != null;
  private final AtomicInteger done = new AtomicInteger();
  private volatile int total;
  private volatile int round;

  private Progress(PrintWriter err, boolean live) {
    this.err = err;
    this.live = live;
  }

  static Progress on(PrintWriter err, boolean wanted) {
    return new Progress(err, wanted && Invocation.interactive());
  }

  @Override
  public void connecting(int nodes) {
    line("connecting to " + nodes + " nodes...");
  }

  @Override
  public void roundStarted(int round, int count) {
    this.round = round;
    total = count;
    done.set(0);
    line(label() + " 0/" + count);
  }

  @Override
  public void probeDone(String checkId) {
    int n = done.incrementAndGet();
    if (n == total || n % 10 == 0) {
      line(label() + " " + n + "/" + total);
    }
  }

  @Override
  public void pacedWave(int wave, int cells, int unchecked, long waitMs) {
    // not only a progress line: the user should know why the run takes longer
    say(
        String.format(
            "netprobe: this machine's neighbour (ARP) table was full (ENOBUFS): %d cells were not"
                + " checked; checking %d of them again%s (paced wave %d)",
            unchecked, cells, waitMs > 0 ? " in " + (waitMs + 999) / 1000 + " s" : "", wave));
  }

  @Override
  public void phase(String name, long sinceNanos) {
    if (debug) {
      say(
          String.format(
              "%s after %d ms (%d ms since the JVM started, %d ms of CPU)",
              name, (System.nanoTime() - sinceNanos) / 1_000_000, uptimeMillis(), cpuMillis()));
    }
  }

  /** With {@code NETPROBE_DEBUG} set, says on {@code err} when {@code what} happened. */
  static void mark(PrintWriter err, String what) {
    if (Invocation.getenv("NETPROBE_DEBUG") != null) {
      err.printf(
          "%s %d ms since the JVM started (%d ms of CPU)%n", what, uptimeMillis(), cpuMillis());
      err.flush();
    }
  }

  private static long uptimeMillis() {
    return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
  }

  /** The CPU time of this process so far (every thread, the JIT's too). */
  private static long cpuMillis() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1_000_000;
    }
    return -1;
  }

  @Override
  public void warning(String message) {
    say("netprobe: " + message);
  }

  void done() {
    if (live) {
      err.print("\r\033[K");
      err.flush();
    }
  }

  private String label() {
    return round == 0 ? "probing" : "retrying (round " + round + ")";
  }

  private synchronized void line(String text) {
    if (live) {
      err.print("\r\033[K" + text);
      err.flush();
    }
  }

  private synchronized void say(String text) {
    err.print((live ? "\r\033[K" : "") + text + System.lineSeparator());
    err.flush();
  }
}

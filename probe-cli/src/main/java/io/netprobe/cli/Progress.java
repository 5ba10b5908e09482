package io.netprobe.cli;

import io.netprobe.cli.run.RunListener;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicInteger;

/** A one-line progress report on stderr, only when stderr is a terminal. */
class Progress implements RunListener {
  private final PrintWriter err;
  private final AtomicInteger done = new AtomicInteger();
  private volatile int total;
  private volatile int round;

  private Progress(PrintWriter err) {
    this.err = err;
  }

  static Progress on(PrintWriter err, boolean wanted) {
    return wanted && System.console() != null ? new Progress(err) : new Silent();
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
  public void phase(String name, long sinceNanos) {
    if (System.getenv("NETPROBE_DEBUG") != null) {
      err.printf("%n%s after %d ms%n", name, (System.nanoTime() - sinceNanos) / 1_000_000);
    }
  }

  void done() {
    err.print("\r\033[K");
    err.flush();
  }

  private String label() {
    return round == 0 ? "probing" : "retrying (round " + round + ")";
  }

  private synchronized void line(String text) {
    err.print("\r\033[K" + text);
    err.flush();
  }

  /** No terminal: nothing to draw. */
  private static final class Silent extends Progress {
    Silent() {
      super(null);
    }

    @Override
    public void connecting(int nodes) {}

    @Override
    public void roundStarted(int round, int count) {}

    @Override
    public void probeDone(String checkId) {}

    @Override
    public void phase(String name, long sinceNanos) {}

    @Override
    void done() {}
  }
}

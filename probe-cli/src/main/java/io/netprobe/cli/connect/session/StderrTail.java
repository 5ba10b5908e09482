package io.netprobe.cli.connect.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Drains an agent's stderr on a daemon thread and keeps its last lines for error messages. */
public final class StderrTail {
  private static final int LINES = 8;
  private final Deque<String> lines = new ArrayDeque<>();
  private final CountDownLatch ended = new CountDownLatch(1);

  /** A tail fed by add() (for transports without a separate stderr stream). */
  public StderrTail() {
    ended.countDown();
  }

  private StderrTail(boolean drained) {}

  public static StderrTail drain(InputStream err, String name) {
    StderrTail tail = new StderrTail(true);
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  tail.add(line);
                }
              } catch (IOException e) {
                // the agent is gone; what we have is all there is
              } finally {
                tail.ended.countDown();
              }
            },
            "np-stderr-" + name);
    t.setDaemon(true);
    t.start();
    return tail;
  }

  public synchronized void add(String line) {
    if (lines.size() == LINES) {
      lines.removeFirst();
    }
    lines.addLast(line.length() > 300 ? line.substring(0, 300) + "..." : line);
  }

  /** Waits (bounded) for the stream's end, so that an agent's last words are in the tail. */
  void awaitEnd(long millis) {
    try {
      ended.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines, joined with " | ", or "" when nothing was written. */
  synchronized String text() {
    return String.join(" | ", lines);
  }
}

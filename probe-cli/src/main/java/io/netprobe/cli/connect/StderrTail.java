package io.netprobe.cli.connect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** Drains an agent's stderr on a daemon thread and keeps its last lines for error messages. */
final class StderrTail {
  private static final int LINES = 8;
  private final Deque<String> lines = new ArrayDeque<>();

  /** A tail that stays empty (for transports without a separate stderr). */
  StderrTail() {}

  static StderrTail drain(InputStream err, String name) {
    StderrTail tail = new StderrTail();
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
              }
            },
            "np-stderr-" + name);
    t.setDaemon(true);
    t.start();
    return tail;
  }

  synchronized void add(String line) {
    if (lines.size() == LINES) {
      lines.removeFirst();
    }
    lines.addLast(line.length() > 300 ? line.substring(0, 300) + "..." : line);
  }

  /** The last lines, joined with " | ", or "" when nothing was written. */
  synchronized String text() {
    return String.join(" | ", lines);
  }
}

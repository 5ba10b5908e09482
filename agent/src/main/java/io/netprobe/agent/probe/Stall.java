package io.netprobe.agent.probe;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The watchdog of a blocking measurement: the measuring thread says by when its current step must
 * end ({@link #until}); a thread of its own looks every quarter of the timeout and closes the
 * channel (a TCP connection, a UDP socket) once that time has passed, which ends the blocked read
 * with an exception. A blocking read costs one system call where a selector's wait and read cost
 * two, and a measurement counts every microsecond of a round trip.
 */
final class Stall implements AutoCloseable {
  private final Channel channel;
  private final Thread thread;
  private volatile long deadline = Long.MAX_VALUE;
  private volatile boolean fired;
  private volatile boolean closed;

  private Stall(Channel channel, long timeoutNanos) {
    this.channel = channel;
    long periodMs = Math.max(1, timeoutNanos / 4_000_000L);
    this.thread = new Thread(() -> watch(periodMs), "np-rr-stall");
    thread.setDaemon(true);
  }

  /**
   * Takes {@code channel} off {@code selector} and into blocking mode, and starts watching it; a
   * step that has not ended {@code timeoutNanos} after it began closes it.
   */
  static Stall blocking(SelectableChannel channel, Selector selector, long timeoutNanos)
      throws IOException {
    SelectionKey key = channel.keyFor(selector);
    if (key != null) {
      key.cancel();
      selector.selectNow(); // a cancelled key leaves the selector at its next selection
    }
    channel.configureBlocking(true);
    return watching(channel, timeoutNanos);
  }

  /** Starts watching a channel that is already in blocking mode. */
  static Stall watching(Channel channel, long timeoutNanos) {
    Stall stall = new Stall(channel, timeoutNanos);
    stall.thread.start();
    return stall;
  }

  /** The current step must end by {@code nanoTime}. */
  void until(long nanoTime) {
    deadline = nanoTime;
  }

  /** True when the watchdog closed the connection. */
  boolean fired() {
    return fired;
  }

  private void watch(long periodMs) {
    try {
      while (!closed) {
        Thread.sleep(periodMs);
        if (!closed && System.nanoTime() - deadline > 0) {
          fired = true;
          channel.close();
          return;
        }
      }
    } catch (InterruptedException | IOException e) {
      // closed: the measurement is over
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}

package io.netprobe.agent.icmp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;

/**
 * Runs every ICMP echo exchange of one network namespace on one thread: it opens their sockets
 * (there, so in the namespace), polls them all at once and keeps their timers. A thousand pings
 * then cost no thread each: before, every ping blocked a thread of its own for its whole timeout,
 * and starting hundreds of threads at once held the agents up for a good part of a second.
 */
public final class EchoReactor implements AutoCloseable {
  /** One exchange, driven by the reactor's thread only. */
  public interface Exchange {
    /** Opens the socket and sends what is due; may finish at once (no route, no socket). */
    void start(long nowNanos);

    /** The socket to poll; -1 when there is none. */
    int fd();

    /** The socket has something ({@code revents} as poll gave them). */
    void ready(short revents);

    /** When the exchange wants {@link #tick} next (System.nanoTime). */
    long wakeAt();

    /** Sends what is due, or gives up at the deadline. */
    void tick(long nowNanos);

    boolean done();

    /** The reactor closes before the exchange ended: finish with {@code why}. */
    void abort(String why);
  }

  private static final LibC C = LibC.INSTANCE;
  private final Queue<Exchange> incoming = new ConcurrentLinkedQueue<>();
  private final int wakeFd;
  private final byte[] one = {1, 0, 0, 0, 0, 0, 0, 0};
  private volatile boolean closed;
  private boolean wakeFdOpen = true;

  /** Starts the reactor's thread from {@code threads} (a thread of the namespace). */
  public EchoReactor(ThreadFactory threads) {
    this.wakeFd = C.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
    Thread t = threads.newThread(this::run);
    t.setDaemon(true);
    t.start();
  }

  /** Hands an exchange to the reactor's thread; any thread may call it. */
  public void submit(Exchange exchange) {
    incoming.add(exchange);
    if (closed && incoming.remove(exchange)) { // else the reactor took it, and ends it
      exchange.abort("the agent is closing");
      return;
    }
    wake();
  }

  private synchronized void wake() {
    if (wakeFdOpen) {
      C.write(wakeFd, one, 8);
    }
  }

  private void run() {
    List<Exchange> active = new ArrayList<>();
    byte[] drain = new byte[8];
    Memory fds = new Memory(8L * 64);
    try {
      while (!closed) {
        for (Exchange x; (x = incoming.poll()) != null; ) {
          Exchange starting = x;
          guard(x, () -> starting.start(System.nanoTime())); // its timeout runs from its echo
          if (!x.done()) {
            active.add(x);
          }
        }
        long now = System.nanoTime();
        long wake = Long.MAX_VALUE;
        for (Exchange x : active) {
          if (now >= x.wakeAt()) {
            guard(x, () -> x.tick(now));
          }
          if (!x.done()) {
            wake = Math.min(wake, x.wakeAt());
          }
        }
        active.removeIf(Exchange::done);
        int n = active.size() + 1;
        if (fds.size() < 8L * n) {
          fds = new Memory(8L * Math.max(n, 2 * (fds.size() / 8)));
        }
        fds.clear(8L * n);
        fds.setInt(0, wakeFd);
        fds.setShort(4, LibC.POLLIN);
        for (int i = 0; i < active.size(); i++) {
          fds.setInt(8L * (i + 1), active.get(i).fd());
          fds.setShort(8L * (i + 1) + 4, (short) (LibC.POLLIN | LibC.POLLERR));
        }
        int timeoutMs =
            wake == Long.MAX_VALUE
                ? -1
                : (int) Math.max(0, (wake - System.nanoTime() + 999_999) / 1_000_000);
        try {
          if (C.poll(fds, n, timeoutMs) <= 0) {
            continue;
          }
        } catch (LastErrorException e) {
          continue; // EINTR
        }
        if ((fds.getShort(6) & LibC.POLLIN) != 0) {
          C.read(wakeFd, drain, 8);
        }
        for (int i = 0; i < active.size(); i++) {
          short revents = fds.getShort(8L * (i + 1) + 6);
          if (revents != 0) {
            Exchange x = active.get(i);
            guard(x, () -> x.ready(revents));
          }
        }
        active.removeIf(Exchange::done);
      }
    } finally {
      active.forEach(x -> x.abort("the agent closed while the echo was in flight"));
      for (Exchange x; (x = incoming.poll()) != null; ) {
        x.abort("the agent closed before the echo was sent");
      }
      synchronized (this) {
        wakeFdOpen = false;
        C.close(wakeFd);
      }
    }
  }

  /** One exchange's failure (a socket call JNA could not make...) ends it, not the reactor. */
  private static void guard(Exchange x, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      x.abort("the echo failed: " + e);
    }
  }

  /** Stops the thread; exchanges in flight end as aborted. */
  @Override
  public void close() {
    closed = true;
    wake();
  }
}

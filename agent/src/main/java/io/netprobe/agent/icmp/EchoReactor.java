package io.netprobe.agent.icmp;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Runs ICMP echo exchanges on one thread: it opens their sockets, polls them all at once and keeps
 * their timers. A thousand pings then cost no thread each: before, every ping blocked a thread of
 * its own for its whole timeout, and starting hundreds of threads at once held the agents up for a
 * good part of a second.
 *
 * <p>The JVM has {@link #REACTORS} of them for every namespace of its agents ({@link #of}): an
 * exchange starts inside its namespace (the reactor's thread enters it for the route lookup and the
 * socket, and goes back), and its socket stays the namespace's. A reactor per namespace was a
 * thread start per namespace and run.
 */
public final class EchoReactor {
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

  /** Reactors for the whole JVM: as many as cores, up to two (this machine's). */
  static final int REACTORS = Math.min(2, Runtime.getRuntime().availableProcessors());

  private static final EchoReactor[] SHARED = new EchoReactor[REACTORS];

  /** An exchange and the namespace it runs in; a null exchange: that namespace closed. */
  private record Entry(Echoes of, Exchange x) {}

  private final Queue<Entry> incoming = new ConcurrentLinkedQueue<>();
  private final WakeablePoll poll = new WakeablePoll();

  /**
   * A namespace's echoes: handed to a reactor of the JVM, ended when {@link Echoes#close} is called
   * (its agent closes).
   */
  public static final class Echoes implements AutoCloseable {
    private final Consumer<Runnable> inside;
    private final EchoReactor reactor;
    private volatile boolean closed;

    private Echoes(Consumer<Runnable> inside, EchoReactor reactor) {
      this.inside = inside;
      this.reactor = reactor;
    }

    /** Hands an exchange to the reactor's thread; any thread may call it. */
    public void submit(Exchange exchange) {
      if (closed) {
        exchange.abort("the agent is closing");
        return;
      }
      reactor.incoming.add(new Entry(this, exchange));
      reactor.wake();
    }

    /** Ends this namespace's exchanges in flight (as aborted) and refuses new ones. */
    @Override
    public void close() {
      closed = true;
      reactor.incoming.add(new Entry(this, null));
      reactor.wake();
    }
  }

  /**
   * The echoes of a namespace, on one of the JVM's reactors (started on first use, its thread made
   * by {@code threads}, which must put it in the process's own namespace): {@code inside} runs a
   * step inside the namespace ({@code NetNamespace.inside}), {@code owner} picks the reactor.
   */
  public static Echoes of(Object owner, Consumer<Runnable> inside, ThreadFactory threads) {
    int i = Math.floorMod(System.identityHashCode(owner), REACTORS);
    synchronized (SHARED) {
      if (SHARED[i] == null) {
        SHARED[i] = new EchoReactor(threads);
      }
      return new Echoes(inside, SHARED[i]);
    }
  }

  /** Starts the reactor's thread. */
  private EchoReactor(ThreadFactory threads) {
    threads.newThread(this::run).start();
  }

  private void wake() {
    poll.wake();
  }

  private void run() {
    List<Entry> active = new ArrayList<>();
    while (true) {
      for (Entry e; (e = incoming.poll()) != null; ) {
        Echoes of = e.of();
        Exchange x = e.x();
        if (x == null) { // the namespace's agent closed
          active.removeIf(
              a -> {
                if (a.of() == of) {
                  a.x().abort("the agent closed while the echo was in flight");
                  return true;
                }
                return false;
              });
          continue;
        }
        if (of.closed) {
          x.abort("the agent closed before the echo was sent");
          continue;
        }
        // its timeout runs from its echo; the route lookup and the socket are the namespace's
        guard(x, () -> of.inside.accept(() -> x.start(System.nanoTime())));
        if (!x.done()) {
          active.add(e);
        }
      }
      long now = System.nanoTime();
      long wake = Long.MAX_VALUE;
      for (Entry e : active) {
        Exchange x = e.x();
        if (now >= x.wakeAt()) {
          guard(x, () -> x.tick(now));
        }
        if (!x.done()) {
          wake = Math.min(wake, x.wakeAt());
        }
      }
      active.removeIf(e -> e.x().done());
      int timeoutMs =
          wake == Long.MAX_VALUE
              ? -1
              : (int) Math.max(0, (wake - System.nanoTime() + 999_999) / 1_000_000);
      if (!poll.poll(
          active.size(),
          i -> active.get(i).x().fd(),
          (short) (LibC.POLLIN | LibC.POLLERR),
          timeoutMs)) {
        continue;
      }
      for (int i = 0; i < active.size(); i++) {
        short revents = poll.revents(i);
        if (revents != 0) {
          Exchange x = active.get(i).x();
          guard(x, () -> x.ready(revents));
        }
      }
      active.removeIf(e -> e.x().done());
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
}

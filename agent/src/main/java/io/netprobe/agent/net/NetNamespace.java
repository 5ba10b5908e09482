package io.netprobe.agent.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import io.netprobe.agent.icmp.EchoReactor;
import io.netprobe.agent.icmp.IcmpErrorTap;
import io.netprobe.agent.icmp.ReceiveTimestamps;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The network namespace an agent works in, and the threads it works on there.
 *
 * <p>Linux gives a socket the network namespace of the thread that opens it, and a new thread the
 * namespace of the thread that starts it. An agent started by {@code ip netns exec}, in a container
 * or on a VM lives in its process's namespace ({@link #process()}) and nothing here has to happen.
 * An agent that shares a JVM with others ({@link #enter(Path)}: the coordinator serves every {@code
 * netns} node of this machine in-process, one JVM instead of one per namespace) enters its
 * namespace with setns(2) on every thread it runs on. This class owns those threads: its own ones
 * ({@link #thread}, the Netty loop, the echo reactor) and its tasks on the workers every namespace
 * shares ({@link #workers()}: a task enters, runs and leaves); whatever they start (a capture
 * reader, a listener, JSch's threads) inherits the namespace from them.
 */
public final class NetNamespace implements AutoCloseable {
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;
  private static final int CLONE_NEWNET = 0x40000000;
  private static final int CLONE_NEWUTS = 0x04000000;
  private static final NetNamespace PROCESS = new NetNamespace(null, null);

  private final Path file;

  /**
   * Where the files of the namespace's processes are ({@code /proc/PID/root} of a container); null:
   * this machine's own, as under {@code ip netns exec}.
   */
  private final Path root;

  /** The namespace file, open while this lives: every new thread enters with one setns call. */
  private volatile int fd = -1;

  /** A container's UTS namespace (its host name), entered beside the network one; -1: none. */
  private volatile int utsFd = -1;

  /** Held while a thread enters with the files and while they close. */
  private final Object files = new Object();

  private static final AtomicInteger REACTOR_NUMBER = new AtomicInteger();
  private final AtomicInteger threads = new AtomicInteger();
  private final IcmpErrorTap.Slot icmpErrors =
      new IcmpErrorTap.Slot(task -> observerInOwn("np-icmp-taps", task));
  private volatile EventLoopGroup loop;
  private volatile Workers workers;

  /** What workers keep here between their tasks (a netlink socket), by key; closed with this. */
  private final java.util.Map<Object, java.util.concurrent.ConcurrentLinkedDeque<AutoCloseable>>
      spare = new java.util.concurrent.ConcurrentHashMap<>();

  private volatile EchoReactor.Echoes echoes;
  private volatile HostResolver resolver;

  private NetNamespace(Path file, Path root) {
    this.file = file;
    this.root = root;
  }

  /** The namespace this process runs in; shared, never closed. */
  public static NetNamespace process() {
    return PROCESS;
  }

  /**
   * A namespace of this machine by its file ({@code /run/netns/NAME}, {@code /proc/PID/ns/net});
   * checks now that it can be entered. Close it to stop its threads.
   */
  public static NetNamespace enter(Path file) {
    NetNamespace ns = new NetNamespace(file, null);
    ns.fd = open(file);
    return ns.tried();
  }

  /**
   * The namespaces of a process of this machine, a container's main process: its network and UTS
   * namespaces ({@code /proc/PID/ns/net}, {@code uts}), and its files ({@code /proc/PID/root}: the
   * hosts file and resolv.conf its programs read). What a sidecar sharing the container's network
   * sees, without starting one. Close it to stop its threads.
   */
  public static NetNamespace ofProcess(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    NetNamespace ns = new NetNamespace(proc.resolve("ns/net"), proc.resolve("root"));
    ns.fd = open(ns.file);
    try {
      ns.utsFd = open(proc.resolve("ns/uts"));
    } catch (IllegalStateException e) {
      ns.close();
      throw e;
    }
    return ns.tried();
  }

  private static int open(Path file) {
    try {
      return LibC.INSTANCE.open(file.toString(), O_RDONLY | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IllegalStateException(
          "cannot open namespace " + file + " (errno " + e.getErrorCode() + ")", e);
    }
  }

  /** This, once a worker has entered it; closed and the failure thrown if none can. */
  private NetNamespace tried() {
    try {
      on(workers0().supply(() -> null));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  /** The file of a namespace made by {@code ip netns add NAME}. */
  public static Path named(String name) {
    return Path.of("/run/netns", name);
  }

  /** Where this agent's /proc/net is: the calling thread's namespace, not the process's. */
  public static Path procNet() {
    Path threadSelf = Path.of("/proc/thread-self/net");
    return Files.isDirectory(threadSelf) ? threadSelf : Path.of("/proc/self/net");
  }

  /** The namespace's file; null for the process's own. */
  public Path file() {
    return file;
  }

  /**
   * The /etc of the namespace's processes where they have files of their own (a container's); null
   * where they share this machine's (a namespace of {@code ip netns add}, the process's own).
   */
  public Path etc() {
    return root == null ? null : root.resolve("etc");
  }

  /**
   * Moves the calling thread into this namespace (nothing for the process's own); true when it
   * entered a UTS namespace too.
   */
  public boolean enterHere() {
    if (file == null) {
      return false;
    }
    // with the files open: a number closed meanwhile could be another namespace's file by now
    synchronized (files) {
      int open = fd;
      if (open < 0) {
        throw new IllegalStateException("network namespace " + file + " is closed");
      }
      try {
        LibC.INSTANCE.setns(open, CLONE_NEWNET);
        int uts = utsFd;
        if (uts >= 0) {
          LibC.INSTANCE.setns(uts, CLONE_NEWUTS);
        }
        return uts >= 0;
      } catch (LastErrorException e) {
        throw new IllegalStateException(
            "cannot enter network namespace "
                + file
                + " (errno "
                + e.getErrorCode()
                + "; needs root or CAP_SYS_ADMIN)",
            e);
      }
    }
  }

  /**
   * The namespace a thread of the process's own runs a task in now ({@link #inside}, a worker's);
   * null outside one.
   */
  private static final ThreadLocal<NetNamespace> CURRENT = new ThreadLocal<>();

  /**
   * Runs {@code task} on the calling thread inside this namespace, then goes back to the process's
   * own: for a thread that lives there and serves many namespaces (an echo reactor's). Throws, and
   * runs nothing, when this namespace cannot be entered (closed).
   */
  public void inside(Runnable task) {
    if (CURRENT.get() != null || Thread.currentThread() instanceof Member) {
      throw new IllegalStateException("inside() from a thread already in a namespace");
    }
    boolean uts = enterHere();
    CURRENT.set(this);
    try {
      task.run();
    } finally {
      CURRENT.remove();
      if (file != null) { // the process's own was never left (nor may be, without root)
        toOwn(true, uts);
      }
    }
  }

  /** The process's own namespaces, where a worker waits between tasks. */
  private static final class Own {
    static final int NET = open(Path.of("/proc/self/ns/net")); // the first thread's: it never moves
    static final int UTS = open(Path.of("/proc/self/ns/uts"));
  }

  /**
   * Moves the calling thread to the process's own network and/or UTS namespace; a thread that
   * cannot go ends (an Error), never to run another namespace's task where it is.
   */
  private static void toOwn(boolean net, boolean uts) {
    try {
      if (net) {
        LibC.INSTANCE.setns(Own.NET, CLONE_NEWNET);
      }
      if (uts) {
        LibC.INSTANCE.setns(Own.UTS, CLONE_NEWUTS);
      }
    } catch (LastErrorException | IllegalStateException e) {
      throw new Error("a thread cannot go to this process's own namespace: " + e);
    }
  }

  /**
   * A daemon thread (not started) that first moves to the process's own namespaces: one that
   * outlives the task that made it (a shared reader, a timer) must not hold its maker's namespace,
   * a lab's maybe, for its life (a namespace with a thread in it outlives {@code ip netns del}).
   */
  public static Thread threadInOwn(String name, Runnable task) {
    Thread t =
        new Thread(
            () -> {
              startInOwn();
              task.run();
            },
            name);
    t.setDaemon(true);
    return t;
  }

  /**
   * {@link #threadInOwn} for a thread that watches what the probes do (reads the captures, the echo
   * replies, the ICMP errors): it runs with a nice value {@value #OBSERVER_NICE} below the
   * process's where the process may (root, CAP_SYS_NICE), a threefold share of a busy core. A run
   * of thousands of probes keeps both cores busy setting them up; a reader starved behind them read
   * a target's capture late, and a silence it could have decided in 50 ms waited out the timeout (a
   * mesh of 40 namespaces: ~1 s more). The readers only work when a packet comes.
   */
  public static Thread observerInOwn(String name, Runnable task) {
    return threadInOwn(
        name,
        () -> {
          raisePriority();
          task.run();
        });
  }

  static final int OBSERVER_NICE = 5;

  /**
   * The calling thread's nice value lowered by {@link #OBSERVER_NICE}; as it was if not allowed.
   */
  private static void raisePriority() {
    try {
      int now = LibC.INSTANCE.getpriority(PRIO_PROCESS, 0);
      LibC.INSTANCE.setpriority(PRIO_PROCESS, 0, Math.max(-20, now - OBSERVER_NICE));
    } catch (LastErrorException | UnsatisfiedLinkError e) {
      // not allowed (no CAP_SYS_NICE): the thread runs at the process's priority
    }
  }

  /** setpriority's "which": on Linux, who = 0 is the calling thread (a nice value per thread). */
  private static final int PRIO_PROCESS = 0;

  /** Moves a new thread born inside some namespace (its maker's) to the process's own ones. */
  private static void startInOwn() {
    toOwn(!sameAsProcess("net"), !sameAsProcess("uts"));
  }

  private static boolean sameAsProcess(String kind) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/thread-self/ns", kind))
          .equals(Files.readSymbolicLink(Path.of("/proc/self/ns", kind)));
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return true; // no /proc to tell: nothing was entered on such a system either
    }
  }

  /**
   * Calls {@code use} with what the calling thread may reuse in the namespace it works in, opened
   * by {@code open} when there is none (null when it cannot be): a namespace thread's own, or one a
   * worker takes for its task and gives back after. Elsewhere {@code use} gets a fresh one, closed
   * after.
   */
  public static <T extends AutoCloseable, R> R withKept(
      Object key, java.util.function.Supplier<T> open, java.util.function.Function<T, R> use) {
    if (Thread.currentThread() instanceof Member member) {
      return use.apply(member.kept(key, open));
    }
    NetNamespace ns = CURRENT.get();
    if (ns != null) {
      return ns.withSpare(key, open, use);
    }
    T fresh = open.get();
    try {
      return use.apply(fresh);
    } finally {
      closeQuietly(fresh);
    }
  }

  @SuppressWarnings("unchecked")
  private <T extends AutoCloseable, R> R withSpare(
      Object key, java.util.function.Supplier<T> open, java.util.function.Function<T, R> use) {
    java.util.concurrent.ConcurrentLinkedDeque<AutoCloseable> kept =
        spare.computeIfAbsent(key, k -> new java.util.concurrent.ConcurrentLinkedDeque<>());
    T have = (T) kept.pollFirst();
    if (have == null) {
      have = open.get();
    }
    try {
      return use.apply(have);
    } finally {
      if (have != null) {
        synchronized (files) {
          if (fd >= 0 || file == null) {
            kept.addFirst(have);
            have = null;
          }
        }
        closeQuietly(have); // this namespace closed meanwhile
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // a socket that will not close: nothing more to do
      }
    }
  }

  /** Daemon threads that enter this namespace before they run anything. */
  public ThreadFactory threads(String prefix) {
    return r -> {
      Thread t = new Member(this, r, prefix + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * A thread of {@link #threads}: it stays in its namespace for life, so what it opens there for
   * itself (a netlink socket it asks on again and again) is kept with it and closed when it ends.
   */
  public static final class Member extends Thread {
    private final java.util.Map<Object, AutoCloseable> kept = new java.util.HashMap<>();

    private Member(NetNamespace ns, Runnable task, String name) {
      super(
          () -> {
            try {
              ns.enterHere();
              task.run();
            } finally {
              ((Member) Thread.currentThread()).closeKept();
            }
          },
          name);
    }

    /**
     * What this thread keeps under {@code key}, opened by {@code open} on first use (null when it
     * cannot be, tried again next time). Only the thread itself may call this.
     */
    @SuppressWarnings("unchecked")
    public <T extends AutoCloseable> T kept(Object key, java.util.function.Supplier<T> open) {
      if (Thread.currentThread() != this) {
        throw new IllegalStateException("kept() of " + getName() + " from another thread");
      }
      T have = (T) kept.get(key);
      if (have == null) {
        have = open.get();
        if (have != null) {
          kept.put(key, have);
        }
      }
      return have;
    }

    private void closeKept() {
      for (AutoCloseable c : kept.values()) {
        try {
          c.close();
        } catch (Exception e) {
          // a socket that will not close: nothing to do at a thread's end
        }
      }
      kept.clear();
    }
  }

  /** A started daemon thread running {@code task} in this namespace. */
  public Thread thread(String name, Runnable task) {
    Thread t = threads(name).newThread(task);
    t.start();
    return t;
  }

  /** Calls {@code task} on a fresh thread in this namespace; rethrows its failure. */
  public <T> T call(Callable<T> task) {
    ExecutorService one = Executors.newSingleThreadExecutor(threads("np-netns-call"));
    try {
      return on(one.submit(task));
    } finally {
      one.shutdownNow();
    }
  }

  private <T> T on(java.util.concurrent.Future<T> running) {
    try {
      return running.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted in network namespace " + file, e);
    }
  }

  /**
   * The Netty event loop of this namespace, started on first use (an agent that only says hello
   * never starts it). NIO transport: it keeps ENETUNREACH and EHOSTUNREACH apart.
   */
  public EventLoopGroup loop() {
    EventLoopGroup g = loop;
    if (g == null) {
      synchronized (this) {
        if (loop == null) {
          loop = new MultiThreadIoEventLoopGroup(1, threads("np-loop"), NioIoHandler.newFactory());
          if (this == PROCESS) {
            stopAtExit(loop);
          }
        }
        g = loop;
      }
    }
    return g;
  }

  /**
   * The process's own namespace is never closed, and its loop would sit in epoll_wait when the JVM
   * exits: HotSpot's exit waits, 10 ms at a time and up to 300 ms, for every thread in native code
   * to come back (a third of a one-check run's wall time). Stopped at exit instead.
   */
  private static void stopAtExit(EventLoopGroup loop) {
    try {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () ->
                      loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS)
                          .awaitUninterruptibly(100),
                  "np-loop-stop"));
    } catch (IllegalStateException exiting) {
      // the JVM exits already: it waits for the loop, as before
    }
  }

  /**
   * Runs blocking work (ops, SSH and UDP probes) in this namespace, on the workers every namespace
   * shares ({@link Workers}); rejects it once this is closed.
   */
  public Executor workers() {
    return workers0();
  }

  private Workers workers0() {
    Workers w = workers;
    if (w == null) {
      synchronized (this) {
        if (workers == null) {
          workers = new Workers(this);
        }
        w = workers;
      }
    }
    return w;
  }

  /**
   * Keeps the kernel stamping received packets before the first echo ({@link ReceiveTimestamps}),
   * with a socket of the process's own namespace: a socket holds its namespace, and one opened here
   * would keep a deleted lab namespace, and the links it had, alive for the JVM's life.
   */
  private void keepReceiveTimestamps() {
    if (ReceiveTimestamps.kept()) {
      return;
    }
    if (file == null) {
      ReceiveTimestamps.keepOn();
      return;
    }
    NetNamespace own;
    try {
      own = enter(Path.of("/proc/self/ns/net")); // the first thread's: no thread of it ever moves
    } catch (IllegalStateException e) {
      return; // the stamps stay as they are, as before there was a keeper
    }
    try {
      own.call(
          () -> {
            ReceiveTimestamps.keepOn();
            return null;
          });
    } finally {
      own.close();
    }
  }

  /** Where this namespace's ICMP echoes run, all at once: a reactor of the JVM's. */
  public EchoReactor.Echoes echoes() {
    EchoReactor.Echoes e = echoes;
    if (e == null) {
      synchronized (this) {
        if (echoes == null) {
          keepReceiveTimestamps();
          echoes =
              EchoReactor.of(
                  this,
                  this::inside,
                  task -> observerInOwn("np-icmp-echo-" + REACTOR_NUMBER.incrementAndGet(), task));
        }
        e = echoes;
      }
    }
    return e;
  }

  /** How names resolve here: this namespace's hosts file, resolv.conf and sockets. */
  public HostResolver resolver() {
    HostResolver r = resolver;
    if (r == null) {
      synchronized (this) {
        if (resolver == null) {
          resolver = HostResolver.of(this);
        }
        r = resolver;
      }
    }
    return r;
  }

  /** The raw ICMP socket that hears errors for TCP and UDP probes here (one per namespace). */
  public IcmpErrorTap.Slot icmpErrors() {
    return icmpErrors;
  }

  /** Stops this namespace's threads; the process's own namespace stays. */
  @Override
  public synchronized void close() {
    if (this == PROCESS) {
      return;
    }
    if (loop != null) {
      loop.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
    }
    if (workers != null) {
      workers.close();
    }
    if (echoes != null) {
      echoes.close();
    }
    icmpErrors.close();
    synchronized (files) {
      spare.values().forEach(kept -> kept.forEach(NetNamespace::closeQuietly));
      spare.clear();
      if (fd >= 0) {
        LibC.INSTANCE.close(fd);
        fd = -1;
      }
      if (utsFd >= 0) {
        LibC.INSTANCE.close(utsFd);
        utsFd = -1;
      }
    }
  }

  @Override
  public String toString() {
    return file == null ? "this process's network namespace" : "network namespace " + file;
  }

  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int open(String path, int flags) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int close(int fd);

    int getpriority(int which, int who) throws LastErrorException;

    int setpriority(int which, int who, int prio) throws LastErrorException;
  }
}

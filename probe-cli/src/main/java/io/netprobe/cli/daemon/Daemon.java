package io.netprobe.cli.daemon;

import io.netprobe.cli.connect.cleanup.Reaper;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.report.model.ExitCode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * {@code netprobe daemon}: a JVM kept up between commands, as Gradle's daemon is. A cold JVM spends
 * most of a short run loading, linking and compiling the code it runs once; a warm one has it
 * compiled. The client ({@link DaemonClient}, in the command's own short JVM) sends the arguments,
 * environment and terminal (its working directory is the daemon's: it is part of the address,
 * {@link DaemonAddress}); the daemon runs the command as that process would (one at a time: another
 * client meanwhile runs its own), sends its stdout, stderr and exit code back, and on the client's
 * Ctrl-C (or its death) cleans up what the command started and exits, as the command's own JVM
 * would have. It exits by itself when idle for its time, when the jar is rebuilt (a client of the
 * new build has another address) or its socket is removed.
 */
public final class Daemon {
  private final Path socket;
  private final String identity;
  private final Duration idle;
  private final PrintWriter log;
  private final ToIntFunction<String[]> command;
  private final Instant since = Instant.now();
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicInteger served = new AtomicInteger();
  private volatile long lastUsed = System.nanoTime();
  private volatile boolean stopping;

  private Daemon(
      Path socket,
      String identity,
      Duration idle,
      PrintWriter log,
      ToIntFunction<String[]> command) {
    this.command = command;
    this.socket = socket;
    this.identity = identity;
    this.idle = idle;
    this.log = log;
  }

  /**
   * Serves at this process's address until idle for {@code idle} (zero: never) or stopped, running
   * each client's arguments with {@code command} (the CLI's, which returns their exit code); says
   * what it does on {@code log}. Returns at once, 0, when another daemon serves there already.
   */
  public static int serve(Duration idle, PrintWriter log, ToIntFunction<String[]> command)
      throws IOException {
    Path dir = DaemonAddress.dir(Invocation.env());
    DaemonAddress.create(dir);
    Path socket = DaemonAddress.socket(dir);
    if (Files.exists(socket) && DaemonControl.ask(socket, Wire.STATUS) != null) {
      log.println("netprobe daemon: one serves " + socket + " already");
      log.flush();
      return 0;
    }
    Files.deleteIfExists(socket); // a killed daemon's
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Object key = inode(socket);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    if (key.equals(inode(socket))) {
                      Files.delete(socket);
                      // kept only when a start failed, for its "see LOG"
                      Files.deleteIfExists(DaemonAddress.log(socket));
                    }
                  } catch (IOException gone) {
                    // removed already
                  }
                },
                "np-daemon-socket"));
    Daemon d = new Daemon(socket, DaemonAddress.identity(), idle, log, command);
    d.say("serving " + socket + " (pid " + ProcessHandle.current().pid() + ")");
    Thread watch = new Thread(() -> d.watch(key), "np-daemon-watch");
    watch.setDaemon(true);
    watch.start();
    while (true) {
      SocketChannel ch = server.accept();
      Thread t = new Thread(() -> d.handle(ch), "np-daemon-client");
      t.start();
    }
  }

  /** Exits when idle too long, when the jar changed or when the socket is no longer this one's. */
  private void watch(Object key) {
    while (true) {
      try {
        Thread.sleep(1000);
        String why = null;
        if (!key.equals(Files.exists(socket) ? inode(socket) : null)) {
          why = "its socket was removed";
        } else if (!identity.equals(DaemonAddress.identity())) {
          why = "the jar was rebuilt";
        } else if (!idle.isZero() && !busy.get() && System.nanoTime() - lastUsed > idle.toNanos()) {
          why = "idle for " + idle.toMinutes() + " min";
        }
        if (why != null) {
          exitUnlessBusy(why);
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        // asked again in a second
      }
    }
  }

  /** Exits, saying {@code why}, unless a command runs (another client's may have just begun). */
  private void exitUnlessBusy(String why) {
    if (busy.compareAndSet(false, true)) {
      say("exits: " + why);
      System.exit(0);
    }
  }

  /** The socket file's inode: another daemon's socket at the same path has another. */
  private static Object inode(Path socket) throws IOException {
    return Files.readAttributes(socket, "unix:ino").get("ino");
  }

  private void handle(SocketChannel ch) {
    try (ch) {
      if (!samePeer(ch)) {
        return;
      }
      Wire.Reader in = new Wire.Reader(ch);
      Wire.Request r = Wire.readRequest(in);
      switch (r.kind()) {
        case Wire.STATUS -> {
          Wire.send(ch, Wire.text(status()));
          Wire.send(ch, Wire.exit(0));
        }
        case Wire.STOP -> {
          stopping = true;
          Wire.send(ch, Wire.exit(0));
          exitUnlessBusy("stopped"); // else after the command it runs
        }
        case Wire.RUN -> {
          if (stopping || !busy.compareAndSet(false, true)) {
            Wire.send(ch, Wire.one(Wire.BUSY));
            return;
          }
          try {
            run(r, ch, in);
          } finally {
            lastUsed = System.nanoTime();
            busy.set(false);
          }
          if (stopping) {
            exitUnlessBusy("stopped");
          }
        }
        default -> throw new IOException("unknown request " + r.kind());
      }
    } catch (IOException e) {
      say("a client's connection failed: " + e.getMessage());
    }
  }

  /** Runs the client's command with its environment, terminal and output. */
  private void run(Wire.Request r, SocketChannel ch, Wire.Reader in) throws IOException {
    Object lock = new Object();
    Charset cs = Charset.defaultCharset();
    PrintStream out =
        new PrintStream(new BufferedOutputStream(Wire.frames(ch, Wire.OUT, lock), 8192), true, cs);
    PrintStream err = new PrintStream(Wire.frames(ch, Wire.ERR, lock), true, cs);
    AtomicBoolean done = new AtomicBoolean();
    synchronized (lock) {
      Wire.send(ch, Wire.one(Wire.STARTED));
    }
    Thread cancel =
        new Thread(
            () -> {
              try {
                in.readByte(); // CANCEL, or the end: the client is gone
              } catch (IOException gone) {
                // the same
              }
              if (!done.get()) {
                cancel(ch, lock, err);
              }
            },
            "np-daemon-cancel");
    cancel.setDaemon(true);
    cancel.start();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    int code;
    System.setOut(out);
    System.setErr(err);
    Invocation.set(new Invocation(r.env(), r.console()));
    try {
      code = command.applyAsInt(r.args().toArray(String[]::new));
    } catch (RuntimeException | Error e) {
      err.println("netprobe: " + e);
      code = ExitCode.ERROR.code();
    } finally {
      out.flush();
      err.flush();
      System.setOut(stdout);
      System.setErr(stderr);
      Invocation.reset();
    }
    done.set(true);
    served.incrementAndGet();
    synchronized (lock) {
      Wire.send(ch, Wire.exit(code));
    }
    // The command's garbage collected now, off the client's time, and the heap given back: the
    // next run would otherwise start with this one's dead objects in the old generation and grow
    // it past them (a mesh of 100 after 3 runs: 1.4 GB resident, against 0.48 GB for a cold run).
    System.gc();
  }

  /**
   * The client was interrupted or died: what its command started is closed (agent sessions,
   * sidecars, uploads), and the daemon exits as the command's own JVM would have, its shutdown
   * hooks closing the rest.
   */
  private void cancel(SocketChannel ch, Object lock, PrintStream err) {
    say("the client interrupted its command: cleaning up and exiting");
    Reaper.instance().closeAll();
    err.flush();
    try {
      synchronized (lock) {
        Wire.send(ch, Wire.exit(ExitCode.INTERRUPTED.code()));
      }
    } catch (IOException gone) {
      // the client did not wait
    }
    System.exit(ExitCode.INTERRUPTED.code());
  }

  /** Only this user's processes: the directory keeps others out, and this says so twice. */
  private static boolean samePeer(SocketChannel ch) {
    try {
      var peer = ch.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
      return peer.user().getName().equals(System.getProperty("user.name"))
          || peer.user().getName().equals(Long.toString(DaemonAddress.uid()));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private String status() {
    long idleS = (System.nanoTime() - lastUsed) / 1_000_000_000L;
    return String.format(
        "pid %d, since %s, %d commands served, %s, for %s",
        ProcessHandle.current().pid(),
        since.truncatedTo(ChronoUnit.SECONDS),
        served.get(),
        busy.get() ? "running one now" : "idle " + idleS + " s",
        Path.of("").toAbsolutePath());
  }

  private void say(String what) {
    log.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " netprobe daemon: " + what);
    log.flush();
  }
}

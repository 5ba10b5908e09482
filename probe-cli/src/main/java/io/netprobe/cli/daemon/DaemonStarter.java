package io.netprobe.cli.daemon;

import io.netprobe.cli.invocation.Invocation;
import io.netprobe.report.model.ExitCode;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code netprobe daemon start}, {@code stop} and {@code status}. */
public final class DaemonStarter {
  /**
   * This JVM's options the daemon leaves out: an AOT recording is the launcher's, for the command
   * it started. The rest it keeps, the C1-only JIT too: with C2 as well, a mesh of 40 after 8 warm
   * runs took as long (1.86 s against 1.87, 5 runs each) for a quarter more CPU (2.6 s against 2.1)
   * and 50 MB more memory.
   */
  private static final List<String> NOT_FOR_A_DAEMON =
      List.of("-XX:AOTMode=", "-XX:AOTConfiguration=");

  private DaemonStarter() {}

  /** Starts a daemon for this directory in the background, unless one serves it already. */
  public static int start(Duration idle, PrintWriter out, PrintWriter err) throws IOException {
    Path dir = DaemonAddress.dir(Invocation.env());
    try {
      DaemonAddress.create(dir);
    } catch (IOException e) {
      err.println("netprobe daemon: " + e.getMessage());
      return ExitCode.ERROR.code();
    }
    Path socket = DaemonAddress.socket(dir);
    String running = Files.exists(socket) ? DaemonControl.ask(socket, Wire.STATUS) : null;
    if (running != null) {
      out.println("netprobe daemon: already serving this directory: " + running);
      return ExitCode.OK.code();
    }
    Path log = DaemonAddress.log(socket);
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid"); // out of the terminal's session: its Ctrl-C and hang-up
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (NOT_FOR_A_DAEMON.stream().noneMatch(option::startsWith)) {
        command.add(option);
      }
    }
    // The heap given back whole at the collection after each command, not a tenth of it per
    // collection: a mesh of 100 after 3 runs peaked at 613 MB resident, now at 502 (a cold run 486)
    command.add("-XX:-ShrinkHeapInSteps");
    command.addAll(
        List.of(
            "-jar",
            DaemonAddress.jar().toString(),
            "daemon",
            "serve",
            "--idle",
            idle.isZero() ? "0" : idle.toSeconds() + "s"));
    Process p =
        new ProcessBuilder(command)
            .redirectInput(new File("/dev/null"))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      String status = Files.exists(socket) ? DaemonControl.ask(socket, Wire.STATUS) : null;
      if (status != null) {
        out.println(
            "netprobe daemon: started ("
                + status
                + "); run, check and grade from this directory go through it; it stops after "
                + (idle.isZero() ? "'netprobe daemon stop'" : idle.toMinutes() + " min idle")
                + " (log: "
                + log
                + ")");
        return ExitCode.OK.code();
      }
      if (!p.isAlive()) { // setsid execs java: this is the daemon
        break;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    err.println("netprobe daemon: it did not start; see " + log);
    return ExitCode.ERROR.code();
  }

  /** Stops every daemon of this user. */
  public static int stopAll(PrintWriter out) throws IOException {
    Path dir = DaemonAddress.dir(Invocation.env());
    int stopped = 0;
    for (Path socket : DaemonControl.sockets(dir)) {
      if (DaemonControl.ask(socket, Wire.STOP) != null) {
        stopped++;
      } else {
        Files.deleteIfExists(socket); // a killed one's
      }
    }
    out.println("netprobe daemon: " + (stopped == 0 ? "none was running" : stopped + " stopped"));
    return ExitCode.OK.code();
  }

  /** Lists this user's daemons. */
  public static int status(PrintWriter out) throws IOException {
    Path dir = DaemonAddress.dir(Invocation.env());
    Path mine = DaemonAddress.trusted(dir) ? DaemonAddress.socket(dir) : null;
    int n = 0;
    for (Path socket : DaemonControl.sockets(dir)) {
      String status = DaemonControl.ask(socket, Wire.STATUS);
      if (status != null) {
        n++;
        out.println((socket.equals(mine) ? "* " : "  ") + status);
      }
    }
    out.println(
        n == 0
            ? "netprobe daemon: none running ('netprobe daemon start' starts one here)"
            : "netprobe daemon: " + n + " running (* serves this directory)");
    return ExitCode.OK.code();
  }
}

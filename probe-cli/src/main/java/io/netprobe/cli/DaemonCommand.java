package io.netprobe.cli;

import io.netprobe.cli.daemon.Daemon;
import io.netprobe.cli.daemon.DaemonAddress;
import io.netprobe.cli.daemon.DaemonStarter;
import io.netprobe.cli.error.UserException;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.report.model.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe daemon start|stop|status|serve}: a JVM kept warm between commands ({@link
 * Daemon}). While one serves this directory, {@code run}, {@code check} and {@code grade} started
 * here go through it.
 */
@Command(
    addMethodSubcommands = false,
    name = "daemon",
    mixinStandardHelpOptions = true,
    description = {
      "Keeps a JVM warm between commands, as Gradle's daemon does: while one serves this working"
          + " directory (and network namespace, and build of netprobe), `run`, `check` and"
          + " `grade` started here go through it and skip the JVM's start-up and warm-up (the"
          + " benchmark's 1,140 checks: 0.85 s instead of 1.8 s). It runs one command at a time (another"
          + " meanwhile runs in its own JVM as usual), with the caller's environment, output and"
          + " exit code; Ctrl-C cancels the command, cleans up and stops the daemon. It stops by"
          + " itself when idle (--idle) or when netprobe is rebuilt. NETPROBE_DAEMON=0 runs a"
          + " command without it."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "2:bad invocation", "3:the daemon could not be started"})
public final class DaemonCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      defaultValue = "status",
      paramLabel = "ACTION",
      description =
          "start (in the background), stop (every daemon of this user), status (default), or"
              + " serve (in the foreground, saying what it does on stderr).")
  String action;

  @Option(
      names = "--idle",
      defaultValue = "30m",
      description = "Stop after this long without a command (e.g. 30m, 3h; 0 never). Default: 30m.")
  String idle;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration idleFor =
        idle.trim().equals("0") ? Duration.ZERO : WatchCommand.duration("--idle", idle);
    return switch (action) {
      case "start" -> DaemonStarter.start(idleFor, out, err);
      case "stop" -> DaemonStarter.stopAll(out);
      case "status" -> DaemonStarter.status(out);
      case "serve" -> {
        try {
          yield Daemon.serve(idleFor, err, Main::execute);
        } catch (IOException e) {
          throw new UserException(
              "the daemon cannot listen in "
                  + DaemonAddress.dir(Invocation.env())
                  + ": "
                  + e.getMessage(),
              ExitCode.ERROR);
        }
      }
      default ->
          throw new UserException(
              "daemon: unknown action '" + action + "'; give start, stop, status or serve",
              ExitCode.USAGE);
    };
  }
}

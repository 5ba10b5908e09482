package io.netprobe.cli;

import io.netprobe.cli.error.UserException;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.cli.watch.MetricsServer;
import io.netprobe.cli.watch.Watcher;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.Options;
import io.netprobe.report.ReportFormat;
import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe watch MATRIX [--every 10s] [--listen 127.0.0.1:9469]}: the matrix again and again
 * on agents kept connected, Prometheus metrics on {@code --listen}, an event and the evidence of
 * that moment for every cell that flips, and the last round's reports with a timeline per cell.
 */
@Command(
    addMethodSubcommands = false,
    name = "watch",
    mixinStandardHelpOptions = true,
    description =
        "Run a matrix every interval on agents kept connected; serve Prometheus metrics; keep the"
            + " evidence of every flip (OUT/flips/, OUT/events.jsonl, a line on stderr); the"
            + " reports in OUT are the last round's, with a timeline per cell.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:--rounds ran out, the last round as expected",
      "1:--rounds ran out, some check of the last round unexpected",
      "2:bad invocation or matrix, or --listen cannot be bound (nothing ran)",
      "130:interrupted (the normal end of a watch without --rounds)"
    })
public final class WatchCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MATRIX", description = "The matrix file (YAML).")
  Path file;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description = "Time between two rounds' starts, +-10%% jitter (e.g. 500ms, 10s, 1m).")
  String every;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:9469",
      description = "Where to serve /metrics for Prometheus; 'none' serves nothing.")
  String listen;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "0",
      description = "Stop after N rounds (0: run until interrupted).")
  long rounds;

  @Option(
      names = "--format",
      paramLabel = "FORMATS",
      defaultValue = "html,json",
      description = "Reports written after every round (json, junit, md, html).")
  String formats;

  @Mixin ReportOptions output = new ReportOptions(Path.of("netprobe-watch"));

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Duration interval = duration(every);
    if (rounds < 0) {
      throw new UserException("--rounds: " + rounds + " is below 0; give N >= 0", ExitCode.USAGE);
    }
    Set<ReportFormat> reports = reportFormats(formats);
    Matrix matrix;
    try {
      matrix = MatrixLoader.load(file, Invocation.env());
    } catch (MatrixException e) {
      err.println(e.getMessage());
      return ExitCode.USAGE.code();
    }
    Watcher.Settings settings =
        new Watcher.Settings(
            interval,
            rounds,
            output.out,
            reports,
            output.student ? Options.STUDENT : Options.INSTRUCTOR);
    try (Watcher watcher =
        new Watcher(matrix, file.toString(), output.acceptNewHostKeys, settings, err)) {
      MetricsServer server = serve(listen, watcher);
      try {
        err.printf(
            "netprobe watch: %d checks of %s every %s%s; reports, events and flips in %s%n",
            matrix.checks().size(),
            file,
            every,
            server == null ? "" : ", metrics on http://" + text(server.address()) + "/metrics",
            output.out);
        err.flush();
        watcher.run();
      } finally {
        if (server != null) {
          server.close();
        }
      }
      return watcher.state().lastExitCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private static MetricsServer serve(String listen, Watcher watcher) {
    if (listen.equals("none")) {
      return null;
    }
    InetSocketAddress address = address(listen);
    try {
      return MetricsServer.start(address, watcher.state()::prometheus);
    } catch (RuntimeException e) {
      throw new UserException(
          "--listen "
              + listen
              + ": cannot listen there ("
              + e.getMessage()
              + "); pick a free port or 'none'",
          ExitCode.USAGE);
    }
  }

  static InetSocketAddress address(String listen) {
    int colon = listen.lastIndexOf(':');
    String host = colon < 0 ? "" : listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(listen.substring(colon + 1));
      if (colon < 1 || port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (NumberFormatException | UnknownHostException e) {
      throw new UserException(
          "--listen: expected HOST:PORT such as 127.0.0.1:9469 or [::1]:9469, or none; got '"
              + listen
              + "'",
          ExitCode.USAGE);
    }
  }

  static Duration duration(String text) {
    return duration("--every", text);
  }

  static Duration duration(String option, String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new UserException(
          option + ": expected a number and a unit such as 500ms, 10s, 1m; got '" + text + "'",
          ExitCode.USAGE);
    }
    double n = Double.parseDouble(m.group(1));
    long ms =
        Math.round(
            switch (m.group(2)) {
              case "ms" -> n;
              case "s" -> n * 1000;
              case "m" -> n * 60_000;
              default -> n * 3_600_000;
            });
    if (ms < 1) {
      throw new UserException(option + ": " + text + " is below 1ms", ExitCode.USAGE);
    }
    return Duration.ofMillis(ms);
  }

  private static Set<ReportFormat> reportFormats(String list) {
    try {
      Set<ReportFormat> parsed = EnumSet.noneOf(ReportFormat.class);
      parsed.addAll(ReportFormat.parseList(list));
      if (parsed.remove(ReportFormat.TABLE)) {
        throw new IllegalArgumentException(
            "--format: a watch writes files only (json, junit, md, html), not table");
      }
      return parsed;
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage(), ExitCode.USAGE);
    }
  }

  private static String text(InetSocketAddress a) {
    return io.netprobe.agent.address.Addresses.withPort(
        io.netprobe.agent.address.Addresses.text(a.getAddress()), a.getPort());
  }
}

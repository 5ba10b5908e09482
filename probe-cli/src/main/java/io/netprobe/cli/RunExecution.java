package io.netprobe.cli;

import io.netprobe.cli.error.UserException;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.cli.run.MatrixRun;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.report.ReportFormat;
import io.netprobe.report.Reports;
import io.netprobe.report.TerminalOptions;
import io.netprobe.report.model.ExitCode;
import io.netprobe.report.model.RunResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One run, top to bottom: connect the nodes, run the checks, render the reports. The matrix is
 * already loaded and the checks picked; what comes back is the run's exit code.
 */
final class RunExecution {
  private RunExecution() {}

  static int execute(
      Matrix matrix,
      List<Check> checks,
      String file,
      OutputOptions output,
      String defaultFormats,
      PrintWriter out,
      PrintWriter err) {
    return execute(
        matrix,
        checks,
        file,
        output,
        defaultFormats,
        out,
        err,
        (run, o) -> Reports.terminal(run, out, o));
  }

  /** The same, with {@code table} rendered by {@code table} ({@code check}'s one answer). */
  static int execute(
      Matrix matrix,
      List<Check> checks,
      String file,
      OutputOptions output,
      String defaultFormats,
      PrintWriter out,
      PrintWriter err,
      java.util.function.BiConsumer<RunResult, TerminalOptions> table) {
    Set<ReportFormat> formats = formats(output.formatList(defaultFormats));
    Progress progress = Progress.on(err, !output.noProgress);
    RunResult run =
        MatrixRun.run(
            matrix,
            checks,
            file,
            files(formats) ? output.out : null,
            output.acceptNewHostKeys,
            progress);
    progress.done();
    long rendering = System.nanoTime();
    render(run, formats, output, out, err, table);
    progress.phase("reports rendered", rendering);
    return run.exitCode();
  }

  private static void render(
      RunResult run,
      Set<ReportFormat> formats,
      OutputOptions output,
      PrintWriter out,
      PrintWriter err,
      java.util.function.BiConsumer<RunResult, TerminalOptions> table) {
    if (formats.remove(ReportFormat.TABLE)) {
      table.accept(run, Terminal.options(output.student));
    }
    if (!formats.isEmpty()) {
      try {
        List<Path> written =
            Reports.write(
                run,
                formats,
                output.out,
                output.student
                    ? io.netprobe.report.Options.STUDENT
                    : io.netprobe.report.Options.INSTRUCTOR);
        out.println();
        out.println("Reports: " + String.join(", ", written.stream().map(Path::toString).toList()));
      } catch (java.io.UncheckedIOException e) {
        err.println(
            "netprobe: could not write the reports to " + output.out + ": " + e.getMessage());
      }
    }
    out.flush();
  }

  /** True when some report goes to a file (then the pcap evidence goes beside it). */
  private static boolean files(Set<ReportFormat> formats) {
    return formats.stream().anyMatch(f -> f != ReportFormat.TABLE);
  }

  private static Set<ReportFormat> formats(String list) {
    try {
      Set<ReportFormat> parsed = ReportFormat.parseList(list);
      return parsed.isEmpty() ? EnumSet.noneOf(ReportFormat.class) : EnumSet.copyOf(parsed);
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage(), ExitCode.USAGE);
    }
  }

  /** The terminal's colour and width, as the environment says. */
  static final class Terminal {
    private Terminal() {}

    static TerminalOptions options(boolean student) {
      boolean tty = Invocation.interactive();
      boolean color = tty && Invocation.getenv("NO_COLOR") == null;
      int width = 100;
      try {
        width = Integer.parseInt(Invocation.env().getOrDefault("COLUMNS", "100"));
      } catch (NumberFormatException e) {
        // keep 100
      }
      // picocli writes stdout in the default charset: in the C locale that is ASCII
      boolean unicode = TerminalOptions.canShowMarks(java.nio.charset.Charset.defaultCharset());
      return new TerminalOptions(color, width, student, unicode);
    }
  }
}

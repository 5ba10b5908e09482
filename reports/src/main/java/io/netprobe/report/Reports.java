package io.netprobe.report;

import io.netprobe.report.model.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The reports' entry point: write a finished run in some formats to a directory, or print the grid
 * to a terminal.
 */
public final class Reports {
  private Reports() {}

  /**
   * Writes {@code run} in each of {@code formats} to {@code outDir} (created when missing), one
   * file per format named {@link ReportFormat#fileName()}.
   *
   * @return the files written, in the formats' order
   * @throws UncheckedIOException naming the file that could not be written
   */
  public static List<Path> write(
      RunResult run, Set<ReportFormat> formats, Path outDir, Options options) {
    createDirectories(outDir);
    var written = new ArrayList<Path>();
    for (ReportFormat format : EnumSet.copyOf(formats)) {
      var file = outDir.resolve(format.fileName());
      writeString(file, render(run, format, options));
      written.add(file);
    }
    return List.copyOf(written);
  }

  /** One format as text. */
  public static String render(RunResult run, ReportFormat format, Options options) {
    return format.renderer().render(run, options);
  }

  /** Prints the grid, the legend, the findings, the explanations and the score. */
  /**
   * The answer of {@code netprobe check}: a block per check headed {@code asked} and its probe, no
   * grid, score or expectation.
   */
  public static void answer(RunResult run, String asked, PrintWriter out, TerminalOptions options) {
    out.print(AnswerRenderer.render(run, asked, options));
    out.flush();
  }

  /** The lab's topology as text ({@code netprobe topology}), wrapped to the terminal's width. */
  public static void topology(
      io.netprobe.report.model.Topology topology, PrintWriter out, TerminalOptions options) {
    LabText.lines(topology, options.width()).forEach(out::println);
    out.flush();
  }

  public static void terminal(RunResult run, PrintWriter out, TerminalOptions options) {
    out.print(TerminalRenderer.render(run, options));
    out.flush();
  }

  static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not create report directory "
              + dir
              + ": "
              + e.getMessage()
              + " (give --out a directory you can write to)",
          e);
    }
  }

  static void writeString(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not write report "
              + file
              + ": "
              + e.getMessage()
              + " (check the directory's permissions and free space)",
          e);
    }
  }
}

package io.netprobe.cli;

import picocli.CommandLine.Option;

/**
 * What a run writes and where: shared by {@code run}, {@code demo} and {@code check}. The options
 * {@code grade} shares too are in {@link ReportOptions}.
 */
public final class OutputOptions extends ReportOptions {
  @Option(
      names = "--format",
      split = ",",
      paramLabel = "FORMAT",
      description =
          "Reports to produce, comma-separated: table (the terminal), json, junit, md, html."
              + " Default: table (demo: all of them).")
  String[] formats;

  @Option(
      names = "--no-progress",
      description = "No progress line on stderr (it only shows on a terminal anyway).")
  boolean noProgress;

  /** The formats asked for, or {@code defaults} when none was. */
  String formatList(String defaults) {
    return formats == null || formats.length == 0 ? defaults : String.join(",", formats);
  }
}

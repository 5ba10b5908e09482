package io.netprobe.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What a run writes and where: shared by {@code run}, {@code demo} and {@code check}. */
public final class OutputOptions {
  @Option(
      names = "--format",
      split = ",",
      paramLabel = "FORMAT",
      description =
          "Reports to produce, comma-separated: table (the terminal), json, junit, md, html."
              + " Default: ${DEFAULT-VALUE}.")
  String[] formats;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where report files go (with pcap evidence). Default: ${DEFAULT-VALUE}.")
  Path out = Path.of("netprobe-report");

  @Option(
      names = "--student",
      description = "Student view: titles and hints only, no packet evidence.")
  boolean student;

  @Option(
      names = "--accept-new-host-keys",
      description = "Trust an SSH node's host key on first use (a changed key is always an error).")
  boolean acceptNewHostKeys;

  @Option(
      names = "--no-progress",
      description = "No progress line on stderr (it only shows on a terminal anyway).")
  boolean noProgress;

  /** The formats asked for, or {@code defaults} when none was. */
  String formatList(String defaults) {
    return formats == null || formats.length == 0 ? defaults : String.join(",", formats);
  }
}

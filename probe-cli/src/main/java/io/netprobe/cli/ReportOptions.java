package io.netprobe.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a run's reports go, for whom, and whether new SSH host keys are trusted: shared by {@code
 * run}, {@code demo} and {@code check} (through {@link OutputOptions}) and by {@code grade}, which
 * writes a report directory per student but has no terminal grid or progress line.
 */
public class ReportOptions {
  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where report files go (with pcap evidence). Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--student",
      description = "Student view: titles and hints only, no packet evidence.")
  boolean student;

  @Option(
      names = "--accept-new-host-keys",
      description = "Trust an SSH node's host key on first use (a changed key is always an error).")
  boolean acceptNewHostKeys;

  public ReportOptions() {
    this(Path.of("netprobe-report"));
  }

  /** With another default for {@code --out} (what {@code --help} shows). */
  ReportOptions(Path defaultOut) {
    this.out = defaultOut;
  }
}

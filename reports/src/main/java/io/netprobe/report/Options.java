package io.netprobe.report;

/**
 * How report files are written.
 *
 * @param studentView true for the student-facing view: each cell shows its title, outcome and hint
 *     only; reasons, evidence, path traces, dispositions, pcap files and findings are left out
 * @param width the line width of the text report ({@code table} format), 40 to 400
 */
public record Options(boolean studentView, int width) {
  /** The instructor's view at 100 columns: everything the run knows. */
  public static final Options INSTRUCTOR = new Options(false, 100);

  /** The student's view at 100 columns: titles and hints only. */
  public static final Options STUDENT = new Options(true, 100);

  public Options {
    TerminalOptions.checkWidth(width);
  }

  TerminalOptions terminal() {
    return new TerminalOptions(false, width, studentView);
  }
}

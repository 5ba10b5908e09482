package io.netprobe.report;

/**
 * How the grid is printed to a terminal.
 *
 * @param color ANSI colours on; the CLI turns them on when stdout is a terminal and {@code
 *     NO_COLOR} is unset
 * @param width the terminal's width in columns, 40 to 400; wider grids are split into blocks of
 *     columns
 * @param studentView titles and hints only (see {@link Options#studentView()})
 */
public record TerminalOptions(boolean color, int width, boolean studentView) {
  public TerminalOptions {
    checkWidth(width);
  }

  static void checkWidth(int width) {
    if (width < 40 || width > 400) {
      throw new IllegalArgumentException(
          "report width out of range: " + width + " (give 40 to 400 columns; 80 is typical)");
    }
  }
}

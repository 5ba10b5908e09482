package io.netprobe.report;

/**
 * How the grid is printed to a terminal.
 *
 * @param color ANSI colours on; the CLI turns them on when stdout is a terminal and {@code
 *     NO_COLOR} is unset
 * @param width the terminal's width in columns, 40 to 400; wider grids are split into blocks of
 *     columns
 * @param studentView titles and hints only (see {@link Options#studentView()})
 * @param unicode marks as ✓ ○ ✗; false: as + o X, for an output whose charset has no ✓ (a terminal
 *     or log in the C locale would show every mark as "?")
 */
public record TerminalOptions(boolean color, int width, boolean studentView, boolean unicode) {
  public TerminalOptions {
    checkWidth(width);
  }

  /** Options with the Unicode marks. */
  public TerminalOptions(boolean color, int width, boolean studentView) {
    this(color, width, studentView, true);
  }

  /** Whether text in {@code charset} can carry the Unicode marks. */
  public static boolean canShowMarks(java.nio.charset.Charset charset) {
    return charset.newEncoder().canEncode("✓○✗·");
  }

  /** The same without colour (to measure a line's width). */
  TerminalOptions plain() {
    return new TerminalOptions(false, width, studentView, unicode);
  }

  static void checkWidth(int width) {
    if (width < 40 || width > 400) {
      throw new IllegalArgumentException(
          "report width out of range: " + width + " (give 40 to 400 columns; 80 is typical)");
    }
  }
}

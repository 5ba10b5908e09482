package io.netprobe.report;

import io.netprobe.report.model.CheckResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The grid as text: rows = from, columns = to, one symbol per check, {@code *} after a flaky one.
 * Columns that do not fit the width go into a further block under the first, each block repeating
 * the row names.
 */
final class TerminalGrid {
  private static final String CORNER = "from \\ to";
  private static final int GAP = 2;

  private TerminalGrid() {}

  static List<String> lines(Grid grid, TerminalOptions options) {
    int rowWidth = CORNER.length();
    for (String row : grid.rows()) {
      rowWidth = Math.max(rowWidth, row.length());
    }
    var lines = new ArrayList<String>();
    var block = new ArrayList<String>();
    int used = rowWidth;
    for (String column : grid.columns()) {
      int w = columnWidth(grid, column) + GAP;
      if (!block.isEmpty() && used + w > options.width()) {
        addBlock(lines, grid, block, rowWidth, options);
        block.clear();
        used = rowWidth;
      }
      block.add(column);
      used += w;
    }
    if (!block.isEmpty()) {
      addBlock(lines, grid, block, rowWidth, options);
    }
    return lines;
  }

  private static void addBlock(
      List<String> lines, Grid grid, List<String> columns, int rowWidth, TerminalOptions o) {
    if (!lines.isEmpty()) {
      lines.add("");
    }
    var header = new StringBuilder(pad(CORNER, rowWidth));
    for (String column : columns) {
      header.append(Text.repeat(' ', GAP)).append(pad(column, columnWidth(grid, column)));
    }
    lines.add(header.toString().stripTrailing());
    for (String row : grid.rows()) {
      var line = new StringBuilder(pad(row, rowWidth));
      for (String column : columns) {
        line.append(Text.repeat(' ', GAP));
        List<CheckResult> cell = grid.cell(row, column);
        int shown = 0;
        for (CheckResult check : cell) {
          line.append(Mark.of(check).symbol(o));
          shown++;
          if (check.flaky()) {
            line.append('*');
            shown++;
          }
        }
        if (cell.isEmpty()) {
          line.append(row.equals(column) ? " " : Mark.notChecked(o));
          shown = 1;
        }
        line.append(Text.repeat(' ', columnWidth(grid, column) - shown));
      }
      lines.add(line.toString().stripTrailing());
    }
  }

  private static int columnWidth(Grid grid, String column) {
    int width = column.length();
    for (String row : grid.rows()) {
      int n = 0;
      for (CheckResult check : grid.cell(row, column)) {
        n += check.flaky() ? 2 : 1;
      }
      width = Math.max(width, n);
    }
    return width;
  }

  private static String pad(String text, int width) {
    return text + Text.repeat(' ', width - text.length());
  }
}

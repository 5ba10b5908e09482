package io.netprobe.report.model;

import java.util.List;

/**
 * Cells that fail for one cause, grouped: "vm unreachable: 12 cells could not be checked".
 *
 * @param summary the cause in one line
 * @param hint what to do about it
 * @param checkIds the cells it covers
 */
public record Finding(String summary, String hint, List<String> checkIds) {
  public Finding {
    checkIds = List.copyOf(checkIds);
    hint = hint == null ? "" : hint;
  }
}

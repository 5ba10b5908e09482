package io.netprobe.report.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@code netprobe watch} saw of each cell over its rounds: the last rounds' outcomes and the
 * flips (a change of disposition) with when, to what, and where the evidence of that moment was
 * kept. Bounded by the watch: the report of a long watch stays the size of a short one.
 *
 * @param cells one per check, in the matrix's order
 * @param rounds how many rounds the watch ran in all (the cells keep the last ones only)
 */
public record Timeline(List<Cell> cells, long rounds) {
  public static final Timeline EMPTY = new Timeline(List.of(), 0);

  public Timeline {
    cells = List.copyOf(cells);
  }

  public boolean isEmpty() {
    return cells.isEmpty();
  }

  /**
   * One cell's history.
   *
   * @param checkId the check
   * @param firstRound the number of the first round in {@code rounds}
   * @param marks its last rounds, oldest first, a letter each: {@code r} reached as expected,
   *     {@code b} did not reach as expected, {@code u} unexpected, {@code e} could not be checked,
   *     {@code -} not run (the watch started after that round, or the cell was added)
   * @param flips its last flips, oldest first
   */
  public record Cell(String checkId, long firstRound, String marks, List<Flip> flips) {
    public static final String LETTERS = "rbue-";

    public Cell {
      Objects.requireNonNull(checkId, "checkId");
      Objects.requireNonNull(marks, "marks");
      flips = List.copyOf(flips);
    }
  }

  /**
   * A cell changed its disposition.
   *
   * @param round the round it was seen in
   * @param at when that round started
   * @param from the disposition before
   * @param to the disposition now
   * @param outcome the outcome now
   * @param reason the verdict's reason now
   * @param evidence where the evidence of that round was kept (a directory), or null
   */
  public record Flip(
      long round,
      Instant at,
      String from,
      String to,
      Outcome outcome,
      String reason,
      String evidence) {}
}

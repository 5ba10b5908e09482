package io.netprobe.report.model;

import io.netprobe.matrix.Disposition;
import java.util.List;
import java.util.Objects;

/**
 * What the packets of a check did and why: the disposition decided from the evidence, a one-line
 * reason in plain words, the evidence it rests on, and a hint for the fix. Renderers format a
 * verdict; they never re-derive it. {@code disposition} is null only when the check could not be
 * made (outcome ERROR), and then {@code reason} says why. {@code path} is the hop-by-hop trace of
 * the flow, for a cell lost on the way (empty otherwise).
 */
public record Verdict(
    Disposition disposition,
    String reason,
    List<Evidence> evidence,
    String hint,
    List<PathHop> path) {
  public Verdict {
    Objects.requireNonNull(reason, "verdict reason");
    evidence = List.copyOf(evidence);
    hint = hint == null ? "" : hint;
    path = path == null ? List.of() : List.copyOf(path);
  }

  /** A verdict without a path trace. */
  public Verdict(Disposition disposition, String reason, List<Evidence> evidence, String hint) {
    this(disposition, reason, evidence, hint, List.of());
  }

  /** The same verdict with another hint (the matrix's lesson added to it). */
  public Verdict withHint(String other) {
    return new Verdict(disposition, reason, evidence, other, path);
  }

  /** A check that could not be made: no disposition, the reason is what went wrong. */
  public static Verdict notChecked(String reason, List<Evidence> evidence, String hint) {
    return new Verdict(null, reason, evidence, hint);
  }
}

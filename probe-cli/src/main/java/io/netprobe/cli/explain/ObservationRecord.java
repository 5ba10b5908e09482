package io.netprobe.cli.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.facts.Facts.Listener;
import io.netprobe.agent.facts.Facts.Neighbour;
import io.netprobe.agent.facts.Facts.RouteChoice;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.NodeKind;
import io.netprobe.report.model.PathHop;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link Observation} as plain JSON: what a real run saw of one check, kept as a fixture so the
 * explanation of that evidence stays pinned (golden explanation tests). The check is named by its
 * id in a matrix file; everything else is the evidence itself. {@code NETPROBE_RECORD=DIR} makes a
 * run write one per check.
 *
 * @param matrix the matrix file the check is in, relative to the project's root
 * @param check the check's id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObservationRecord(
    String matrix,
    String check,
    ProbeResult probe,
    RouteChoice sourceRoute,
    Source source,
    Target target,
    List<Observation.RuleHit> dropRules,
    List<PathHop> trace) {

  /** {@link Observation.SourceView} with plain nulls. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(
      NodeKind kind,
      boolean captured,
      List<PacketSummary> sent,
      List<PacketSummary> answers,
      Set<String> ownAddresses,
      Neighbour nextHop,
      List<String> networks,
      boolean neighbourTableFull,
      Double requestLeftAfterMs) {}

  /** {@link Observation.TargetView} with plain nulls. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Target(
      String node,
      boolean captured,
      String whyNot,
      long windowMs,
      List<PacketSummary> requests,
      List<PacketSummary> replies,
      List<PacketSummary> relayed,
      List<PacketSummary> relayReplies,
      List<Listener> listening,
      RouteChoice routeBack,
      Neighbour routeBackHop,
      boolean neighbourTableFull,
      Set<String> addresses) {}

  public static ObservationRecord of(Observation o, String matrixFile) {
    Observation.SourceView s = o.source();
    Observation.TargetView t = o.target();
    return new ObservationRecord(
        matrixFile,
        o.check().id(),
        o.probe(),
        o.sourceRoute().orElse(null),
        new Source(
            s.kind(),
            s.captured(),
            s.sent(),
            s.answers(),
            s.ownAddresses(),
            s.nextHop().orElse(null),
            s.networks(),
            s.neighbourTableFull(),
            s.requestLeftAfterMs().orElse(null)),
        new Target(
            t.node(),
            t.captured(),
            t.whyNot(),
            t.windowMs(),
            t.requests(),
            t.replies(),
            t.relayed(),
            t.relayReplies(),
            t.listening(),
            t.routeBack().orElse(null),
            t.routeBackHop().orElse(null),
            t.neighbourTableFull(),
            t.addresses()),
        o.dropRules(),
        o.trace());
  }

  /** The observation again, with its check from {@code m} (the matrix named by {@link #matrix}). */
  public Observation toObservation(Matrix m) {
    Check c =
        m.check(check)
            .orElseThrow(
                () -> new IllegalArgumentException("no check '" + check + "' in " + matrix));
    Observation.SourceView s =
        new Observation.SourceView(
            source.kind(),
            source.captured(),
            orEmpty(source.sent()),
            orEmpty(source.answers()),
            source.ownAddresses() == null ? Set.of() : source.ownAddresses(),
            Optional.ofNullable(source.nextHop()),
            orEmpty(source.networks()),
            source.neighbourTableFull(),
            Optional.ofNullable(source.requestLeftAfterMs()));
    Observation.TargetView t =
        new Observation.TargetView(
            target.node(),
            target.captured(),
            target.whyNot(),
            target.windowMs(),
            orEmpty(target.requests()),
            orEmpty(target.replies()),
            orEmpty(target.relayed()),
            orEmpty(target.relayReplies()),
            orEmpty(target.listening()),
            Optional.ofNullable(target.routeBack()),
            Optional.ofNullable(target.routeBackHop()),
            target.neighbourTableFull(),
            target.addresses());
    return new Observation(
        c, probe, Optional.ofNullable(sourceRoute), s, t, orEmpty(dropRules), orEmpty(trace));
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}

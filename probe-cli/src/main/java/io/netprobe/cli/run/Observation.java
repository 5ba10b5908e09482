package io.netprobe.cli.run;

import io.netprobe.agent.facts.Facts.Listener;
import io.netprobe.agent.facts.Facts.RouteChoice;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.PathKind;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the agents saw of one check: the source's probe result and route, and what the target
 * saw arrive and leave. The {@link Explainer} turns it into a verdict.
 *
 * @param check the check
 * @param target what the target node saw, or {@link TargetView#none} without an agent there
 * @param probe the source agent's result
 * @param sourceRoute the route the source kernel picks for the target address
 */
public record Observation(
    Check check, ProbeResult probe, Optional<RouteChoice> sourceRoute, TargetView target) {
  public Observation {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(probe, "probe (check " + check.id() + ")");
    Objects.requireNonNull(sourceRoute, "sourceRoute");
    Objects.requireNonNull(target, "target");
  }

  public PathKind path() {
    return check.to().path();
  }

  /**
   * The IP the packets went to: the target's address, or for a host name what the source's agent
   * resolved it to (the name itself when it did not resolve).
   */
  public String targetIp() {
    return targetIp(check, probe);
  }

  /** {@link #targetIp()} before there is an observation. */
  static String targetIp(Check check, ProbeResult probe) {
    return check.to().isHostName() && probe.address() != null && !probe.address().isBlank()
        ? probe.address()
        : check.to().ip();
  }

  /**
   * What the target node's agent saw during the run, for this check's flow.
   *
   * @param node the target node's name, or null for a literal address
   * @param captured true when a capture ran there (false: nothing can be said of arrival)
   * @param whyNot why there was no capture, when {@code captured} is false
   * @param windowMs how long the capture watched
   * @param requests packets of the flow that arrived at the target
   * @param replies packets the target sent back for the flow (replies, RST, ICMP errors)
   * @param listening the target's listening sockets on the probed port
   * @param routeBack the target's route to the source address the request arrived from
   */
  public record TargetView(
      String node,
      boolean captured,
      String whyNot,
      long windowMs,
      List<io.netprobe.agent.capture.PacketSummary> requests,
      List<io.netprobe.agent.capture.PacketSummary> replies,
      List<Listener> listening,
      Optional<RouteChoice> routeBack) {
    public TargetView {
      requests = List.copyOf(requests);
      replies = List.copyOf(replies);
      listening = List.copyOf(listening);
      Objects.requireNonNull(routeBack, "routeBack");
    }

    /** No agent at the target (an outside server, or the node could not be reached). */
    public static TargetView none(String node, String whyNot) {
      return new TargetView(
          node, false, whyNot, 0, List.of(), List.of(), List.of(), Optional.empty());
    }

    public boolean arrived() {
      return !requests.isEmpty();
    }

    /** The same, with the target's route back to the source its capture saw. */
    public TargetView withRouteBack(Optional<RouteChoice> route) {
      return new TargetView(node, captured, whyNot, windowMs, requests, replies, listening, route);
    }
  }
}

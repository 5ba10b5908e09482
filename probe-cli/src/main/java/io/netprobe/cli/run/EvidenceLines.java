package io.netprobe.cli.run;

import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.facts.Facts.Listener;
import io.netprobe.report.model.Evidence;
import java.util.ArrayList;
import java.util.List;

/** The evidence lines of an observation, each from the node and the source that saw it. */
final class EvidenceLines {
  private static final int MAX_PACKETS = 4;

  private EvidenceLines() {}

  static List<Evidence> of(Observation o) {
    List<Evidence> lines = new ArrayList<>();
    String from = o.check().from();
    o.probe().evidence().forEach(line -> lines.add(new Evidence(from, "probe", line)));
    o.sourceRoute()
        .ifPresent(
            rc ->
                lines.add(
                    new Evidence(
                        from,
                        "route",
                        "route to " + o.check().to().ip() + ": " + Explainer.describeRoute(rc))));
    Observation.TargetView t = o.target();
    if (t.node() == null) {
      return lines;
    }
    if (!t.captured()) {
      if (t.whyNot() != null) {
        lines.add(new Evidence(t.node(), "capture", "none: " + t.whyNot()));
      }
      return lines;
    }
    if (t.requests().isEmpty()) {
      lines.add(
          new Evidence(
              t.node(), "capture", "no packet of this check arrived in " + t.windowMs() + " ms"));
    }
    packets(lines, t.node(), t.requests());
    if (!t.requests().isEmpty() && t.replies().isEmpty()) {
      lines.add(new Evidence(t.node(), "capture", "nothing left in answer"));
    }
    packets(lines, t.node(), t.replies());
    for (Listener l : t.listening()) {
      lines.add(
          new Evidence(
              t.node(),
              "sockets",
              "listening: " + l.protocol() + " " + l.address() + ":" + l.port()));
    }
    t.routeBack()
        .ifPresent(
            rc ->
                lines.add(
                    new Evidence(
                        t.node(),
                        "route",
                        "route back to " + rc.destination() + ": " + Explainer.describeRoute(rc))));
    return lines;
  }

  private static void packets(List<Evidence> lines, String node, List<PacketSummary> packets) {
    packets.stream()
        .limit(MAX_PACKETS)
        .forEach(
            p ->
                lines.add(
                    new Evidence(
                        node,
                        p.iface() == null ? "capture" : "capture " + p.iface(),
                        String.format("%.0f ms: %s", p.atMs(), p.describe()))));
    if (packets.size() > MAX_PACKETS) {
      lines.add(new Evidence(node, "capture", "... " + (packets.size() - MAX_PACKETS) + " more"));
    }
  }
}

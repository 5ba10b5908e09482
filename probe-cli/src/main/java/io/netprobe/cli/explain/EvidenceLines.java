package io.netprobe.cli.explain;

import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.facts.Facts.Listener;
import io.netprobe.agent.facts.Facts.Neighbour;
import io.netprobe.agent.text.Decimals;
import io.netprobe.report.model.Evidence;
import java.util.ArrayList;
import java.util.List;

/** The evidence lines of an observation, each from the node and the source that saw it. */
final class EvidenceLines {
  private static final int MAX_PACKETS = 4;

  private EvidenceLines() {}

  /** {@code port pa (access port of VLAN 7) holds h7a; port pc (...) holds 10.7.0.3}. */
  private static String switchSaid(Observation o, Observation.SwitchView sw) {
    String source =
        sw.source() == null
            ? "no port known for " + o.check().from() + "'s MAC address"
            : "port "
                + sw.source().bridge()
                + "/"
                + sw.source().port()
                + " ("
                + sw.source().vlanSaid()
                + ") holds "
                + o.check().from();
    String hop =
        sw.nextHop() == null
            ? "no port known for " + sw.nextHopIp() + "'s MAC address"
            : "port "
                + sw.nextHop().bridge()
                + "/"
                + sw.nextHop().port()
                + " ("
                + sw.nextHop().vlanSaid()
                + ") holds "
                + sw.nextHopIp();
    return source + "; " + hop;
  }

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
                        "route to " + o.check().to().ip() + ": " + Words.route(rc))));
    source(lines, from, o);
    o.trace()
        .forEach(
            h ->
                lines.add(
                    new Evidence(
                        from,
                        "trace",
                        "hop "
                            + h.ttl()
                            + " "
                            + h.who()
                            + (h.answered()
                                ? " (" + h.detail() + ", " + Words.ms(h.rttMs()) + ")"
                                : ": no answer"))));
    o.dropRules()
        .forEach(
            h ->
                lines.add(
                    new Evidence(
                        h.node(),
                        "rules",
                        h.rule()
                            + " counted packets during the run"
                            + (h.certain()
                                ? ""
                                : " (it may match: some of its tests unchecked)"))));
    o.switches().forEach(sw -> lines.add(new Evidence(sw.node(), "switch", switchSaid(o, sw))));
    o.onTheWay()
        .forEach(
            s ->
                s.packets()
                    .forEach(
                        p ->
                            lines.add(
                                new Evidence(
                                    s.node(),
                                    "capture",
                                    Words.ms(p.atMs()) + ": " + p.describe()))));
    o.translations()
        .forEach(
            n ->
                lines.add(
                    new Evidence(
                        n.node(),
                        "conntrack",
                        n.translation().protocol()
                            + " "
                            + n.translation().src()
                            + ":"
                            + n.translation().srcPort()
                            + " > "
                            + n.translation().dst()
                            + ":"
                            + n.translation().dstPort()
                            + " went to "
                            + n.translation().toAddress()
                            + ":"
                            + n.translation().toPort()
                            + (n.translation().fromAddress().equals(n.translation().src())
                                ? ""
                                : " from " + n.translation().fromAddress())
                            + (n.translation().replied() ? "" : " (no reply)"))));
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
    if (t.requests().isEmpty() && t.relayed().isEmpty()) {
      lines.add(
          new Evidence(
              t.node(), "capture", "no packet of this check arrived in " + t.windowMs() + " ms"));
    }
    packets(lines, t.node(), t.requests());
    if (!t.requests().isEmpty() && t.replies().isEmpty()) {
      lines.add(new Evidence(t.node(), "capture", "nothing left in answer"));
    }
    packets(lines, t.node(), t.replies());
    if (!t.relayed().isEmpty()) {
      PacketSummary syn = t.relayed().get(0);
      lines.add(
          new Evidence(
              t.node(),
              "capture",
              "a relayed connection to port "
                  + syn.dstPort()
                  + " arrived from "
                  + syn.src()
                  + ":"
                  + syn.srcPort()
                  + " while the probe ran (not the probe's own source port)"));
      packets(lines, t.node(), t.relayed());
      packets(lines, t.node(), t.relayReplies());
    }
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
                        "route back to " + rc.destination() + ": " + Words.route(rc))));
    t.routeBackHop().ifPresent(n -> lines.add(neighbour(t.node(), n)));
    return lines;
  }

  /** What the source's own capture and neighbour table add: the request leaving, answers. */
  private static void source(List<Evidence> lines, String from, Observation o) {
    Observation.SourceView s = o.source();
    s.nextHop().ifPresent(n -> lines.add(neighbour(from, n)));
    if (!s.captured() || o.probe().status().isReached()) {
      return;
    }
    if (s.sent().isEmpty()) {
      lines.add(new Evidence(from, "capture", "none of the request's packets left " + from));
    } else {
      packets(lines, from, s.sent().subList(0, 1));
    }
    packets(lines, from, s.answers());
  }

  private static Evidence neighbour(String node, Neighbour n) {
    return new Evidence(
        node,
        "neighbours",
        n.answered()
            ? (n.ip().indexOf(':') >= 0 ? "NDP: " : "ARP: ") + n.ip() + " is at " + n.mac()
            : (n.ip().indexOf(':') >= 0 ? "NDP: " : "ARP: ")
                + Words.neighbour(n)
                + " did not answer (no MAC address)");
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
                        Decimals.fixed(p.atMs(), 0) + " ms: " + p.describe())));
    if (packets.size() > MAX_PACKETS) {
      lines.add(new Evidence(node, "capture", "... " + (packets.size() - MAX_PACKETS) + " more"));
    }
  }
}

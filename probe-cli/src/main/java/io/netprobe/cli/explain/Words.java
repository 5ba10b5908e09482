package io.netprobe.cli.explain;

import io.netprobe.agent.facts.Facts.Neighbour;
import io.netprobe.agent.facts.Facts.RouteChoice;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.text.Decimals;
import io.netprobe.matrix.Check;
import java.util.List;

/**
 * The wording shared by the rules: how a target, a route, a port and a neighbour are named. The
 * path kind only chooses words; it never decides what happened.
 */
final class Words {
  /**
   * Why a cell of a machine whose neighbour table was full says nothing of the network; the text
   * carries "ENOBUFS", which the run's paced retries and its findings look for.
   */
  static final String TABLE_FULL =
      "the kernel refused sends of this run for want of room (ENOBUFS, or overflows it counted)";

  /** The hint of such a cell: the sysctl to raise on the node's machine. */
  static String raiseNeighbourLimits(String node) {
    return "raise the neighbour table's limits on the machine of "
        + node
        + " (sysctl -w net.ipv4.neigh.default.gc_thresh3=8192, gc_thresh2 and gc_thresh1 below"
        + " it) and run again; this is not a network result";
  }

  private Words() {}

  /** The target as the matrix names it, with the address the packets went to. */
  static String target(Observation o) {
    Check c = o.check();
    String ref = c.to().ref();
    String ip = o.targetIp();
    if (!ip.equals(c.to().ip())) {
      return ref + " (" + c.to().ip() + ", " + ip + ")";
    }
    return ref.equals(ip) ? ref : ref + " (" + ip + ")";
  }

  /** The node that owns the target, or the target itself when no node does. */
  static String where(Observation o) {
    return o.target().node() == null ? target(o) : o.target().node();
  }

  /** {@code default via 10.1.0.254 dev eth0}, or why there is none. */
  static String route(RouteChoice rc) {
    if (rc.error() != null || rc.route() == null) {
      return rc.error() == null ? "no route" : rc.error();
    }
    var r = rc.route();
    String kind = r.type() != null && !"unicast".equals(r.type()) ? r.type() + " " : "";
    String dest = "0.0.0.0/0".equals(r.destination()) ? "default" : r.destination();
    String via = r.gateway() == null ? "" : " via " + r.gateway();
    return kind + dest + via + (r.device() == null ? "" : " dev " + r.device());
  }

  /** The port the service listens on (before any port forward); 0 for ICMP. */
  static int servicePort(Check c) {
    return c.probe().port();
  }

  /** The port the packets carried from the source (after a port forward's mapping). */
  static int wirePort(Check c) {
    return c.to().wirePort(servicePort(c));
  }

  /** {@code tcp/22}, {@code udp/53}, or {@code ICMP echo}. */
  static String service(Check c) {
    ProbeSpec p = c.probe();
    return p.transport() == ProbeSpec.Transport.ICMP
        ? "ICMP echo"
        : p.transport().wireName() + "/" + p.port();
  }

  static boolean isUdp(Check c) {
    return c.probe().transport() == ProbeSpec.Transport.UDP;
  }

  static boolean isIcmp(Check c) {
    return c.probe().transport() == ProbeSpec.Transport.ICMP;
  }

  /** {@code 10.1.0.254 (dev eth0)}: a neighbour that did not answer, with where it was asked. */
  static String neighbour(Neighbour n) {
    return n.ip() + (n.device() == null ? "" : " (on " + n.device() + ")");
  }

  static String user(ProbeResult r) {
    return r.ssh() != null && r.ssh().user() != null ? " as " + r.ssh().user() : "";
  }

  /** The probe's last evidence line: usually its own summary of what went wrong. */
  static String lastEvidence(ProbeResult r) {
    List<String> lines = r.evidence();
    return lines.isEmpty() ? r.status().phrase() : lines.get(lines.size() - 1);
  }

  /**
   * {@code fw: FORWARD rule 1 `-p tcp --dport 8080 -j DROP` (+1 packet)}: the rule whose counter
   * shows it took the flow, with its node; empty when no rule's counters show it.
   */
  static java.util.Optional<String> rule(Observation o) {
    return o.dropRule().map(h -> h.node() + ": " + h.rule());
  }

  /**
   * What the path trace of the flow says of where it was lost, or empty without a trace: the last
   * hop that answered and the first that did not, a router that could not forward it, or that the
   * trace got through.
   */
  static java.util.Optional<String> traceSays(Observation o) {
    if (o.trace().isEmpty()) {
      return java.util.Optional.empty();
    }
    var last = o.trace().get(o.trace().size() - 1);
    if (o.traceReached()) {
      return java.util.Optional.of(
          "yet a trace of the same flow reached it at hop "
              + last.ttl()
              + ": the loss comes and goes");
    }
    if ("unreachable".equals(last.kind())) {
      return java.util.Optional.of(
          "a trace of the same flow: hop "
              + last.ttl()
              + " "
              + last.who()
              + " says "
              + last.detail());
    }
    var answered = o.lastAnswered();
    if (answered.isEmpty()) {
      return java.util.Optional.of(
          "a trace of the same flow got no answer from any hop: lost before the first router, or"
              + " no router on the way answers traces");
    }
    return java.util.Optional.of(
        "a trace of the same flow: hop "
            + answered.get().ttl()
            + " "
            + answered.get().who()
            + " was the last to answer, nothing from hop "
            + (answered.get().ttl() + 1)
            + " on: lost after "
            + (answered.get().node() == null ? answered.get().address() : answered.get().node()));
  }

  static String ms(double ms) {
    return ms >= 10 ? Math.round(ms) + " ms" : Decimals.fixed(ms, 1) + " ms";
  }

  static String packets(int n) {
    return n == 1 ? "1 packet" : n + " packets";
  }

  /** The command that lists the rules a check's packets meet: ip6tables for an IPv6 check. */
  static String iptables(Observation o) {
    String ip = o.targetIp();
    return ip != null && ip.indexOf(':') >= 0 ? "ip6tables" : "iptables";
  }

  /** How a node finds a neighbour's link address: ARP (IPv4) or neighbour discovery (IPv6). */
  static String arp(String ip) {
    return ip != null && ip.indexOf(':') >= 0 ? "neighbour discovery" : "ARP";
  }
}

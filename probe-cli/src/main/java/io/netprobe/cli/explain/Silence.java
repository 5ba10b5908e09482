package io.netprobe.cli.explain;

import static io.netprobe.cli.explain.Explainer.verdict;
import static io.netprobe.matrix.Disposition.DROPPED_AT_TARGET;
import static io.netprobe.matrix.Disposition.DROPPED_ON_PATH;
import static io.netprobe.matrix.Disposition.LATE;
import static io.netprobe.matrix.Disposition.NO_RETURN_ROUTE;
import static io.netprobe.matrix.Disposition.NO_ROUTE;
import static io.netprobe.matrix.Disposition.TIMED_OUT;
import static io.netprobe.matrix.Disposition.UNREACHABLE;

import io.netprobe.agent.facts.Facts.Neighbour;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Verdict;
import java.util.List;
import java.util.Optional;

/**
 * No answer within the timeout, or no way to send: where the packets stopped, from both ends'
 * captures and the neighbour tables, in this order:
 *
 * <ol>
 *   <li>LATE: the source's own capture saw the answer arrive, after the timeout;
 *   <li>UNREACHABLE: the source's next hop never answered ARP, so nothing could leave;
 *   <li>DROPPED_ON_PATH at the source: its capture saw the request never leave, or the answer
 *       arrive in time and a rule of its own take it; without such a rule the answer that came in
 *       time and never reached the probe is LATE too (a busy source reads it too late);
 *   <li>TIMED_OUT: no capture at the target to say more;
 *   <li>DROPPED_ON_PATH: the target saw nothing arrive;
 *   <li>NO_RETURN_ROUTE: it arrived and the target has no route back, its route back's next hop
 *       does not answer ARP, or it answered and the answer never came back;
 *   <li>DROPPED_AT_TARGET: it arrived and nothing left in answer.
 * </ol>
 */
final class Silence {
  private Silence() {}

  static Verdict explain(Observation o, List<Evidence> evidence) {
    Observation.SourceView s = o.source();
    Observation.TargetView t = o.target();
    long timeout = o.check().timeout().toMillis();
    double waited = o.probe().elapsedMs();
    // a cell the run decided early, from the target's capture, before its timeout
    String lost =
        o.probe().status() == ProbeStatus.TIMEOUT && waited < timeout
            ? "no answer in the " + Math.round(waited) + " ms before the run decided"
            : "no answer within " + timeout + " ms";
    String from = o.check().from();
    Optional<Double> delay = s.answerDelayMs();
    if (delay.isPresent() && delay.get() > timeout) {
      return verdict(
          LATE,
          Words.target(o)
              + " answered in "
              + Words.ms(delay.get())
              + ", after the "
              + timeout
              + " ms timeout ("
              + from
              + "'s capture saw the answer arrive)",
          "the path works but is slow: look for a loaded link or node on the way, or give the"
              + " check a longer timeout",
          evidence);
    }
    if (s.neverLeft() && !t.arrived() && s.neighbourTableFull() && Words.rule(o).isEmpty()) {
      // the same kernel refused other sends of this run (ENOBUFS): no room for the next hop's
      // address, so the request was never sent; the network was not tested
      return Verdict.notChecked(
          lost
              + "; the request never left "
              + from
              + " ("
              + from
              + "'s capture saw none of its packets go out) while its machine's neighbour (ARP)"
              + " table was full: "
              + Words.TABLE_FULL,
          evidence,
          Words.raiseNeighbourLimits(from));
    }
    Optional<Neighbour> hop = s.nextHop().filter(n -> !n.answered());
    if (hop.isPresent() && !t.arrived()) {
      return neighbourUnanswered(o, evidence, null);
    }
    Optional<Observation.SwitchView> split = o.vlanSplit();
    if (split.isPresent() && !t.arrived() && Words.rule(o).isEmpty()) {
      if (s.neverLeft()) {
        // the source's capture saw no request go out: its next hop's address was never resolved,
        // though the failed neighbour entry was gone by the time the facts were read (the kernel
        // drops one after a while; a busy machine read them seconds later)
        return neighbourUnanswered(o, evidence, null);
      }
      // the next hop's address was known (cached from before): the frame left, the switch kept it
      // in the source's VLAN
      String ip = o.targetIp();
      return vlanSplit(
          o,
          split.get(),
          o.nextHop().orElse(ip).equals(ip),
          DROPPED_ON_PATH,
          "'s request left for the MAC address of "
              + split.get().nextHopIp()
              + " (from its neighbour table), and "
              + (t.captured() ? t.node() + "'s capture saw nothing arrive" : "no answer came"),
          evidence);
    }
    Optional<String> rule = Words.rule(o);
    if (s.neverLeft() && !t.arrived()) {
      return verdict(
          DROPPED_ON_PATH,
          lost
              + "; the request never left "
              + from
              + " ("
              + from
              + "'s capture saw none of its packets go out): "
              + rule.map(r -> "dropped by " + r).orElse(from + " itself stopped it"),
          "look at the OUTPUT chain of "
              + from
              + "'s firewall ("
              + Words.iptables(o)
              + " -L OUTPUT -v -n)",
          evidence);
    }
    if (delay.isPresent() && rule.isPresent()) {
      return verdict(
          DROPPED_ON_PATH,
          lost
              + "; the answer reached "
              + from
              + " after "
              + Words.ms(delay.get())
              + " ("
              + from
              + "'s capture saw it arrive) but never reached the probe: dropped by "
              + rule.get(),
          "change or remove that rule, or add an ACCEPT rule before it",
          evidence);
    }
    if (delay.isPresent() && s.neighbourTableFull()) {
      // the answer came at once to a request that left late: a first request (a SYN) the full
      // neighbour table dropped, and the one sent again after it; not a network result
      return Verdict.notChecked(
          lost
              + "; the answer reached "
              + from
              + "'s interface "
              + Words.ms(delay.get())
              + " after the request it saw leave, while its machine's neighbour (ARP) table was"
              + " full: "
              + Words.TABLE_FULL
              + ", and may have dropped the first request",
          evidence,
          Words.raiseNeighbourLimits(from));
    }
    Optional<Double> leftAfter = s.requestLeftAfterMs();
    if (delay.isPresent() && leftAfter.isPresent() && leftAfter.get() + delay.get() > timeout) {
      // the answer was quick, the request late: counted from the probe's start, past its timeout
      return verdict(
          LATE,
          "the answer came "
              + Words.ms(delay.get())
              + " after the request left "
              + from
              + ", but the request left only "
              + Words.ms(leftAfter.get())
              + " after the probe began ("
              + from
              + "'s capture): the delay was in "
              + from
              + " itself, whose kernel held or lost the first request, or which was too busy to"
              + " send it; past the "
              + timeout
              + " ms timeout in all",
          "run the check again on its own; if it is late again, look at "
              + from
              + "'s neighbour table (ip neigh) and its load",
          evidence);
    }
    if (delay.isPresent()) {
      // no rule counted it: the source's own load (the probe read it too late) or its
      // reverse-path filter; the run cannot tell which, so it names neither as the cause
      return verdict(
          LATE,
          "the answer reached "
              + from
              + "'s interface after "
              + Words.ms(delay.get())
              + ", within the "
              + timeout
              + " ms timeout, but the probe did not get it in time and no rule of "
              + from
              + "'s firewall counted it: "
              + from
              + " was too busy to read it, or its reverse-path filter (rp_filter) dropped it",
          "run the check again on its own; if it fails the same way, look at "
              + from
              + "'s rp_filter and its route back to "
              + o.targetIp(),
          evidence);
    }
    if (rule.isPresent() && !t.arrived()) {
      // a router on the way dropped packets the source sent it only by its default route: the
      // lesson may be the route, not the router's rule
      Observation.RuleHit hit = o.dropRule().get();
      // (not through a floating IP or a forward: the router in front of it is the way there)
      Optional<String> gateway =
          hit.node().equals(from) || hit.nextHop() || o.path().isTranslated()
              ? Optional.empty()
              : viaDefault(o);
      return verdict(
          DROPPED_ON_PATH,
          lost
              + "; "
              + (t.captured() ? t.node() + " saw nothing arrive: " : "")
              + "dropped by "
              + rule.get()
              + pathContext(o)
              + (gateway.isPresent() ? byRoute(o) : ""),
          !PathWords.hint(o).isEmpty()
              ? PathWords.hint(o)
              : gateway
                  .map(
                      g ->
                          "if a router other than "
                              + g
                              + " knows "
                              + o.check().to().ip()
                              + "'s network, add a route on "
                              + from
                              + " via it; otherwise allow the flow on "
                              + o.dropRule().get().node()
                              + " (change that rule, or add an ACCEPT rule before it)")
                  .orElse("change or remove that rule, or add an ACCEPT rule before it"),
          evidence);
    }
    Optional<String> traced = Words.traceSays(o);
    if (!t.captured() && traced.isPresent() && !o.traceReached() && o.lastAnswered().isPresent()) {
      return verdict(
          DROPPED_ON_PATH,
          lost + "; no capture at " + Words.where(o) + ", but " + traced.get(),
          droppedHint(o),
          evidence);
    }
    if (!t.captured()) {
      return verdict(
          TIMED_OUT,
          lost
              + "; no capture at "
              + Words.where(o)
              + " to tell where it was lost"
              + (t.whyNot() == null ? "" : " (" + t.whyNot() + ")")
              + traced.map(said -> "; " + said).orElse(""),
          droppedHint(o) + rateLimitNote(o),
          evidence);
    }
    if (!t.arrived()) {
      String because = PathWords.lostBecause(o);
      return verdict(
          DROPPED_ON_PATH,
          lost
              + "; "
              + t.node()
              + " saw nothing arrive"
              + (!because.isEmpty()
                  ? ": " + because + traced.map(said -> "; " + said).orElse("")
                  : traced
                      .map(said -> ": " + said)
                      .orElse(": it was lost on the way" + byRoute(o))),
          droppedHint(o),
          evidence);
    }
    return arrived(o, evidence, lost);
  }

  /** The request arrived at the target: did an answer leave, and could it? */
  private static Verdict arrived(Observation o, List<Evidence> evidence, String lost) {
    Observation.TargetView t = o.target();
    String src = t.arrivedFrom();
    String from = o.check().from();
    if (t.neighbourTableFull() && Words.rule(o).isEmpty()) {
      // the target's kernel refused sends of this run (ENOBUFS): it may have had no room for the
      // address of the way back; not a network result
      return Verdict.notChecked(
          lost
              + "; the request arrived at "
              + t.node()
              + " from "
              + src
              + (t.replies().isEmpty() ? " and nothing left in answer" : " and no answer came back")
              + " while "
              + t.node()
              + "'s machine's neighbour (ARP) table was full there: "
              + Words.TABLE_FULL,
          evidence,
          Words.raiseNeighbourLimits(t.node()));
    }
    boolean noRouteBack = t.routeBack().map(rc -> rc.error() != null).orElse(false);
    String route = t.routeBack().map(Words::route).orElse("unknown");
    Optional<Neighbour> deadHop = t.routeBackHop().filter(n -> !n.answered());
    if (!t.replies().isEmpty()) {
      return verdict(
          NO_RETURN_ROUTE,
          "the request arrived at "
              + t.node()
              + " from "
              + src
              + " and it answered, but the answer never came back"
              + (o.source().captured() ? " (" + from + "'s capture saw no answer arrive)" : "")
              + " ("
              + t.node()
              + "'s route to "
              + src
              + ": "
              + route
              + ")",
          "follow the way back from "
              + t.node()
              + " to "
              + src
              + ": every router on it needs a route to "
              + src
              + ", and no firewall may drop the answer",
          evidence);
    }
    if (noRouteBack) {
      return verdict(
          NO_RETURN_ROUTE,
          "the request arrived at "
              + t.node()
              + " from "
              + src
              + ", which has no route back ("
              + t.node()
              + "'s route to "
              + src
              + ": "
              + route
              + ")",
          "give " + t.node() + " a route back to " + src + " through the way the request came",
          evidence);
    }
    if (deadHop.isPresent()) {
      return verdict(
          NO_RETURN_ROUTE,
          "the request arrived at "
              + t.node()
              + " from "
              + src
              + ", but "
              + t.node()
              + "'s answer cannot leave: its route back ("
              + route
              + ") goes via "
              + Words.neighbour(deadHop.get())
              + ", which does not answer ARP",
          "is "
              + deadHop.get().ip()
              + " up, and is it the right gateway for "
              + t.node()
              + "? Fix "
              + t.node()
              + "'s route back to "
              + src,
          evidence);
    }
    if (o.check().probe() instanceof ProbeSpec.Udp && !t.listening().isEmpty()) {
      return verdict(
          DROPPED_AT_TARGET,
          "the datagram arrived at "
              + t.node()
              + " from "
              + src
              + ", where "
              + Words.service(o.check())
              + " has a listener, and nothing left in answer: the service did not answer (or "
              + t.node()
              + "'s firewall dropped the datagram before it)",
          "check that the service on "
              + t.node()
              + " answers this request, and "
              + t.node()
              + "'s firewall ("
              + Words.iptables(o)
              + " -L INPUT -v -n)",
          evidence);
    }
    Optional<String> rule = Words.rule(o);
    Optional<String> notIts = t.notItsAddress();
    // a translation on the way (or on the node) may have been meant to take the address: the
    // claim holds only when no node's table or counter shows one
    if (notIts.isPresent() && rule.isEmpty() && o.translations().isEmpty()) {
      return verdict(
          DROPPED_AT_TARGET,
          "the request arrived at "
              + t.node()
              + " from "
              + src
              + ", addressed to "
              + notIts.get()
              + ", which is not an address of "
              + t.node()
              + " (its addresses: "
              + String.join(", ", new java.util.TreeSet<>(t.addresses()))
              + "): something on the way still sends it there (usually a stale "
              + Words.arp(notIts.get())
              + " entry), and "
              + t.node()
              + " does not answer for an address it does not have",
          "give "
              + t.node()
              + " the address "
              + notIts.get()
              + " back (ip addr add), or, if it moved, let the sender's neighbour entry go (ip neigh"
              + " flush "
              + notIts.get()
              + ")",
          evidence);
    }
    if (rule.isPresent()) {
      return verdict(
          DROPPED_AT_TARGET,
          "the request arrived at "
              + t.node()
              + " from "
              + src
              + " and nothing left in answer: dropped by "
              + rule.get(),
          "change or remove that rule, or add an ACCEPT rule before it",
          evidence);
    }
    return verdict(
        DROPPED_AT_TARGET,
        "the request arrived at "
            + t.node()
            + " from "
            + src
            + " and nothing left in answer: "
            + t.node()
            + " dropped it before any socket answered",
        "look at "
            + t.node()
            + "'s firewall ("
            + Words.iptables(o)
            + " -L INPUT -v -n counts the rule that matches) for "
            + o.check().probe().label()
            + "; allow it, or check that the service answers",
        evidence);
  }

  /**
   * Nothing could leave the source: the next hop of its route (the target on its LAN, or its
   * gateway) did not answer ARP. Given when the source's neighbour table says so, or when the
   * source's own kernel sent the host-unreachable ({@code ownSender}).
   */
  static Verdict neighbourUnanswered(Observation o, List<Evidence> evidence, String ownSender) {
    String from = o.check().from();
    String ip = o.targetIp();
    String hop = o.nextHop().orElse(ip);
    String said =
        ownSender == null
            ? ""
            : " (the host unreachable came from " + from + "'s own address " + ownSender + ")";
    if (o.source().neighbourTableFull() && o.target().neighbourTableFull()) {
      // source and target share a machine whose table was full: a kernel answers an ARP request
      // only when it has room for the asker's entry, so the silence says nothing of the host
      return Verdict.notChecked(
          (hop.equals(ip) ? "no host answered ARP for " + ip : "the router " + hop + " did not")
              + (hop.equals(ip) ? "" : " answer ARP")
              + said
              + " while the machine's neighbour (ARP) table was full: "
              + Words.TABLE_FULL
              + "; a kernel with no room for the asker's entry does not answer its ARP request",
          evidence,
          Words.raiseNeighbourLimits(from));
    }
    Optional<Observation.SwitchView> split = o.vlanSplit();
    if (split.isPresent()) {
      return vlanSplit(
          o,
          split.get(),
          hop.equals(ip),
          UNREACHABLE,
          "'s ARP request for " + split.get().nextHopIp() + " went unanswered" + said,
          evidence);
    }
    if (hop.equals(ip)) {
      return verdict(
          UNREACHABLE,
          "no host on "
              + from
              + "'s LAN answers "
              + Words.arp(ip)
              + " for "
              + ip
              + said
              + ": it is down or the address is unused",
          "is " + Words.where(o) + " up, and is " + ip + " really its address?",
          evidence);
    }
    return verdict(
        UNREACHABLE,
        "the request cannot leave "
            + from
            + ": its route to "
            + ip
            + " goes via "
            + hop
            + ", which does not answer "
            + Words.arp(hop)
            + said,
        "is the router " + hop + " up, and is it the right gateway for " + from + "?",
        evidence);
  }

  /**
   * A switch holds the source's port and its next hop's port in VLANs that do not meet: the ARP
   * request (or, with the next hop's address cached, the request itself) never reached the next
   * hop.
   */
  private static Verdict vlanSplit(
      Observation o,
      Observation.SwitchView sw,
      boolean hopIsTarget,
      Disposition disposition,
      String what,
      List<Evidence> evidence) {
    String from = o.check().from();
    String hop = hopIsTarget ? Words.target(o) : "its gateway " + sw.nextHopIp();
    String hopPort = sw.nextHop().port();
    Integer sourceVlan = sw.source().tag();
    return verdict(
        disposition,
        from
            + what
            + ": switch "
            + sw.node()
            + " has "
            + from
            + " on port "
            + sw.source().port()
            + " ("
            + sw.source().vlanSaid()
            + ") and "
            + hop
            + " on port "
            + hopPort
            + " ("
            + sw.nextHop().vlanSaid()
            + "); a switch never forwards a frame from one VLAN into another",
        sourceVlan == null
            ? "put both ports in one VLAN, or join the VLANs with a router"
            : "if "
                + sw.nextHopIp()
                + " belongs in VLAN "
                + sourceVlan
                + ", put port "
                + hopPort
                + " in it (ovs-vsctl set port "
                + hopPort
                + " tag="
                + sourceVlan
                + "); otherwise give it an address of its own VLAN's network and reach it"
                + " through a router",
        evidence);
  }

  static Verdict noRoute(Observation o, List<Evidence> evidence) {
    String from = o.check().from();
    String route = o.sourceRoute().map(Words::route).orElse("no route");
    String pathHint = PathWords.noRouteHint(o);
    return verdict(
        NO_ROUTE,
        from + " has no route to " + o.check().to().ip() + " (" + route + ")",
        pathHint.isEmpty()
            ? "add a route on "
                + from
                + " to "
                + o.check().to().ip()
                + "'s network via a router that knows it, or a default route"
            : pathHint,
        evidence);
  }

  /** What the path kind adds beside a rule that was named: why the rule meets this flow. */
  private static String pathContext(Observation o) {
    String because = PathWords.lostBecause(o);
    return because.isEmpty() || o.path() == io.netprobe.matrix.PathKind.FLOATING_IP
        ? ""
        : " (" + because + ")";
  }

  private static String droppedHint(Observation o) {
    String byPath = PathWords.hint(o);
    if (!byPath.isEmpty()) {
      return byPath;
    }
    if (o.lastAnswered().isPresent() && !o.traceReached()) {
      var hop = o.lastAnswered().get();
      return "look at the hop after "
          + hop.who()
          + ": its route to "
          + o.targetIp()
          + " (a blackhole, a missing route) and its firewall; with an agent there (the matrix's"
          + " watch:) netprobe reads its rule counters";
    }
    String ip = o.check().to().ip();
    return o.sourceRoute()
        .filter(rc -> rc.route() != null && rc.route().gateway() != null)
        .map(
            rc ->
                "does "
                    + rc.route().gateway()
                    + " (and every router after it) know "
                    + ip
                    + "'s network? If another router does, add a route on "
                    + o.check().from()
                    + " via that router")
        .orElse("follow the path hop by hop: routes there and back, and firewalls on the way");
  }

  /** The gateway of the source's default route, when that is the route it took to the target. */
  private static Optional<String> viaDefault(Observation o) {
    return o.sourceRoute()
        .filter(rc -> rc.route() != null && "0.0.0.0/0".equals(rc.route().destination()))
        .map(rc -> rc.route().gateway());
  }

  /** How the source routed it, from its facts: its own route, or only its default one. */
  private static String byRoute(Observation o) {
    return o.sourceRoute()
        .filter(rc -> rc.route() != null)
        .map(
            rc ->
                "0.0.0.0/0".equals(rc.route().destination()) && rc.route().gateway() != null
                    ? "; "
                        + o.check().from()
                        + " has no route of its own to "
                        + o.check().to().ip()
                        + ": its default route sends it to "
                        + rc.route().gateway()
                    : " (" + o.check().from() + " sends it " + Words.route(rc) + ")")
        .orElse("");
  }

  private static String rateLimitNote(Observation o) {
    return o.check().probe() instanceof ProbeSpec.Udp
        ? " (on real networks ICMP errors are rate-limited: a closed port can look like a timeout)"
        : "";
  }
}

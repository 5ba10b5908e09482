package io.netprobe.cli.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.facts.Facts.Listener;
import io.netprobe.agent.facts.Facts.Neighbour;
import io.netprobe.agent.facts.Facts.Route;
import io.netprobe.agent.facts.Facts.RouteChoice;
import io.netprobe.agent.icmp.IcmpError;
import io.netprobe.agent.probe.Echoes;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Evidence to verdict, one rule at a time; the lab tests break the real lab the same ways. */
class ExplainerTest {
  private static final Matrix MATRIX = load();

  private static Matrix load() {
    try {
      return MatrixLoader.load(
          """
          name: explainer
          defaults: { timeout: 1s }
          nodes:
            pc: { kind: netns, netns: np-pc, addresses: { lan: { ip: 10.1.5.90, path: direct } } }
            vm:
              kind: netns
              netns: np-vm
              addresses:
                nat: { ip: 10.0.2.15, path: nat }
                floating: { ip: 192.168.37.163, path: floating-ip }
                lan: { ip: 10.1.5.91, path: bridged }
            web: { kind: address, addresses: { www: { host: www.example.net, path: routed } } }
            ct: { kind: docker, container: np-ct1 }
            back: { kind: docker, container: np-back, addresses: { br: { ip: 192.168.1.3, path: docker-bridge } } }
          checks:
            - { from: pc, to: vm.nat, probe: icmp, expect: fail }
            - { from: pc, to: vm.floating, probe: "tcp:50000", expect: fail }
            - { from: pc, to: vm.lan, probe: "tcp:22", expect: pass }
            - { from: pc, to: vm.lan, probe: "udp:53", expect: pass }
            - { from: pc, to: web, probe: "tcp:80", expect: pass }
            - { from: ct, to: back, probe: icmp, expect: fail }
          """,
          "explainer.yaml");
    } catch (MatrixException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private final Explainer explainer = new Explainer();

  private static Check check(int i) {
    return MATRIX.checks().get(i);
  }

  private static ProbeResult result(Check c, ProbeStatus status, IcmpError error) {
    return new ProbeResult(
        c.probe().label(),
        c.to().ip(),
        c.to().ip(),
        status,
        "10.1.5.90",
        40112,
        "np0",
        error,
        new Echoes(3, status.isReached() ? 3 : 0, List.of(), null, 4242, "ping"),
        null,
        List.of(),
        List.of("sent from 10.1.5.90:40112"),
        1000,
        null);
  }

  private static PacketSummary in(String src, int srcPort, String dst, int dstPort) {
    return PacketSummary.tcp(
        new PacketSummary.Ip(5, "eth0", PacketSummary.Direction.IN, src, dst, 60),
        srcPort,
        dstPort,
        "S");
  }

  private static Observation.TargetView seen(
      List<PacketSummary> requests, List<Listener> listening, Optional<RouteChoice> back) {
    return Observation.TargetView.seen(
            "vm", 1200, requests, List.of(), List.of(), List.of(), listening)
        .withRouteBack(back, Optional.empty());
  }

  private Verdict explain(Check c, ProbeResult r, Observation.TargetView t) {
    Optional<RouteChoice> route =
        Optional.of(
            new RouteChoice(
                c.to().ip(),
                new Route("0.0.0.0/0", "10.1.0.254", "eth0", 0, "unicast"),
                "10.1.5.90",
                null));
    return explainer.explain(new Observation(c, r, route, t));
  }

  @Test
  void aSendTheSendersKernelRefusedIsNotANetworkResultAndSaysWhichTableIsFull() {
    Check c = check(2);
    ProbeResult r = result(c, ProbeStatus.ERROR, null);
    ProbeResult refused =
        rebuilt(
            r,
            r.echoes(),
            List.of(),
            List.of(
                io.netprobe.agent.probe.SocketFailures.NO_BUFFER_SPACE + ": 10.1.5.91:0",
                "echo request 1 could not be sent"),
            3);
    Verdict v = explain(c, refused, seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isNull();
    assertThat(v.reason()).contains("ENOBUFS", "neighbour (ARP) table");
    assertThat(v.hint()).contains("gc_thresh3", "not a network result");
  }

  @Test
  void natAddressFromHostIsDroppedOnPathAndTheReasonNamesTheNat() {
    Check c = check(0);
    Verdict v =
        explain(
            c, result(c, ProbeStatus.TIMEOUT, null), seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.DROPPED_ON_PATH);
    assertThat(v.reason()).contains("vm saw nothing arrive", "NAT-private");
    assertThat(v.hint()).contains("port forward");
    assertThat(v.evidence()).anyMatch(e -> e.node().equals("vm") && e.text().contains("no packet"));
  }

  @Test
  void floatingIpWithoutItsSecurityGroupRuleIsDroppedOnPathWithTheRuleAsHint() {
    Check c = check(1);
    Verdict v =
        explain(
            c, result(c, ProbeStatus.TIMEOUT, null), seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.DROPPED_ON_PATH);
    assertThat(v.hint()).contains("security group", "tcp/50000");
  }

  @Test
  void droppedOnPathToAListeningServiceBlamesNoFilterWithoutEvidenceOfOne() {
    Check c = check(1);
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            seen(List.of(), List.of(new Listener("tcp", "0.0.0.0", 50000)), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.DROPPED_ON_PATH);
    assertThat(v.reason()).doesNotContain("filter");
    assertThat(v.evidence()).anyMatch(e -> e.text().contains("listening: tcp 0.0.0.0:50000"));
  }

  @Test
  void requestThatArrivesAndIsNotAnsweredIsDroppedAtTarget() {
    Check c = check(2);
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            seen(List.of(in("10.1.5.90", 40112, "10.1.5.91", 22)), List.of(), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.DROPPED_AT_TARGET);
    assertThat(v.reason()).contains("arrived at vm from 10.1.5.90");
    assertThat(v.evidence()).anyMatch(e -> e.text().contains("nothing left in answer"));
  }

  @Test
  void requestThatArrivesWhereNoRouteLeadsBackIsNoReturnRoute() {
    Check c = check(2);
    Optional<RouteChoice> none = Optional.of(new RouteChoice("10.1.5.90", null, null, "no route"));
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            seen(List.of(in("10.1.5.90", 40112, "10.1.5.91", 22)), List.of(), none));
    assertThat(v.disposition()).isEqualTo(Disposition.NO_RETURN_ROUTE);
    assertThat(v.hint()).contains("route back to 10.1.5.90");
  }

  @Test
  void refusedWhereTheServiceListensOnLoopbackOnlySaysSo() {
    Check c = check(2);
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.REFUSED, null),
            seen(
                List.of(in("10.1.5.90", 40112, "10.1.5.91", 22)),
                List.of(new Listener("tcp", "127.0.0.1", 22)),
                Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.REFUSED);
    assertThat(v.reason()).contains("127.0.0.1:22 only");
    assertThat(v.hint()).contains("0.0.0.0");
  }

  @Test
  void resetWhileTheTargetSawNothingComesFromANodeInFrontOfIt() {
    Check c = check(2);
    Verdict v =
        explain(
            c, result(c, ProbeStatus.REFUSED, null), seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.REFUSED);
    assertThat(v.reason()).contains("never reached vm", "in front of it");
  }

  @Test
  void adminProhibitedIsUnreachableAndNamesWhoSentIt() {
    Check c = check(1);
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.ADMIN_PROHIBITED, IcmpError.of(3, 13, "192.168.37.10")),
            seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.UNREACHABLE);
    assertThat(v.reason()).contains("at or in front of 192.168.37.10");
  }

  @Test
  void udpPortUnreachableFromTheTargetItselfIsAClosedPort() {
    Check c = check(3);
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.PORT_UNREACHABLE, IcmpError.of(3, 3, "10.1.5.91")),
            seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.REFUSED);
    assertThat(v.reason()).contains("udp/53");
  }

  @Test
  void timeoutWithoutACaptureAtTheTargetCannotSayWhereAndSaysWhy() {
    Check c = check(2);
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            Observation.TargetView.none("vm", "capture: not root"));
    assertThat(v.disposition()).isEqualTo(Disposition.TIMED_OUT);
    assertThat(v.reason()).contains("no capture at vm", "not root");
  }

  @Test
  void handshakeIsReached() {
    Check c = check(2);
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.CONNECTED, null),
            seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.REACHED);
    assertThat(v.reason()).contains("completed the TCP handshake");
  }

  /** {@code held} with its SYN and handshake steps at these times, held for {@code elapsedMs}. */
  private static ProbeResult timed(
      ProbeResult held, double synMs, double handshakeMs, double elapsedMs) {
    return rebuilt(
        held,
        null,
        List.of(
            new io.netprobe.agent.probe.Timing("syn", synMs),
            new io.netprobe.agent.probe.Timing("handshake", handshakeMs)),
        held.evidence(),
        elapsedMs);
  }

  @Test
  void aHandshakesTimeIsSynToSynAckNotTheSettleWindowAfterIt() {
    Check c = check(2);
    ProbeResult held = result(c, ProbeStatus.CONNECTED, null);
    ProbeResult r = timed(held, 1.25, 1.75, 252.0);
    Verdict v = explain(c, r, seen(List.of(), List.of(), Optional.empty()));
    // no capture at the source: the probe's clock, and the headline says whose
    assertThat(v.reason()).endsWith("completed the TCP handshake (0.500 ms by the probe's clock)");

    // the source's capture timed it: its SYN out, the SYN-ACK in, by the kernel's clock (the
    // probe's thread may have waited for a core: 252 ms here for a 0.125 ms handshake)
    ProbeResult slow = timed(held, 1.25, 253.25, 500.0);
    Observation.SourceView captured =
        new Observation.SourceView(
            null,
            true,
            List.of(tcp(10.5, "out", "10.1.5.90", 40112, c.to().ip(), 22, "S")),
            List.of(tcp(10.625, "in", c.to().ip(), 22, "10.1.5.90", 40112, "SA")),
            Set.of("10.1.5.90"),
            Optional.empty(),
            List.of());
    Verdict wire = explain(c, slow, captured, seen(List.of(), List.of(), Optional.empty()));
    assertThat(wire.reason()).endsWith("completed the TCP handshake (0.125 ms)");
  }

  @Test
  void probeThatCouldNotRunIsNotANetworkResult() {
    Check c = check(2);
    Verdict v =
        explain(
            c, result(c, ProbeStatus.ERROR, null), seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isNull();
  }

  @Test
  void hostNameThatDidNotResolveSaysWhatTheResolverSaid() {
    Check c = check(4);
    ProbeResult r =
        new ProbeResult(
            "tcp:80",
            "www.example.net",
            null,
            ProbeStatus.NAME_UNRESOLVED,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(),
            List.of("no answer from 10.0.2.3:53 for www.example.net within 1000 ms"),
            1000,
            null);
    Verdict v = explain(c, r, Observation.TargetView.none(null, null));
    assertThat(v.disposition()).isEqualTo(Disposition.NAME_UNRESOLVED);
    assertThat(v.reason())
        .isEqualTo(
            "www.example.net did not resolve on pc: no answer from 10.0.2.3:53 for"
                + " www.example.net within 1000 ms");
    assertThat(v.hint()).contains("resolv.conf").contains("/etc/hosts");
  }

  @Test
  void hostNameTargetIsExplainedWithTheAddressItResolvedTo() {
    Check c = check(4);
    ProbeResult r =
        new ProbeResult(
            "tcp:80",
            "www.example.net",
            "203.0.113.10",
            ProbeStatus.REFUSED,
            "10.1.5.90",
            40112,
            "np0",
            null,
            null,
            null,
            List.of(),
            List.of("www.example.net resolved to 203.0.113.10"),
            3,
            null);
    Observation o =
        new Observation(c, r, Optional.empty(), Observation.TargetView.none(null, null));
    assertThat(o.targetIp()).isEqualTo("203.0.113.10");
    assertThat(explainer.explain(o).reason()).contains("web (www.example.net, 203.0.113.10)");
  }

  private static PacketSummary tcp(
      double at, String dir, String src, int sport, String dst, int dport, String flags) {
    return PacketSummary.tcp(
        new PacketSummary.Ip(at, "eth0", PacketSummary.Direction.of(dir), src, dst, 60),
        sport,
        dport,
        flags);
  }

  private Verdict explain(
      Check c, ProbeResult r, Observation.SourceView s, Observation.TargetView t) {
    Optional<RouteChoice> route =
        Optional.of(
            new RouteChoice(
                c.to().ip(),
                new Route("0.0.0.0/0", "10.1.0.254", "eth0", 0, "unicast"),
                "10.1.5.90",
                null));
    return explainer.explain(new Observation(c, r, route, s, t));
  }

  @Test
  void aRequestThatNeverLeftWhileItsKernelRefusedSendsIsNotANetworkResult() {
    Check c = check(2);
    for (boolean full : new boolean[] {true, false}) {
      Observation.SourceView s =
          new Observation.SourceView(
              null,
              true,
              List.of(),
              List.of(),
              Set.of("10.1.5.90"),
              Optional.empty(),
              List.of(),
              full);
      Verdict v =
          explain(
              c,
              result(c, ProbeStatus.TIMEOUT, null),
              s,
              seen(List.of(), List.of(), Optional.empty()));
      if (full) {
        assertThat(v.disposition()).as(v.reason()).isNull();
        assertThat(v.reason()).contains("never left", "neighbour (ARP) table was full", "ENOBUFS");
        assertThat(v.hint()).contains("gc_thresh3", "not a network result");
      } else {
        assertThat(v.disposition()).isEqualTo(Disposition.DROPPED_ON_PATH);
      }
    }
  }

  @Test
  void aRequestThatArrivedWhereTheKernelRefusedSendsIsNotADropAtTheTarget() {
    Check c = check(2);
    Observation.TargetView arrived =
        seen(List.of(in("10.1.5.90", 40112, "10.1.5.91", 22)), List.of(), Optional.empty());
    Verdict full =
        explain(c, result(c, ProbeStatus.TIMEOUT, null), arrived.withNeighbourTableFull(true));
    assertThat(full.disposition()).as(full.reason()).isNull();
    assertThat(full.reason()).contains("arrived at", "neighbour (ARP) table was full", "ENOBUFS");
    Verdict normal = explain(c, result(c, ProbeStatus.TIMEOUT, null), arrived);
    assertThat(normal.disposition()).isEqualTo(Disposition.DROPPED_AT_TARGET);
  }

  @Test
  void anAnswerTheSourceSawAfterTheTimeoutIsLate() {
    Check c = check(2);
    Observation.SourceView s =
        new Observation.SourceView(
            null,
            true,
            List.of(tcp(100, "out", "10.1.5.90", 40112, "10.1.5.91", 22, "S")),
            List.of(tcp(1440, "in", "10.1.5.91", 22, "10.1.5.90", 40112, "SA")),
            Set.of("10.1.5.90"),
            Optional.empty());
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            s,
            seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.LATE);
    assertThat(v.reason()).contains("answered in 1340 ms, after the 1000 ms timeout");
  }

  @Test
  void aGatewayThatDoesNotAnswerArpKeepsTheRequestFromLeaving() {
    Check c = check(2);
    Observation.SourceView s =
        new Observation.SourceView(
            null,
            true,
            List.of(),
            List.of(),
            Set.of("10.1.5.90"),
            Optional.of(new Neighbour("10.1.0.254", "eth0", null, false)));
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            s,
            seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.UNREACHABLE);
    assertThat(v.reason()).contains("cannot leave pc", "via 10.1.0.254, which does not answer ARP");
    assertThat(v.reason()).doesNotContain("firewall");
  }

  @Test
  void aRouteBackViaADeadGatewayIsNoReturnRouteNotAFirewall() {
    Check c = check(2);
    Optional<RouteChoice> back =
        Optional.of(
            new RouteChoice(
                "10.1.5.90",
                new Route("10.1.0.0/16", "10.1.9.9", "eth0", 0, "unicast"),
                null,
                null));
    Observation.TargetView t =
        Observation.TargetView.seen(
                "vm",
                1200,
                List.of(in("10.1.5.90", 40112, "10.1.5.91", 22)),
                List.of(),
                List.of(),
                List.of(),
                List.of())
            .withRouteBack(back, Optional.of(new Neighbour("10.1.9.9", "eth0", null, false)));
    Verdict v = explain(c, result(c, ProbeStatus.TIMEOUT, null), t);
    assertThat(v.disposition()).isEqualTo(Disposition.NO_RETURN_ROUTE);
    assertThat(v.reason()).contains("answer cannot leave", "10.1.9.9", "does not answer ARP");
  }

  @Test
  void aHostUnreachableFromTheSourcesOwnAddressIsItsOwnFailedArp() {
    Check c = check(2);
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.HOST_UNREACHABLE, IcmpError.of(3, 1, "10.1.5.90")),
            seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.UNREACHABLE);
    assertThat(v.reason())
        .contains("pc's own address 10.1.5.90", "10.1.0.254, which does not answer ARP");
  }

  @Test
  void anArpUnansweredWhileTheSharedTableWasFullIsNotANetworkResult() {
    Check c = check(2);
    Observation.SourceView full =
        new Observation.SourceView(
            null,
            true,
            List.of(),
            List.of(),
            Set.of("10.1.5.90"),
            Optional.empty(),
            List.of(),
            true);
    Observation.TargetView silent = seen(List.of(), List.of(), Optional.empty());
    ProbeResult r = result(c, ProbeStatus.HOST_UNREACHABLE, IcmpError.of(3, 1, "10.1.5.90"));
    Verdict both = explain(c, r, full, silent.withNeighbourTableFull(true));
    assertThat(both.disposition()).as(both.reason()).isNull();
    assertThat(both.reason())
        .contains("did not answer ARP", "neighbour (ARP) table was full", "ENOBUFS");
    assertThat(both.hint()).contains("gc_thresh3");
    // the target on another machine, with its own table: its silence is the network's
    Verdict elsewhere = explain(c, r, full, silent);
    assertThat(elsewhere.disposition()).isEqualTo(Disposition.UNREACHABLE);
  }

  @Test
  void aSwitchThatHoldsTheTwoEndsInDifferentVlansIsTheReasonNotADownHost() {
    Check c = check(2);
    io.netprobe.agent.facts.Facts.SwitchPort mine =
        new io.netprobe.agent.facts.Facts.SwitchPort("br", "p1", 7, List.of(), 1, List.of());
    io.netprobe.agent.facts.Facts.SwitchPort gateway =
        new io.netprobe.agent.facts.Facts.SwitchPort("br", "rt", 8, List.of(), 2, List.of());
    Observation.SourceView s =
        new Observation.SourceView(
            null,
            true,
            List.of(),
            List.of(),
            Set.of("10.1.5.90"),
            Optional.of(new Neighbour("10.1.0.254", "eth0", null, false)));
    Optional<RouteChoice> route =
        Optional.of(
            new RouteChoice(
                c.to().ip(),
                new Route("0.0.0.0/0", "10.1.0.254", "eth0", 0, "unicast"),
                "10.1.5.90",
                null));
    Observation split =
        silentBehind(c, route, s, new Observation.SwitchView("sw", mine, gateway, "10.1.0.254"));
    Verdict v = explainer.explain(split);
    assertThat(v.disposition()).isEqualTo(Disposition.UNREACHABLE);
    assertThat(v.reason())
        .contains(
            "pc's ARP request for 10.1.0.254 went unanswered",
            "switch sw has pc on port p1 (access port of VLAN 7)",
            "its gateway 10.1.0.254 on port rt (access port of VLAN 8)");
    assertThat(v.hint()).contains("ovs-vsctl set port rt tag=7");
    assertThat(v.evidence())
        .anyMatch(e -> e.toString().contains("port br/p1 (access port of VLAN 7)"));
    // the failed neighbour entry gone when the facts were read: the source's capture, which saw
    // no request go out, still says the address was never resolved
    Observation.SourceView forgotten =
        new Observation.SourceView(
            null, true, List.of(), List.of(), Set.of("10.1.5.90"), Optional.empty());
    Observation gone =
        silentBehind(
            c, route, forgotten, new Observation.SwitchView("sw", mine, gateway, "10.1.0.254"));
    Verdict unresolved = explainer.explain(gone);
    assertThat(unresolved.disposition()).isEqualTo(Disposition.UNREACHABLE);
    assertThat(unresolved.reason())
        .contains("pc's ARP request for 10.1.0.254 went unanswered")
        .doesNotContain("from its neighbour table");
    // one VLAN: the switch is no reason, the dead gateway is
    Observation joined =
        silentBehind(c, route, s, new Observation.SwitchView("sw", mine, mine, "10.1.0.254"));
    assertThat(explainer.explain(joined).reason()).contains("which does not answer ARP");
  }

  /** A check that timed out, its target's capture silent, behind one switch's view. */
  private static Observation silentBehind(
      Check c,
      Optional<RouteChoice> route,
      Observation.SourceView source,
      Observation.SwitchView sw) {
    return new Observation(
        c,
        result(c, ProbeStatus.TIMEOUT, null),
        route,
        source,
        seen(List.of(), List.of(), Optional.empty()),
        List.of(),
        List.of(),
        List.of(sw),
        List.of(),
        List.of());
  }

  @Test
  void aHandshakeWithARelayWhoseBackendRefusedIsRefusedNotReached() {
    Check c = check(2);
    Observation.TargetView t =
        Observation.TargetView.seen(
            "vm",
            1200,
            List.of(),
            List.of(),
            List.of(tcp(5, "in", "172.17.0.1", 51000, "10.1.5.91", 22, "S")),
            List.of(tcp(5, "out", "10.1.5.91", 22, "172.17.0.1", 51000, "RA")),
            List.of());
    Verdict v = explain(c, result(c, ProbeStatus.CLOSED, null), t);
    assertThat(v.disposition()).isEqualTo(Disposition.REFUSED);
    assertThat(v.reason())
        .contains("the relay at 10.1.5.91:22 accepted", "vm refused port 22", "nothing listens");
  }

  @Test
  void aRuleWhoseCounterGrewIsNamedAsTheCause() {
    Check c = check(2);
    Observation o =
        new Observation(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            Optional.empty(),
            Observation.SourceView.none(),
            seen(List.of(in("10.1.5.90", 40112, "10.1.5.91", 22)), List.of(), Optional.empty()),
            List.of(
                new Observation.RuleHit(
                    "vm", "INPUT rule 1 `-p tcp --dport 22 -j DROP` (+1 packet)", true)));
    Verdict v = explainer.explain(o);
    assertThat(v.disposition()).isEqualTo(Disposition.DROPPED_AT_TARGET);
    assertThat(v.reason()).contains("dropped by vm: INPUT rule 1 `-p tcp --dport 22 -j DROP`");
  }

  @Test
  void icmpBetweenDockerBridgesIsIsolationNotAnExposedPort() {
    Check c = check(5);
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            new Observation.SourceView(
                io.netprobe.matrix.NodeKind.DOCKER,
                false,
                List.of(),
                List.of(),
                Set.of("172.17.0.2"),
                Optional.empty(),
                List.of("172.17.0.2/16")),
            seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.disposition()).isEqualTo(Disposition.DROPPED_ON_PATH);
    assertThat(v.reason())
        .contains("Docker isolates its bridge networks", "ct is not on vm's network");
    assertThat(v.hint()).contains("docker network connect").doesNotContain("publish");
  }

  @Test
  void anAnswerThatCameInTimeWithNoRuleToBlameIsNotCalledADrop() {
    Check c = check(2);
    Observation.SourceView s =
        new Observation.SourceView(
            null,
            true,
            List.of(tcp(100, "out", "10.1.5.90", 40112, "10.1.5.91", 22, "S")),
            List.of(tcp(900, "in", "10.1.5.91", 22, "10.1.5.90", 40112, "SA")),
            Set.of("10.1.5.90"),
            Optional.empty());
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            s,
            seen(List.of(in("10.1.5.90", 40112, "10.1.5.91", 22)), List.of(), Optional.empty()));
    assertThat(v.disposition())
        .as("a busy source reads an answer too late; no rule counted a drop")
        .isEqualTo(Disposition.LATE);
    assertThat(v.reason()).contains("within the 1000 ms timeout", "too busy", "no rule");
  }

  @Test
  void aQuickAnswerToARequestThatLeftLateIsLateInTheSourceNotTooBusyToRead() {
    Check c = check(2);
    Observation.SourceView base =
        new Observation.SourceView(
            null,
            true,
            List.of(tcp(1100, "out", "10.1.5.90", 40112, "10.1.5.91", 22, "S")),
            List.of(tcp(1100.5, "in", "10.1.5.91", 22, "10.1.5.90", 40112, "SA")),
            Set.of("10.1.5.90"),
            Optional.empty());
    Observation.TargetView arrived =
        seen(List.of(in("10.1.5.90", 40112, "10.1.5.91", 22)), List.of(), Optional.empty());
    // the SYN the capture saw left 1000 ms after the probe began: the first one was lost in pc
    Verdict late =
        explain(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            base.withRequestLeftAfterMs(Optional.of(1000.0)),
            arrived);
    assertThat(late.disposition()).isEqualTo(Disposition.LATE);
    assertThat(late.reason())
        .contains("left only 1000 ms after the probe began", "the delay was in pc itself")
        .doesNotContain("rp_filter");
    // left at once: the answer was there in time, and the probe did not read it
    Verdict busy =
        explain(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            base.withRequestLeftAfterMs(Optional.of(3.0)),
            arrived);
    assertThat(busy.reason()).contains("within the 1000 ms timeout", "too busy");
  }

  @Test
  void aContainerWhoseNetworksAreUnknownIsNotSaidToBeOnAnotherNetwork() {
    Check c = check(5);
    Verdict v =
        explain(
            c,
            result(c, ProbeStatus.TIMEOUT, null),
            Observation.SourceView.none(io.netprobe.matrix.NodeKind.DOCKER),
            seen(List.of(), List.of(), Optional.empty()));
    assertThat(v.reason()).contains("Docker isolates").doesNotContain("ct is not on");
  }

  /** {@code r} with other echoes, timings, evidence and time (its ICMP error and SSH left out). */
  private static ProbeResult rebuilt(
      ProbeResult r,
      Echoes echoes,
      List<io.netprobe.agent.probe.Timing> timings,
      List<String> evidence,
      double elapsedMs) {
    return new ProbeResult(
        r.probe(),
        r.host(),
        r.address(),
        r.status(),
        r.sourceAddress(),
        r.sourcePort(),
        r.mark(),
        null,
        echoes,
        null,
        timings,
        evidence,
        elapsedMs,
        null);
  }
}

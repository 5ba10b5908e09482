package io.netprobe.cli.run;

import static io.netprobe.matrix.Disposition.AUTH_FAILED;
import static io.netprobe.matrix.Disposition.DROPPED_AT_TARGET;
import static io.netprobe.matrix.Disposition.DROPPED_ON_PATH;
import static io.netprobe.matrix.Disposition.HOSTKEY_MISMATCH;
import static io.netprobe.matrix.Disposition.NAME_UNRESOLVED;
import static io.netprobe.matrix.Disposition.NOT_SSH;
import static io.netprobe.matrix.Disposition.NO_RETURN_ROUTE;
import static io.netprobe.matrix.Disposition.NO_ROUTE;
import static io.netprobe.matrix.Disposition.REACHED;
import static io.netprobe.matrix.Disposition.REFUSED;
import static io.netprobe.matrix.Disposition.TIMED_OUT;
import static io.netprobe.matrix.Disposition.UNREACHABLE;

import io.netprobe.agent.facts.Facts.Listener;
import io.netprobe.agent.facts.Facts.RouteChoice;
import io.netprobe.agent.icmp.IcmpError;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.PathKind;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Verdict;
import java.util.List;

/**
 * Evidence to verdict: the disposition comes from what the packets did at both ends; the path kind
 * of the target address only sharpens the reason and the hint. The table of which evidence gives
 * which disposition is in {@code matrices/README.md}.
 */
public final class Explainer {

  /** The verdict for one check; {@link Verdict#disposition()} is null when it could not run. */
  public Verdict explain(Observation o) {
    List<Evidence> evidence = EvidenceLines.of(o);
    ProbeResult r = o.probe();
    return switch (r.status()) {
      case REPLY, CONNECTED -> verdict(REACHED, reached(o), "", evidence);
      case NAME_UNRESOLVED ->
          verdict(
              NAME_UNRESOLVED,
              r.host() + " did not resolve on " + o.check().from() + resolverSaid(r),
              "check "
                  + o.check().from()
                  + "'s name servers (resolv.conf) and its path to them (udp/53), or add the name"
                  + " to its /etc/hosts; use an address to test the path without DNS",
              evidence);
      case NO_ROUTE -> noRoute(o, evidence);
      case REFUSED -> refused(o, evidence);
      case PORT_UNREACHABLE, NET_UNREACHABLE, HOST_UNREACHABLE, ADMIN_PROHIBITED, ICMP_ERROR ->
          icmpError(o, evidence);
      case AUTH_FAILED ->
          verdict(
              AUTH_FAILED,
              "the SSH server at " + target(o) + " refused the login" + user(r),
              "check the user and its password or key; the server's log says which was wrong",
              evidence);
      case HOSTKEY_MISMATCH ->
          verdict(
              HOSTKEY_MISMATCH,
              "the SSH host key of " + target(o) + " is not the one in known_hosts",
              "if the VM was re-created, remove its old key from known_hosts (ssh-keygen -R '"
                  + knownHostsName(o.check())
                  + "') and accept the new one; otherwise suspect something in the middle",
              evidence);
      case NOT_SSH, KEX_FAILED ->
          verdict(
              NOT_SSH,
              r.status() == io.netprobe.agent.probe.ProbeStatus.KEX_FAILED
                  ? "an SSH server answered at " + target(o) + " but no key exchange was agreed"
                  : "something answered at " + target(o) + ", but not an SSH server",
              "check what listens on that port (a port forward to the wrong guest port?)",
              evidence);
      case TIMEOUT -> timeout(o, evidence);
      case ERROR ->
          Verdict.notChecked(
              "the probe could not run on " + o.check().from() + ": " + firstEvidence(r),
              evidence,
              "see the evidence; this is not a network result");
    };
  }

  private static String reached(Observation o) {
    ProbeResult r = o.probe();
    ProbeSpec probe = o.check().probe();
    String how;
    if (probe instanceof ProbeSpec.Icmp) {
      how =
          r.echoes() == null
              ? "answered the echo"
              : "answered " + r.echoes().received() + "/" + r.echoes().sent() + " echoes";
    } else if (probe instanceof ProbeSpec.Tcp) {
      how = "completed the TCP handshake";
    } else if (probe instanceof ProbeSpec.Udp) {
      how = "answered the datagram";
    } else {
      how = "logged in over SSH" + user(r);
    }
    return target(o) + " " + how + " (" + Math.round(r.elapsedMs()) + " ms)";
  }

  private static Verdict noRoute(Observation o, List<Evidence> evidence) {
    String from = o.check().from();
    String route = o.sourceRoute().map(Explainer::describeRoute).orElse("no route");
    return verdict(
        NO_ROUTE,
        from + " has no route to " + o.check().to().ip() + " (" + route + ")",
        "add a route on "
            + from
            + " to "
            + o.check().to().ip()
            + "'s network via a router that "
            + "knows it, or a default route",
        evidence);
  }

  private static Verdict refused(Observation o, List<Evidence> evidence) {
    Observation.TargetView t = o.target();
    int port = servicePort(o.check());
    if (t.captured() && !t.arrived()) {
      return verdict(
          REFUSED,
          "a TCP reset came back, but the request never reached "
              + t.node()
              + ": a firewall on the path rejects it with a reset",
          "look for a REJECT --reject-with tcp-reset rule between "
              + o.check().from()
              + " and "
              + t.node(),
          evidence);
    }
    List<Listener> local = t.listening().stream().filter(Listener::loopbackOnly).toList();
    if (!local.isEmpty()) {
      return verdict(
          REFUSED,
          "the service on "
              + t.node()
              + " listens on "
              + local.get(0).address()
              + ":"
              + port
              + " only, so it refuses connections from other hosts",
          "bind the service to 0.0.0.0 (or to the address probed), not to 127.0.0.1",
          evidence);
    }
    String where = t.node() == null ? target(o) : t.node();
    String why =
        switch (o.path()) {
          case PORT_FORWARD ->
              "nothing listens at the forwarded port: the port forward is missing, or it leads "
                  + "to a guest port where nothing listens";
          default -> "nothing listens on port " + port + " at " + where;
        };
    String hint =
        o.path() == PathKind.PORT_FORWARD
            ? "add the port forward (host port -> guest port) and start the service in the guest"
            : "start the service on " + where + ", or probe the port it listens on";
    return verdict(REFUSED, why + " (TCP reset)", hint, evidence);
  }

  private static Verdict icmpError(Observation o, List<Evidence> evidence) {
    IcmpError e = o.probe().icmpError();
    String sender = e == null || e.from() == null ? "a router" : e.from();
    String what = e == null ? o.probe().status().phrase() : e.description();
    boolean fromTarget = sender.equals(o.targetIp());
    if (e != null && e.type() == 3 && e.code() == 3 && fromTarget) {
      return verdict(
          REFUSED,
          "nothing listens on udp/"
              + servicePort(o.check())
              + " at "
              + target(o)
              + " (ICMP port unreachable)",
          "start the service, or probe the port it listens on",
          evidence);
    }
    String at = o.path().isTranslated() || !fromTarget ? "at or in front of " : "by ";
    String hint =
        switch (o.probe().status()) {
          case ADMIN_PROHIBITED -> "a firewall REJECT rule " + at + sender + " blocks this traffic";
          case NET_UNREACHABLE ->
              sender + " has no route to " + o.check().to().ip() + "'s network: add one there";
          case HOST_UNREACHABLE ->
              "no host answers at " + o.check().to().ip() + " (is it up, is the address right?)";
          default -> "see the ICMP error in the evidence";
        };
    return verdict(UNREACHABLE, what + ", sent " + at + sender, hint, evidence);
  }

  private static Verdict timeout(Observation o, List<Evidence> evidence) {
    Observation.TargetView t = o.target();
    String lost = "no answer within " + o.check().timeout().toMillis() + " ms";
    if (!t.captured()) {
      return verdict(
          TIMED_OUT,
          lost
              + "; no capture at "
              + (t.node() == null ? target(o) : t.node())
              + " to tell where it was lost"
              + (t.whyNot() == null ? "" : " (" + t.whyNot() + ")"),
          pathHint(o) + rateLimitNote(o),
          evidence);
    }
    if (!t.arrived()) {
      return verdict(
          DROPPED_ON_PATH,
          lost + "; " + droppedOnPath(o) + serviceListens(o),
          pathHint(o),
          evidence);
    }
    String src = t.requests().get(0).src();
    boolean noRouteBack = t.routeBack().map(rc -> rc.error() != null).orElse(false);
    if (noRouteBack || !t.replies().isEmpty()) {
      String route = t.routeBack().map(Explainer::describeRoute).orElse("unknown");
      return verdict(
          NO_RETURN_ROUTE,
          "the request arrived at "
              + t.node()
              + " from "
              + src
              + (t.replies().isEmpty()
                  ? ", which has no route back"
                  : " and it answered, but the answer never came back")
              + " ("
              + t.node()
              + "'s route to "
              + src
              + ": "
              + route
              + ")",
          "give " + t.node() + " a route back to " + src + " through the way the request came",
          evidence);
    }
    return verdict(
        DROPPED_AT_TARGET,
        "the request arrived at "
            + t.node()
            + " from "
            + src
            + " and nothing answered: "
            + t.node()
            + " drops it",
        "a firewall on "
            + t.node()
            + " (INPUT chain) drops "
            + o.check().probe().label()
            + "; allow it, or check that the service answers",
        evidence);
  }

  private static String droppedOnPath(Observation o) {
    String node = o.target().node();
    String nothing = node + " saw nothing arrive";
    return switch (o.path()) {
      case NAT ->
          nothing
              + ": "
              + o.check().to().ip()
              + " is a NAT-private address; it exists only "
              + "behind the NAT engine and no route leads to it from "
              + o.check().from();
      case FLOATING_IP -> nothing + ": the floating IP's router or security group dropped it";
      case DOCKER_BRIDGE ->
          nothing
              + ": a port that is only exposed on a Docker bridge is not reachable from "
              + "outside it";
      case HOST_ONLY -> nothing + ": a host-only network reaches the host and its VMs only";
      default -> nothing + ": it was lost on the way" + byRoute(o);
    };
  }

  /** From the target's sockets: the service is there, so the packets were stopped before it. */
  private static String serviceListens(Observation o) {
    return o.target().listening().stream()
        .filter(l -> !l.loopbackOnly())
        .findFirst()
        .map(
            l ->
                " (the service does listen on "
                    + o.target().node()
                    + " port "
                    + l.port()
                    + ": a filter before it dropped the request)")
        .orElse("");
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
                    : " (" + o.check().from() + " sends it " + describeRoute(rc) + ")")
        .orElse("");
  }

  private static String pathHint(Observation o) {
    String ip = o.check().to().ip();
    return switch (o.path()) {
      case NAT ->
          ip
              + " is the VM's NAT-private address; from outside use a port forward or a "
              + "bridged adapter";
      case FLOATING_IP ->
          "the security group must admit "
              + o.check().probe().label()
              + " ingress (e.g. a rule for tcp/"
              + servicePort(o.check())
              + "), and the floating IP "
              + "must be associated";
      case DOCKER_BRIDGE ->
          "publish the port (docker run -p HOST:CONTAINER) to reach it from "
              + "outside its bridge";
      case PORT_FORWARD -> "check the port forward rule and the guest's firewall";
      case HOST_ONLY -> "use a NAT or bridged adapter for access beyond the host";
      default ->
          o.sourceRoute()
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
              .orElse(
                  "follow the path hop by hop: routes there and back, and firewalls on the way");
    };
  }

  private static String rateLimitNote(Observation o) {
    return o.check().probe() instanceof ProbeSpec.Udp
        ? " (on real networks ICMP errors are rate-limited: a closed port can look like a timeout)"
        : "";
  }

  static String describeRoute(RouteChoice rc) {
    if (rc.error() != null || rc.route() == null) {
      return rc.error() == null ? "no route" : rc.error();
    }
    var r = rc.route();
    String kind = r.type() != null && !"unicast".equals(r.type()) ? r.type() + " " : "";
    String dest = "0.0.0.0/0".equals(r.destination()) ? "default" : r.destination();
    String via = r.gateway() == null ? "" : " via " + r.gateway();
    return kind + dest + via + (r.device() == null ? "" : " dev " + r.device());
  }

  private static Verdict verdict(
      Disposition d, String reason, String hint, List<Evidence> evidence) {
    return new Verdict(d, reason, evidence, hint);
  }

  private static String target(Observation o) {
    Check c = o.check();
    String ref = c.to().ref();
    String ip = o.targetIp();
    if (!ip.equals(c.to().ip())) {
      return ref + " (" + c.to().ip() + ", " + ip + ")";
    }
    return ref.equals(ip) ? ref : ref + " (" + ip + ")";
  }

  /** The port the service listens on (before any port forward); 0 for ICMP. */
  static int servicePort(Check c) {
    ProbeSpec p = c.probe();
    if (p instanceof ProbeSpec.Tcp t) {
      return t.port();
    } else if (p instanceof ProbeSpec.Udp u) {
      return u.port();
    } else if (p instanceof ProbeSpec.Ssh s) {
      return s.port();
    }
    return 0;
  }

  /** How known_hosts names the target: {@code 10.1.5.91}, or {@code [127.0.0.1]:1234}. */
  private static String knownHostsName(Check c) {
    int port = c.to().wirePort(servicePort(c));
    return port == 22 ? c.to().ip() : "[" + c.to().ip() + "]:" + port;
  }

  /** The resolver's last word from the probe's evidence (NXDOMAIN, no answer, no server). */
  private static String resolverSaid(ProbeResult r) {
    List<String> lines = r.evidence();
    return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1);
  }

  private static String user(ProbeResult r) {
    return r.ssh() != null && r.ssh().user() != null ? " as " + r.ssh().user() : "";
  }

  private static String firstEvidence(ProbeResult r) {
    return r.evidence().isEmpty() ? r.status().phrase() : r.evidence().get(r.evidence().size() - 1);
  }
}

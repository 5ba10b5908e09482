package io.netprobe.cli.explain;

import static io.netprobe.cli.explain.Explainer.verdict;
import static io.netprobe.matrix.Disposition.DROPPED_AT_TARGET;
import static io.netprobe.matrix.Disposition.REFUSED;

import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.facts.Facts.Listener;
import io.netprobe.matrix.PathKind;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Verdict;
import java.util.List;
import java.util.Optional;

/**
 * Something answered the connection for the target: a reset, or a handshake closed at once.
 *
 * <ul>
 *   <li>REFUSED, the target's own: the target's capture shows the SYN arrive and its RST leave (and
 *       for a port forward, that the forward works); with the target's sockets, "only on
 *       127.0.0.1".
 *   <li>REFUSED in front of the target: a reset came back, the target saw nothing arrive: the
 *       source itself (a forward with no forwarder) or a node in front of it answered.
 *   <li>REFUSED through a relay: the handshake completed with a proxy (docker-proxy, socat, {@code
 *       ssh -L}, a user-space port forward) that closed at once; the target's capture shows the
 *       proxy's own connection (another source port, same service, same moment) refused.
 * </ul>
 *
 * A relay's handshake is never REACHED: a check passes only when the far end accepted.
 */
final class Refusals {
  private Refusals() {}

  static Verdict refused(Observation o, List<Evidence> evidence) {
    Observation.TargetView t = o.target();
    int port = Words.servicePort(o.check());
    java.util.Optional<Observation.NatView> nat = o.redirect();
    if (nat.isPresent() && Words.rule(o).isEmpty() && (wrongPort(o, nat.get()) || !t.captured())) {
      // sent to a port its node does not listen on while it listens on the probe's: the
      // translation is wrong; or no capture at the target to say more than the translation
      return redirectedRefused(o, nat.get(), evidence);
    }
    if (o.source().ownAddresses().contains(o.targetIp()) || o.targetIp().startsWith("127.")) {
      if (!t.arrived() && o.path() == PathKind.PORT_FORWARD) {
        return verdict(
            REFUSED,
            "nothing listens on "
                + o.check().from()
                + "'s own port "
                + Words.wirePort(o.check())
                + " (TCP reset from "
                + o.check().from()
                + " itself): the port forward to "
                + Words.where(o)
                + " is missing or its forwarder is not running",
            "add the port forward (host port "
                + Words.wirePort(o.check())
                + " -> guest port "
                + port
                + ") and check that it runs",
            evidence);
      }
    }
    if (t.captured() && !t.arrived() && o.path() == PathKind.PORT_FORWARD) {
      String forwarder = o.targetIp() + ":" + Words.wirePort(o.check());
      return verdict(
          REFUSED,
          forwarder
              + " answered with a TCP reset and "
              + t.node()
              + " saw nothing arrive: the port forward from "
              + forwarder
              + " to "
              + t.node()
              + " port "
              + port
              + " is missing (or a firewall in front of it rejects with a reset)",
          "add the port forward " + forwarder + " -> " + t.node() + " port " + port,
          evidence);
    }
    java.util.Optional<String> rule = Words.rule(o);
    if (rule.isPresent() && !t.arrived()) {
      return verdict(
          REFUSED,
          "a TCP reset came back, but the request never reached "
              + Words.where(o)
              + ": rejected by "
              + rule.get(),
          "change or remove that rule, or add an ACCEPT rule before it",
          evidence);
    }
    if (t.captured() && !t.arrived()) {
      return verdict(
          REFUSED,
          "a TCP reset came back, but the request never reached "
              + t.node()
              + ": a node in front of it answered for it (a firewall rejecting with a reset, or a"
              + " forward with nothing behind it)",
          "look for a REJECT --reject-with tcp-reset rule or a dead port forward between "
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
    String where = Words.where(o);
    if (o.path() == PathKind.PORT_FORWARD) {
      if (t.arrived()) {
        return verdict(
            REFUSED,
            "the port forward works: the SYN sent to port "
                + Words.wirePort(o.check())
                + " reached "
                + where
                + " port "
                + port
                + ", which refused it (TCP reset): nothing listens there",
            "start the service on " + where + " port " + port + ", or forward to the port it uses",
            evidence);
      }
      return verdict(
          REFUSED,
          "a TCP reset came back from the forwarded port "
              + Words.wirePort(o.check())
              + "; with no capture at "
              + where
              + " it cannot tell whether the forward is missing or the guest port "
              + port
              + " is closed",
          "check the port forward (host port -> guest port "
              + port
              + ") and that the service runs in the guest",
          evidence);
    }
    return verdict(
        REFUSED,
        "nothing listens on port " + port + " at " + where + " (TCP reset)",
        "start the service on " + where + ", or probe the port it listens on",
        evidence);
  }

  /** The translation's port is not one its node listens on, and the probe's own port is. */
  private static boolean wrongPort(Observation o, Observation.NatView nat) {
    List<Integer> ports = nat.toListening();
    int wanted = Words.servicePort(o.check());
    return !ports.contains(nat.translation().toPort())
        && ports.contains(wanted)
        && nat.translation().toPort() != wanted;
  }

  /**
   * A node translated the connection (its conntrack entry says where it went) and the reset came
   * from there: the service behind the translation does not listen on the port it was sent to.
   */
  private static Verdict redirectedRefused(
      Observation o, Observation.NatView nat, List<Evidence> evidence) {
    io.netprobe.agent.facts.Facts.Translation tr = nat.translation();
    String who = nat.toNode() == null ? tr.toAddress() : nat.toNode() + " (" + tr.toAddress() + ")";
    List<Integer> ports = nat.toListening();
    boolean elsewhere = wrongPort(o, nat);
    String listens = String.join(", ", ports.stream().map(String::valueOf).toList());
    boolean service = o.path() == PathKind.CLUSTER_IP || o.path() == PathKind.NODEPORT;
    String hint;
    if (service && elsewhere) {
      hint =
          "the Service sends its port to targetPort "
              + tr.toPort()
              + ", but its pods listen on "
              + listens
              + ": set the Service's targetPort to the pods' port";
    } else if (elsewhere) {
      hint =
          "the translation points at port "
              + tr.toPort()
              + " of "
              + who
              + ", which listens on "
              + listens
              + ": point it at the service's port";
    } else {
      hint =
          "start the service on "
              + who
              + " port "
              + tr.toPort()
              + ", or point the translation at its port";
    }
    return verdict(
        REFUSED,
        nat.node()
            + " translated the connection to "
            + Words.target(o)
            + " port "
            + Words.wirePort(o.check())
            + " into one to "
            + who
            + " port "
            + tr.toPort()
            + " ("
            + nat.how()
            + "), and that was refused (TCP reset): nothing listens on port "
            + tr.toPort()
            + " there"
            + (elsewhere ? " (it listens on " + listens + ")" : ""),
        hint,
        evidence);
  }

  /**
   * The handshake completed and the far end closed at once, before a byte: who accepted, and what
   * became of the connection behind it.
   */
  static Verdict closedAtOnce(Observation o, List<Evidence> evidence) {
    Observation.TargetView t = o.target();
    String front = o.targetIp() + ":" + Words.wirePort(o.check());
    if (t.relayArrived()) {
      return relayed(o, evidence);
    }
    boolean tcp = o.check().probe() instanceof io.netprobe.agent.probe.ProbeSpec.Tcp;
    if (t.arrived()) {
      boolean accepted = t.replies().stream().anyMatch(Refusals::isSynAck);
      if (accepted && tcp) {
        // the far end itself accepted: its service hangs up at once, which a TCP check allows
        return verdict(
            io.netprobe.matrix.Disposition.REACHED,
            Words.target(o)
                + " completed the TCP handshake ("
                + t.node()
                + "'s capture shows its SYN-ACK) and closed the connection at once, before a byte",
            "",
            evidence);
      }
      if (accepted) {
        return verdict(
            REFUSED,
            t.node()
                + " accepted the connection on port "
                + Words.servicePort(o.check())
                + " and closed it at once, before a byte: the service turns this client away",
            "check the service's access rules on "
                + t.node()
                + " (an allow-list, tcpwrappers, a connection limit) and its log",
            evidence);
      }
    }
    if (t.captured()) {
      return verdict(
          REFUSED,
          "something at "
              + front
              + " accepted the connection and closed it at once, before a byte, and no connection"
              + " reached "
              + t.node()
              + ": a relay (proxy, port forward) in front of it that could not reach it",
          "check where the proxy or port forward at "
              + front
              + " points, and that "
              + t.node()
              + " can be reached from it",
          evidence);
    }
    if (tcp) {
      // no capture at the target: nothing shows that something else accepted for it
      return verdict(
          io.netprobe.matrix.Disposition.REACHED,
          Words.target(o)
              + " completed the TCP handshake and closed the connection at once, before a byte (a"
              + " relay whose backend refused would look the same: no capture at "
              + Words.where(o)
              + " to tell)",
          "run an agent on " + Words.where(o) + " to see whether a relay stands in front of it",
          evidence);
    }
    return verdict(
        REFUSED,
        "something at "
            + front
            + " accepted the connection and closed it at once, before a byte: a relay (proxy, port"
            + " forward) whose backend refused, or a service that turns this client away",
        "run an agent on "
            + Words.where(o)
            + " to see whether the relayed connection arrives; check the relay's target port",
        evidence);
  }

  /**
   * The flow itself never arrived at the target, but a relay's connection to the service did, while
   * the probe ran: what the target did with it.
   */
  private static Verdict relayed(Observation o, List<Evidence> evidence) {
    Observation.TargetView t = o.target();
    PacketSummary syn = t.relayed().get(0);
    int port = syn.dstPort();
    String front = o.targetIp() + ":" + Words.wirePort(o.check());
    String relay = "the relay at " + front + " accepted the connection and closed it at once";
    if (t.relayReplies().stream().anyMatch(Refusals::isReset)) {
      Optional<Listener> local = t.listening().stream().filter(Listener::loopbackOnly).findFirst();
      String why =
          local
              .map(l -> "it listens on " + l.address() + ":" + port + " only")
              .orElse("nothing listens there");
      return verdict(
          REFUSED,
          relay
              + ", but "
              + t.node()
              + " refused port "
              + port
              + " (its connection from "
              + syn.src()
              + " got a TCP reset): "
              + why,
          local.isPresent()
              ? "bind the service on " + t.node() + " to 0.0.0.0, not to 127.0.0.1"
              : "start the service on "
                  + t.node()
                  + " port "
                  + port
                  + ", or point the relay at the port it listens on",
          evidence);
    }
    if (t.relayReplies().stream().noneMatch(Refusals::isSynAck)) {
      return verdict(
          DROPPED_AT_TARGET,
          relay
              + "; its connection from "
              + syn.src()
              + " arrived at "
              + t.node()
              + " port "
              + port
              + " and nothing answered: "
              + t.node()
              + " dropped it",
          "look at " + t.node() + "'s firewall for " + Words.service(o.check()),
          evidence);
    }
    return verdict(
        REFUSED,
        relay
            + "; "
            + t.node()
            + " accepted its connection on port "
            + port
            + ", so the relay itself or the service turned this client away",
        "check the relay's and the service's logs",
        evidence);
  }

  static boolean isReset(PacketSummary p) {
    return p.tcpFlags() != null && p.tcpFlags().contains("R");
  }

  static boolean isSynAck(PacketSummary p) {
    return p.tcpFlags() != null && p.tcpFlags().contains("S") && p.tcpFlags().contains("A");
  }
}

package io.netprobe.cli.explain;

import static io.netprobe.cli.explain.Explainer.verdict;
import static io.netprobe.matrix.Disposition.REFUSED;
import static io.netprobe.matrix.Disposition.UNREACHABLE;

import io.netprobe.agent.icmp.IcmpError;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Verdict;
import java.util.List;

/**
 * An ICMP error came back, and who sent it decides what it means:
 *
 * <ul>
 *   <li>port unreachable from the target itself: REFUSED (a closed UDP port); for TCP, a REJECT
 *       rule's answer (a closed TCP port answers with a reset), REFUSED when the rule that counted
 *       is kube-proxy's for a Service without endpoints;
 *   <li>host unreachable from the source's own address: the source kernel's own failed ARP, for the
 *       target on its LAN or for its gateway;
 *   <li>administratively prohibited from the source's own address: its own firewall rejects it;
 *   <li>any other: UNREACHABLE, sent "by" the target, or "at or in front of" a router or a
 *       translated address (NAT rewrites the sender).
 * </ul>
 */
final class IcmpErrors {
  private IcmpErrors() {}

  static Verdict explain(Observation o, List<Evidence> evidence) {
    IcmpError e = o.probe().icmpError();
    String sender = e == null || e.from() == null ? null : e.from();
    String what = e == null ? o.probe().status().phrase() : e.description();
    boolean fromTarget = o.targetIp().equals(sender);
    if (e != null && e.type() == 3 && e.code() == 3 && fromTarget && !Words.isUdp(o.check())) {
      return rejectedPort(o, evidence);
    }
    if (e != null && e.type() == 3 && e.code() == 3 && fromTarget) {
      return verdict(
          REFUSED,
          "nothing listens on udp/"
              + Words.servicePort(o.check())
              + " at "
              + Words.target(o)
              + " (ICMP port unreachable)",
          "start the service, or probe the port it listens on",
          evidence);
    }
    boolean fromSource = sender != null && isSource(o, sender);
    ProbeStatus status = o.probe().status();
    if (fromSource && status == ProbeStatus.HOST_UNREACHABLE) {
      return Silence.neighbourUnanswered(o, evidence, sender);
    }
    if (fromSource && status == ProbeStatus.ADMIN_PROHIBITED) {
      return verdict(
          UNREACHABLE,
          what
              + ", sent by "
              + o.check().from()
              + " itself ("
              + sender
              + "): its own firewall rejects "
              + Words.service(o.check())
              + " to "
              + o.targetIp(),
          "look at the OUTPUT chain of " + o.check().from() + "'s firewall",
          evidence);
    }
    String who = sender == null ? "a router" : sender;
    String at = o.path().isTranslated() || !fromTarget ? "at or in front of " : "by ";
    String hint =
        switch (status) {
          case ADMIN_PROHIBITED -> "a firewall REJECT rule " + at + who + " blocks this traffic";
          case NET_UNREACHABLE ->
              PathWords.noRouteHint(o).isEmpty()
                  ? who + " has no route to " + o.targetIp() + "'s network: add one there"
                  : PathWords.noRouteHint(o);
          case HOST_UNREACHABLE ->
              "no host answers ARP for "
                  + o.targetIp()
                  + " on "
                  + who
                  + "'s side (is it up, is the address right?)";
          default -> "see the ICMP error in the evidence";
        };
    java.util.Optional<String> rule = Words.rule(o);
    if (rule.isPresent() && status == ProbeStatus.ADMIN_PROHIBITED) {
      return verdict(
          UNREACHABLE,
          what + ", sent " + at + who + ": rejected by " + rule.get(),
          "change or remove that rule, or add an ACCEPT rule before it",
          evidence);
    }
    return verdict(UNREACHABLE, what + ", sent " + at + who, hint, evidence);
  }

  /** A TCP probe answered with ICMP port unreachable: a REJECT rule, not a closed port. */
  private static Verdict rejectedPort(Observation o, List<Evidence> evidence) {
    java.util.Optional<String> rule = Words.rule(o);
    java.util.regex.Matcher service = NO_ENDPOINTS.matcher(rule.orElse(""));
    if (service.find()) {
      // kube-proxy writes this REJECT, with this comment, for a Service with no ready pod
      return verdict(
          REFUSED,
          "the Kubernetes Service "
              + service.group(1)
              + " has no endpoints: kube-proxy rejects "
              + Words.target(o)
              + " port "
              + Words.wirePort(o.check())
              + " (ICMP port unreachable, "
              + rule.get()
              + ")",
          "no ready pod matches the Service's selector: compare it with the pods' labels"
              + " (kubectl get endpoints "
              + service.group(1).replaceFirst("^.*/", "")
              + ") and check that the pods are Ready",
          evidence);
    }
    return verdict(
        UNREACHABLE,
        "ICMP port unreachable for tcp/"
            + Words.wirePort(o.check())
            + " from "
            + Words.target(o)
            + ": a firewall REJECT rule answered (a closed TCP port answers with a reset)"
            + rule.map(r -> ": " + r).orElse(""),
        rule.isPresent()
            ? "change or remove that rule, or add an ACCEPT rule before it"
            : "look at "
                + Words.where(o)
                + "'s firewall ("
                + Words.iptables(o)
                + " -L -v -n) for a REJECT rule",
        evidence);
  }

  /** kube-proxy's comment on the REJECT of a Service without endpoints. */
  private static final java.util.regex.Pattern NO_ENDPOINTS =
      java.util.regex.Pattern.compile("\"?([\\w.-]+/[\\w.-]+(?::[\\w.-]+)?) has no endpoints");

  /** True when {@code address} is the source's own: the error was made by its own kernel. */
  private static boolean isSource(Observation o, String address) {
    return address.equals(o.probe().sourceAddress()) || o.source().ownAddresses().contains(address);
  }
}

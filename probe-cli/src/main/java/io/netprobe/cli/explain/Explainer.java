package io.netprobe.cli.explain;

import static io.netprobe.matrix.Disposition.AUTH_FAILED;
import static io.netprobe.matrix.Disposition.HOSTKEY_MISMATCH;
import static io.netprobe.matrix.Disposition.NAME_UNRESOLVED;
import static io.netprobe.matrix.Disposition.NOT_SSH;
import static io.netprobe.matrix.Disposition.REACHED;

import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.agent.probe.SocketFailures;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.Evidence;
import io.netprobe.report.model.Verdict;
import java.util.List;
import java.util.Optional;

/**
 * Evidence to verdict. The probe's status says which family of rules applies; each rule ({@link
 * Refusals}, {@link IcmpErrors}, {@link Silence}) reads the evidence that decides between the
 * dispositions of its family, and names a cause only where some evidence shows it. The path kind of
 * the target address only chooses the words ({@link PathWords}). The table of which evidence gives
 * which disposition is in {@code matrices/README.md}.
 */
public final class Explainer {

  /** The verdict for one check; {@link Verdict#disposition()} is null when it could not run. */
  public Verdict explain(Observation o) {
    Verdict v = decide(o);
    return o.trace().isEmpty()
        ? v
        : new Verdict(v.disposition(), v.reason(), v.evidence(), v.hint(), o.trace());
  }

  private Verdict decide(Observation o) {
    List<Evidence> evidence = EvidenceLines.of(o);
    ProbeResult r = o.probe();
    return switch (r.status()) {
      case REPLY, CONNECTED -> verdict(REACHED, reached(o), "", evidence);
      case CLOSED -> Refusals.closedAtOnce(o, evidence);
      case REFUSED -> Refusals.refused(o, evidence);
      case NAME_UNRESOLVED ->
          verdict(
              NAME_UNRESOLVED,
              r.host() + " did not resolve on " + o.check().from() + resolverSaid(r),
              "check "
                  + o.check().from()
                  + "'s name servers (resolv.conf) and its path to them (udp/53), or add the name"
                  + " to its /etc/hosts; use an address to test the path without DNS",
              evidence);
      case NO_ROUTE -> Silence.noRoute(o, evidence);
      case PORT_UNREACHABLE, NET_UNREACHABLE, HOST_UNREACHABLE, ADMIN_PROHIBITED, ICMP_ERROR ->
          IcmpErrors.explain(o, evidence);
      case AUTH_FAILED ->
          verdict(
              AUTH_FAILED,
              "the SSH server at " + Words.target(o) + " refused the login" + Words.user(r),
              "check the user and its password or key; the server's log says which was wrong",
              evidence);
      case HOSTKEY_MISMATCH ->
          verdict(
              HOSTKEY_MISMATCH,
              "the SSH host key of " + Words.target(o) + " is not the one in known_hosts",
              "if the VM was re-created, remove its old key from known_hosts (ssh-keygen -R '"
                  + knownHostsName(o.check())
                  + "') and accept the new one; otherwise suspect something in the middle",
              evidence);
      case NOT_SSH, KEX_FAILED ->
          verdict(
              NOT_SSH,
              r.status() == ProbeStatus.KEX_FAILED
                  ? "an SSH server answered at "
                      + Words.target(o)
                      + " but no key exchange was agreed"
                  : "something answered at " + Words.target(o) + ", but not an SSH server",
              "check what listens on that port (a port forward to the wrong guest port?)",
              evidence);
      case TLS_FAILED, NOT_HTTP, HTTP_STATUS, BODY_MISMATCH -> HttpAnswers.explain(o, evidence);
      case TIMEOUT -> Silence.explain(o, evidence);
      case ERROR -> {
        // ENOBUFS: the sender's own kernel refused the packet (its neighbour table is full)
        Optional<String> noRoom =
            r.evidence().stream().filter(SocketFailures::saysNoBufferSpace).findFirst();
        yield Verdict.notChecked(
            "the probe could not run on "
                + o.check().from()
                + ": "
                + noRoom.orElse(Words.lastEvidence(r)),
            evidence,
            noRoom.isPresent()
                ? Words.raiseNeighbourLimits(o.check().from())
                : "see the evidence; this is not a network result");
      }
    };
  }

  private static String reached(Observation o) {
    ProbeResult r = o.probe();
    ProbeSpec probe = o.check().probe();
    String how;
    if (probe instanceof ProbeSpec.Icmp) {
      if (r.echoes() != null && !r.echoes().rttMs().isEmpty()) {
        // the round-trip time of every echo cell, from the echoes themselves
        return Words.target(o) + " " + Measures.echoes(r.echoes());
      }
      how =
          r.echoes() == null
              ? "answered the echo"
              : "answered " + r.echoes().received() + "/" + r.echoes().sent() + " echoes";
    } else if (probe instanceof ProbeSpec.Tcp) {
      // the handshake's own time (the probe then held the connection for its settle window): as
      // the source's capture timed it, else by the probe's clock, which says so
      Double handshake = o.handshakeMs();
      if (handshake != null) {
        return Words.target(o)
            + " completed the TCP handshake ("
            + io.netprobe.agent.probe.RrProbe.ms(handshake)
            + (o.handshakeOnWireMs().isPresent() ? ")" : " by the probe's clock)");
      }
      how = "completed the TCP handshake";
    } else if (probe instanceof ProbeSpec.Udp) {
      how = "answered the datagram";
    } else if (probe instanceof ProbeSpec.Http http) {
      how = HttpAnswers.reached(r, http);
    } else if (probe instanceof ProbeSpec.Rr rr && r.transactions() != null) {
      return Words.target(o) + " answered " + Measures.answered(r.transactions(), rr);
    } else if (probe instanceof ProbeSpec.Bulk && r.throughput() != null) {
      return Words.target(o) + " " + Measures.received(r.throughput());
    } else if (r.ssh() != null && "none".equals(r.ssh().authMethod())) {
      how =
          "answered as an SSH server ("
              + (r.ssh().banner() == null ? "" : r.ssh().banner() + ", ")
              + "host key "
              + r.ssh().hostKeyType()
              + " "
              + r.ssh().hostKeyFingerprint()
              + "); no login attempted: no credentials given";
    } else {
      how = "logged in over SSH" + Words.user(r);
    }
    return Words.target(o) + " " + how + " (" + Math.round(r.elapsedMs()) + " ms)";
  }

  static Verdict verdict(Disposition d, String reason, String hint, List<Evidence> evidence) {
    return new Verdict(d, reason, evidence, hint);
  }

  /** How known_hosts names the target: {@code 10.1.5.91}, or {@code [127.0.0.1]:1234}. */
  private static String knownHostsName(Check c) {
    int port = Words.wirePort(c);
    return port == 22 ? c.to().ip() : "[" + c.to().ip() + "]:" + port;
  }

  /** The resolver's last word from the probe's evidence (NXDOMAIN, no answer, no server). */
  private static String resolverSaid(ProbeResult r) {
    return r.evidence().isEmpty() ? "" : ": " + Words.lastEvidence(r);
  }
}

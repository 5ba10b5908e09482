package io.netprobe.agent.probe;

import io.netprobe.agent.facts.RouteLookup;
import io.netprobe.agent.icmp.IcmpError;
import io.netprobe.agent.icmp.IcmpErrorTap;
import io.netprobe.agent.net.HostResolver;
import io.netprobe.agent.net.NetNamespace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Steps every probe shares: resolve the host, ask the kernel for the route, record a failure. */
final class ProbeSupport {
  private ProbeSupport() {}

  /**
   * Resolves the host as the agent's namespace does (its hosts file, then its nameservers, asked
   * from a socket there); on failure records NAME_UNRESOLVED with the evidence and gives null.
   * Completes on the namespace's event loop when DNS is asked.
   */
  static CompletableFuture<InetAddress> resolve(
      ProbeResult.Builder result, ProbeTarget target, NetNamespace netns) {
    return netns
        .resolver()
        .resolve(target.host(), target.timeoutMs(), target.family())
        .thenApply(answer -> record(result, answer));
  }

  /** {@link #resolve}, waiting for it: for probes that run on a worker thread. */
  static InetAddress resolveNow(
      ProbeResult.Builder result, ProbeTarget target, NetNamespace netns) {
    return resolve(result, target, netns).join();
  }

  private static InetAddress record(ProbeResult.Builder result, HostResolver.Answer answer) {
    if (!answer.literal()) {
      answer.evidence().forEach(result::evidence);
    }
    if (!answer.resolved()) {
      result.status(ProbeStatus.NAME_UNRESOLVED);
      return null;
    }
    result.address(io.netprobe.agent.address.Addresses.text(answer.address()));
    if (!answer.literal()) {
      result.step("resolve");
    }
    return answer.address();
  }

  /**
   * Asks the kernel for the route; when there is none records NO_ROUTE and returns false. A route
   * that exists gives the source address the packets will carry.
   */
  static boolean routed(ProbeResult.Builder result, InetAddress address) {
    RouteLookup.Answer answer = RouteLookup.sourceFor(address);
    if (answer.routed()) {
      result.source(answer.source(), null);
      return true;
    }
    result
        .status(ProbeStatus.NO_ROUTE)
        .evidence(
            "the kernel has no usable route to "
                + io.netprobe.agent.address.Addresses.text(address)
                + ": "
                + answer.meaning()
                + " ("
                + answer.error()
                + "); no packet left this node");
    return false;
  }

  /**
   * Records a socket failure; an ICMP error heard for the flow decides the status (it is more
   * precise than the errno: admin-prohibited, or the unreachable a TCP connect only times out on).
   */
  static void failed(
      ProbeResult.Builder result,
      Throwable error,
      InetSocketAddress remote,
      int timeoutMs,
      IcmpError icmp) {
    if (icmp == null) {
      failed(result, error, remote, timeoutMs);
      return;
    }
    result
        .icmpError(icmp)
        .status(ProbeStatus.of(icmp))
        .evidence(
            (remote.getAddress() instanceof java.net.Inet6Address ? "ICMPv6 " : "ICMP ")
                + icmp.description()
                + (remote.getAddress() instanceof java.net.Inet6Address
                    ? ""
                    : " (type " + icmp.type() + " code " + icmp.code() + ")")
                + " from "
                + icmp.from()
                + " for "
                + io.netprobe.agent.address.Addresses.withPort(
                    io.netprobe.agent.address.Addresses.text(remote.getAddress()),
                    remote.getPort()));
    result.evidence(SocketFailures.classify(error, remote, timeoutMs).message());
  }

  /**
   * The ICMP error heard for a flow; null if none. When the errno says an ICMP error came (host or
   * net unreachable, prohibited; or a refusal, which a REJECT's port unreachable also gives) waits
   * up to 100 ms for the tap to read it, after a timeout 20 ms. The grace runs on {@code timer},
   * the agent's own (not CompletableFuture's one JVM-wide delay thread, which would then also run
   * what follows: with many agents in one JVM, every timed-out probe's reply would queue behind
   * it).
   */
  static CompletableFuture<IcmpError> heard(
      IcmpErrorTap.Watch watch, Throwable failure, ScheduledExecutorService timer) {
    if (watch == null) {
      return CompletableFuture.completedFuture(null);
    }
    ProbeStatus errno = failure == null ? ProbeStatus.TIMEOUT : SocketFailures.statusOf(failure);
    IcmpError now = watch.error().getNow(null);
    if (now != null) {
      watch.release();
      return CompletableFuture.completedFuture(now);
    }
    // A timeout may race an ICMP error for the last retransmission: a short grace suffices. A
    // refusal may be an ICMP port unreachable (a REJECT rule: the kernel reports it as
    // ECONNREFUSED, like a reset) that the tap's thread has not read yet on a busy machine.
    int graceMs = errno == ProbeStatus.TIMEOUT ? 20 : 100;
    CompletableFuture<IcmpError> heard = new CompletableFuture<>();
    watch.error().whenComplete((e, t) -> heard.complete(e));
    timer.schedule(() -> heard.complete(null), graceMs, TimeUnit.MILLISECONDS);
    return heard.whenComplete((e, t) -> watch.release());
  }

  /** Records a socket failure through the one classifier, keeping address and timeout. */
  static void failed(
      ProbeResult.Builder result, Throwable error, InetSocketAddress remote, int timeoutMs) {
    SocketFailures.Failure failure = SocketFailures.classify(error, remote, timeoutMs);
    result.status(failure.status()).evidence(failure.message());
  }
}

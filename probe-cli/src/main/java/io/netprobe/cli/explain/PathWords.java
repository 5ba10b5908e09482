package io.netprobe.cli.explain;

import io.netprobe.matrix.NodeKind;

/**
 * What the path kind of the target address adds to a reason and a hint. It only words what the
 * evidence decided: it is asked once a rule knows where the packets were lost, and its words fit
 * the probe (ICMP cannot be published) and the source (a container meets Docker's isolation, a host
 * outside meets an unpublished port). A hint never contradicts its reason.
 */
final class PathWords {
  private PathWords() {}

  /**
   * Why a request that never arrived was lost, from the path kind; empty when the path kind says
   * nothing more than "on the way".
   */
  static String lostBecause(Observation o) {
    String ip = o.check().to().ip();
    return switch (o.path()) {
      case NAT ->
          ip
              + " is a NAT-private address; it exists only behind the NAT engine and no route"
              + " leads to it from "
              + o.check().from();
      case FLOATING_IP -> ""; // which of the router, its security group or a route: evidence only
      case DOCKER_BRIDGE ->
          fromContainer(o)
              ? o.source().onOwnNetwork(o.targetIp()).orElse(true)
                  ? "Docker isolates its bridge networks from each other: only containers on "
                      + Words.where(o)
                      + "'s network reach it"
                  : "Docker isolates its bridge networks from each other, and "
                      + o.check().from()
                      + " is not on "
                      + Words.where(o)
                      + "'s network: its own is "
                      + String.join(", ", o.source().networks())
              : Words.isIcmp(o.check())
                  ? "a user-defined Docker bridge network is not reachable from outside the Docker"
                      + " host"
                  : "a port that is only exposed on a Docker bridge is not reachable from outside"
                      + " the Docker host: only a published port is";
      case HOST_ONLY -> "a host-only network reaches the host and its VMs only";
      default -> "";
    };
  }

  /** The hint for a request lost on the way, from the path kind; empty for none. */
  static String hint(Observation o) {
    String ip = o.check().to().ip();
    return switch (o.path()) {
      case NAT ->
          ip
              + " is the VM's NAT-private address: from outside use a port forward (host port ->"
              + " guest port) or a bridged adapter";
      case FLOATING_IP ->
          "the security group must admit "
              + Words.service(o.check())
              + " ingress"
              + (Words.isIcmp(o.check()) ? "" : " (a rule for " + Words.service(o.check()) + ")")
              + ", and the floating IP must be associated";
      case DOCKER_BRIDGE ->
          fromContainer(o)
              ? "put both containers on one network (docker network connect NETWORK "
                  + o.check().from()
                  + ")"
                  + (Words.isIcmp(o.check()) ? "" : ", or publish the port and use the host's")
              : Words.isIcmp(o.check())
                  ? "ICMP cannot be published: probe a published TCP port, or run the check from a"
                      + " container on that network"
                  : "publish the port (docker run -p HOST:CONTAINER) and probe the host's port";
      case PORT_FORWARD -> "check the port forward rule and the guest's firewall";
      case HOST_ONLY -> "use a NAT or bridged adapter for access beyond the host";
      default -> "";
    };
  }

  /** The hint for a source that has no route, where the path kind knows better than a route. */
  static String noRouteHint(Observation o) {
    return switch (o.path()) {
      case NAT, DOCKER_BRIDGE, HOST_ONLY -> hint(o);
      default -> "";
    };
  }

  private static boolean fromContainer(Observation o) {
    return o.source().kind() == NodeKind.DOCKER;
  }
}

package io.netprobe.matrix;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What kind of path leads to a named address. It sharpens the reason and the hint of a result; the
 * disposition always comes from the packets, never from the path kind alone.
 */
public enum PathKind {
  NAT("nat", true, "a NAT-private address: from outside the NAT use a port forward or a bridge"),
  BRIDGED("bridged", false, "an address of its own on the LAN, bridged by the host"),
  HOST_ONLY("host-only", false, "a private network between the host and its VMs, no outside"),
  PORT_FORWARD("port-forward", true, "a port of the host forwarded to the guest"),
  DOCKER0("docker0", false, "Docker's default bridge: containers and the Docker host only"),
  DOCKER_BRIDGE("docker-bridge", false, "a user-defined Docker bridge: published ports only"),
  FLOATING_IP("floating-ip", true, "a public address mapped 1:1 by a router, behind a firewall"),
  VLAN("vlan", false, "an address on a VLAN of a switch: only ports of the same VLAN meet"),
  POD("pod", false, "a Kubernetes pod's address: every pod and node reaches it, the outside not"),
  CLUSTER_IP(
      "cluster-ip",
      true,
      "a Kubernetes Service's virtual address: kube-proxy on the sender's node translates it to a"
          + " pod"),
  NODEPORT(
      "nodeport",
      true,
      "a Kubernetes Service's port on every node: kube-proxy forwards it to a pod, maybe on another"
          + " node"),
  ROUTED("routed", false, "an address beyond one or more routers"),
  DIRECT("direct", false, "an address on the same link");

  private final String yamlName;
  private final boolean translated;
  private final String meaning;

  PathKind(String yamlName, boolean translated, String meaning) {
    this.yamlName = yamlName;
    this.translated = translated;
    this.meaning = meaning;
  }

  /** The name written in a matrix file. */
  public String yamlName() {
    return yamlName;
  }

  /**
   * True when a router rewrites addresses on the way: ICMP errors may then carry the translated
   * address, so say "at or in front of", not "by".
   */
  public boolean isTranslated() {
    return translated;
  }

  /** One line for a student: what this kind of address is. */
  public String meaning() {
    return meaning;
  }

  /** The kind written {@code name} in a matrix file, if any. */
  public static Optional<PathKind> fromYaml(String name) {
    return Arrays.stream(values()).filter(k -> k.yamlName.equals(name)).findFirst();
  }

  /** Every name a matrix file may use, in declaration order. */
  public static List<String> yamlNames() {
    return Arrays.stream(values()).map(PathKind::yamlName).toList();
  }
}

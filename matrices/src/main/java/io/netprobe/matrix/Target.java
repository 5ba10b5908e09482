package io.netprobe.matrix;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where a check goes, resolved: the node and address it names (none for a literal IP), the IP, the
 * path kind, and the ports the packets really use.
 *
 * @param ref the target as written: {@code vm.nat}, {@code vm}, {@code 203.0.113.10:80}
 */
public record Target(
    String ref,
    Optional<String> node,
    Optional<Address> address,
    String ip,
    PathKind path,
    OptionalInt literalPort,
    String family) {

  /** A target whose name, if it is one, resolves as the agent prefers (IPv4 first). */
  public Target(
      String ref,
      Optional<String> node,
      Optional<Address> address,
      String ip,
      PathKind path,
      OptionalInt literalPort) {
    this(ref, node, address, ip, path, literalPort, null);
  }

  public Target {
    if (family != null && !family.equals("ipv4") && !family.equals("ipv6")) {
      throw new IllegalArgumentException("target " + ref + ": family must be ipv4 or ipv6");
    }
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(literalPort, "literalPort");
    if (node.isPresent() != address.isPresent()) {
      throw new IllegalArgumentException("target " + ref + ": a node needs its address");
    }
  }

  /** A named address of a node. */
  public static Target of(String ref, Node node, Address address) {
    return new Target(
        ref,
        Optional.of(node.name()),
        Optional.of(address),
        address.ip(),
        address.path(),
        OptionalInt.empty());
  }

  /** A literal IP (with an optional port); the path is taken as routed. */
  public static Target literal(String ref, String ip, OptionalInt port) {
    return new Target(ref, Optional.empty(), Optional.empty(), ip, PathKind.ROUTED, port);
  }

  public boolean isLiteral() {
    return node.isEmpty();
  }

  /** The same target resolved to one family only: a host name's A or AAAA address. */
  public Target inFamily(String onlyFamily) {
    return new Target(ref, node, address, ip, path, literalPort, onlyFamily);
  }

  /** Whether the check goes over IPv6: an IPv6 literal, or a name resolved to IPv6 only. */
  public boolean ipv6() {
    return "ipv6".equals(family) || (!isHostName() && ip.indexOf(':') >= 0);
  }

  /** True when the target is a host name, which the source's agent resolves (see Address). */
  public boolean isHostName() {
    return address.map(Address::isHostName).orElse(false);
  }

  /** The port packets go to for a probe of {@code probePort}. */
  public int wirePort(int probePort) {
    if (literalPort.isPresent()) {
      return literalPort.getAsInt();
    }
    return address.map(a -> a.wirePort(probePort)).orElse(probePort);
  }

  /** Port-maps as a map view, for reports: empty for literals. */
  public Map<Integer, Integer> portMap() {
    return address.map(Address::portMap).orElse(Map.of());
  }
}

package io.netprobe.matrix;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A named address of a node ({@code vm.nat}, {@code vm.forward}), with the kind of path that leads
 * to it.
 *
 * @param port when set, every TCP/UDP/SSH probe to this address goes to this port
 * @param portMap probe port to the port packets are sent to ({@code 22: 1234} for a port forward)
 * @param from the only nodes that may use this address (e.g. the host of a 127.0.0.1 forward);
 *     empty means every node
 * @param ip6 the same address's IPv6 twin on a dual-stack node ({@code ip6: fd00:1::5a}), probed by
 *     checks of {@code family: ipv6} or {@code both}; null when it has none
 */
public record Address(
    String name,
    String ip,
    PathKind path,
    OptionalInt port,
    Map<Integer, Integer> portMap,
    List<String> from,
    String ip6) {

  /** An address without an IPv6 twin. */
  public Address(
      String name,
      String ip,
      PathKind path,
      OptionalInt port,
      Map<Integer, Integer> portMap,
      List<String> from) {
    this(name, ip, path, port, portMap, from, null);
  }

  /** The same address as its IPv6 twin: {@code ip} is {@code ip6}. */
  public Address asIpv6() {
    return new Address(name, ip6, path, port, portMap, from, null);
  }

  public Address {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(port, "port");
    portMap = Collections.unmodifiableMap(new TreeMap<>(portMap));
    from = List.copyOf(from);
    if (port.isPresent() && !portMap.isEmpty()) {
      throw new IllegalArgumentException(
          "address '" + name + "' has both a fixed port and a port-map; keep one");
    }
  }

  /**
   * True when {@code ip} is a host name ({@code host:} in the matrix), which the source's agent
   * resolves as that node would; the packets then go to the address it resolves to.
   */
  public boolean isHostName() {
    return isHostName(ip);
  }

  /** True when {@code text} would be read as a host name, not an IP literal (the reader's rule). */
  public static boolean isHostName(String text) {
    return !text.isEmpty() && !Syntax.looksLikeIp(text);
  }

  /** True when {@code node} may send to this address. */
  public boolean isUsableFrom(String node) {
    return from.isEmpty() || from.contains(node);
  }

  /** The port packets go to for a probe of {@code probePort}, after the port-map. */
  public int wirePort(int probePort) {
    if (port.isPresent()) {
      return port.getAsInt();
    }
    return portMap.getOrDefault(probePort, probePort);
  }
}

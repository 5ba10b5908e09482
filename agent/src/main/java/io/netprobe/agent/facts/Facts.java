package io.netprobe.agent.facts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a node looks like from inside: interfaces and addresses, the main routing table, the route
 * the kernel would pick for the addresses asked about, listening sockets with the address they are
 * bound to, and whether it forwards packets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Facts(
    String hostname,
    List<Interface> interfaces,
    List<Route> routes,
    List<RouteChoice> routeChoices,
    List<Listener> listening,
    boolean ipForward,
    List<Neighbour> neighbours) {
  public Facts {
    interfaces = List.copyOf(interfaces);
    routes = List.copyOf(routes);
    routeChoices = List.copyOf(routeChoices);
    listening = List.copyOf(listening);
    neighbours = neighbours == null ? List.of() : List.copyOf(neighbours);
  }

  /** Every address of the node's interfaces, without the prefix length. */
  public java.util.Set<String> ownAddresses() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    interfaces.forEach(i -> i.addresses().forEach(a -> out.add(a.replaceFirst("/.*$", ""))));
    return out;
  }

  /** The neighbour entry for {@code ip}, if the node has one. */
  public java.util.Optional<Neighbour> neighbour(String ip) {
    return neighbours.stream().filter(n -> n.ip().equals(ip)).findFirst();
  }

  /** A network interface; addresses in CIDR form ({@code 10.1.5.90/16}). */
  public record Interface(
      String name, int index, int mtu, boolean up, String mac, List<String> addresses) {
    public Interface {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * A route of the main table. {@code type} is unicast, or unreachable/prohibit/blackhole for a
   * reject route; {@code gateway} null when on-link.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Route(String destination, String gateway, String device, int metric, String type) {}

  /**
   * The route the kernel would use to {@code destination}: the longest match in the main table and
   * the source address the kernel picked (null with {@code error} when it has no route).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RouteChoice(String destination, Route route, String source, String error) {}

  /**
   * An entry of the neighbour (ARP) table: {@code answered} false when the node asked for the
   * address and nobody answered (INCOMPLETE while it still asks, FAILED after), so nothing routed
   * through it can leave.
   */
  public record Neighbour(String ip, String device, String mac, boolean answered) {}

  /** A listening socket: {@code 127.0.0.1:22} answers only from this node. */
  public record Listener(String protocol, String address, int port) {
    public boolean loopbackOnly() {
      return address.startsWith("127.") || address.equals("::1");
    }
  }
}

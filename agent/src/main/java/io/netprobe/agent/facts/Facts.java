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
    List<Neighbour> neighbours,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SwitchPort> switchPorts,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Translation> translations) {
  public Facts {
    interfaces = List.copyOf(interfaces);
    routes = List.copyOf(routes);
    routeChoices = List.copyOf(routeChoices);
    listening = List.copyOf(listening);
    neighbours = neighbours == null ? List.of() : List.copyOf(neighbours);
    switchPorts = switchPorts == null ? List.of() : List.copyOf(switchPorts);
    translations = translations == null ? List.of() : List.copyOf(translations);
  }

  /** Facts without address translations. */
  public Facts(
      String hostname,
      List<Interface> interfaces,
      List<Route> routes,
      List<RouteChoice> routeChoices,
      List<Listener> listening,
      boolean ipForward,
      List<Neighbour> neighbours,
      List<SwitchPort> switchPorts) {
    this(
        hostname,
        interfaces,
        routes,
        routeChoices,
        listening,
        ipForward,
        neighbours,
        switchPorts,
        null);
  }

  /** A node that runs no switch. */
  public Facts(
      String hostname,
      List<Interface> interfaces,
      List<Route> routes,
      List<RouteChoice> routeChoices,
      List<Listener> listening,
      boolean ipForward,
      List<Neighbour> neighbours) {
    this(hostname, interfaces, routes, routeChoices, listening, ipForward, neighbours, null);
  }

  /** Every address of the node's interfaces, without the prefix length. */
  public java.util.Set<String> ownAddresses() {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    interfaces.forEach(
        i ->
            i.addresses()
                .forEach(
                    a -> {
                      int slash = a.indexOf('/');
                      out.add(slash < 0 ? a : a.substring(0, slash));
                    }));
    return out;
  }

  /** The neighbour entry for {@code ip}, if the node has one. */
  public java.util.Optional<Neighbour> neighbour(String ip) {
    return neighbours.stream().filter(n -> n.ip().equals(ip)).findFirst();
  }

  /**
   * A network interface; addresses in CIDR form ({@code 10.1.5.90/16}); {@code kind} what the
   * kernel calls its type ({@code bridge}, {@code veth}, {@code vxlan}, null for a plain device)
   * and {@code master} the bridge it is a port of (null: none), where netlink told.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Interface(
      String name,
      int index,
      int mtu,
      boolean up,
      String mac,
      List<String> addresses,
      String kind,
      String master) {
    public Interface {
      addresses = List.copyOf(addresses);
    }

    /** An interface without its kind and master. */
    public Interface(
        String name, int index, int mtu, boolean up, String mac, List<String> addresses) {
      this(name, index, mtu, up, mac, addresses, null, null);
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

  /**
   * A port of a switch that runs on the node (Open vSwitch): its access VLAN ({@code tag}, null on
   * a port that carries every VLAN untagged or only trunks), the VLANs it trunks, its OpenFlow port
   * number, and the MAC addresses known behind it (configured as attached-mac, or learned).
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record SwitchPort(
      String bridge,
      String port,
      Integer tag,
      List<Integer> trunks,
      int ofport,
      List<String> macs) {
    public SwitchPort {
      trunks = trunks == null ? List.of() : List.copyOf(trunks);
      macs = macs == null ? List.of() : List.copyOf(macs);
    }

    /** {@code access port of VLAN 7}, {@code trunk of VLANs 7, 8}, {@code port in no VLAN}. */
    public String vlanSaid() {
      if (tag != null) {
        return "access port of VLAN " + tag;
      }
      if (!trunks.isEmpty()) {
        return "trunk of VLANs " + String.join(", ", trunks.stream().map(String::valueOf).toList());
      }
      return "port of every VLAN (no tag)";
    }

    /**
     * True when a frame can go from this port to {@code other} on one VLAN: same bridge, and a VLAN
     * both carry (a port with neither tag nor trunks carries every VLAN).
     */
    public boolean sharesVlanWith(SwitchPort other) {
      if (!bridge.equals(other.bridge)) {
        return false;
      }
      List<Integer> mine = vlans();
      List<Integer> theirs = other.vlans();
      return mine.isEmpty() || theirs.isEmpty() || mine.stream().anyMatch(theirs::contains);
    }

    private List<Integer> vlans() {
      return tag != null ? List.of(tag) : trunks;
    }
  }

  /**
   * A connection this node translated (its conntrack table): as it arrived ({@code src:srcPort ->
   * dst:dstPort}) and where it went ({@code toAddress:toPort}, after a DNAT, a port forward, a
   * Service's rule), from which address it left ({@code fromAddress}, after a SNAT or masquerade);
   * ports null for ICMP.
   */
  public record Translation(
      String protocol,
      String src,
      Integer srcPort,
      String dst,
      Integer dstPort,
      String toAddress,
      Integer toPort,
      String fromAddress,
      boolean replied) {
    /** True when the destination was rewritten (DNAT): the connection went elsewhere. */
    public boolean redirected() {
      return !dst.equals(toAddress) || !java.util.Objects.equals(dstPort, toPort);
    }
  }

  /** A listening socket: {@code 127.0.0.1:22} answers only from this node. */
  public record Listener(String protocol, String address, int port) {
    public boolean loopbackOnly() {
      return address.startsWith("127.") || address.equals("::1");
    }
  }
}

package io.netprobe.matrix;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fact of configuration a node must have, as a matrix's {@code facts:} states it: an address, a
 * route, a listening socket, forwarding, a NAT rule, a name that resolves. The node's agent reads
 * what is there; the coordinator compares ({@code FactAnswers} in probe-cli). {@link #text} is the
 * fact in the matrix's own words, normalized: it names the check ({@code calc route 192.168.2.0/24
 * via 192.168.1.253}).
 */
public sealed interface Fact
    permits Fact.AddressFact,
        Fact.RouteFact,
        Fact.ListeningFact,
        Fact.ForwardingFact,
        Fact.NatFact,
        Fact.DnsFact {

  /** The kinds, as the matrix's keys name them, lowest layer first. */
  List<String> KINDS = List.of("address", "forwarding", "route", "listening", "nat", "dns");

  /** {@code address}, {@code route}, ...: the key the matrix wrote it under. */
  String kind();

  /** The fact in words, normalized: {@code 192.168.2.0/24 via 192.168.1.253}. */
  String text();

  /** Its layer, for ordering (0 = lowest: addresses; 5 = names). */
  default int layer() {
    return KINDS.indexOf(kind());
  }

  /** {@code 10.0.2.15/24 on eth0}; prefix null: any prefix length; device null: any interface. */
  record AddressFact(String ip, Integer prefix, String device) implements Fact {
    @Override
    public String kind() {
      return "address";
    }

    @Override
    public String text() {
      return ip + (prefix == null ? "" : "/" + prefix) + (device == null ? "" : " on " + device);
    }
  }

  /**
   * {@code 192.168.2.0/24 via 192.168.1.253 [dev eth1]}, {@code default via 10.0.2.2}: the route
   * the node's kernel picks for that network goes that way. Neither via nor dev: some route more
   * precise than the default one reaches it.
   */
  record RouteFact(String network, int prefix, String via, String device) implements Fact {
    @Override
    public String kind() {
      return "route";
    }

    @Override
    public String text() {
      String dest = prefix == 0 ? "default" : network + "/" + prefix;
      return dest + (via == null ? "" : " via " + via) + (device == null ? "" : " dev " + device);
    }

    /** The network as CIDR ({@code 0.0.0.0/0}, or {@code ::/0}, for the default route). */
    public String cidr() {
      return network + "/" + prefix;
    }

    /** Whether this is an IPv6 route. */
    public boolean ipv6() {
      return network.contains(":");
    }
  }

  /** {@code tcp/50000 [on 0.0.0.0]}; address null: on any address. */
  record ListeningFact(String protocol, int port, String address) implements Fact {
    @Override
    public String kind() {
      return "listening";
    }

    @Override
    public String text() {
      return protocol + "/" + port + (address == null ? "" : " on " + address);
    }
  }

  /** {@code forwarding: true}: the node routes packets between its interfaces (ip_forward). */
  record ForwardingFact(boolean on) implements Fact {
    @Override
    public String kind() {
      return "forwarding";
    }

    @Override
    public String text() {
      return on ? "on" : "off";
    }
  }

  /**
   * A translation in the node's nat table: a DNAT ({@code tcp/1234 -> 10.0.2.15:22}, {@code
   * 192.168.37.163 -> 10.0.0.109}), or a masquerade ({@code masquerade [out eth1]}). For a DNAT,
   * {@code protocol}, {@code port} and {@code address} say what it matches (null: any), {@code
   * toAddress} and {@code toPort} where it sends it.
   */
  record NatFact(
      boolean masquerade,
      String protocol,
      String address,
      Integer port,
      String toAddress,
      Integer toPort,
      String outDevice)
      implements Fact {
    @Override
    public String kind() {
      return "nat";
    }

    @Override
    public String text() {
      if (masquerade) {
        return "masquerade" + (outDevice == null ? "" : " out " + outDevice);
      }
      StringBuilder from = new StringBuilder();
      if (protocol != null) {
        from.append(protocol).append('/');
      }
      if (address != null) {
        from.append(address).append(port == null ? "" : ":" + port);
      } else if (port != null) {
        from.append(port);
      }
      return from + " -> " + toAddress + (toPort == null ? "" : ":" + toPort);
    }
  }

  /** {@code www.example.net [-> 203.0.113.10]}: the name resolves (to that address). */
  record DnsFact(String name, String address) implements Fact {
    @Override
    public String kind() {
      return "dns";
    }

    @Override
    public String text() {
      return name + (address == null ? "" : " -> " + address);
    }
  }

  /** The fact written {@code text} under {@code kind}, or why it cannot be read. */
  static Parsed<Fact> parse(String kind, String text) {
    String t = text.trim().replaceAll("\\s+", " ");
    return switch (kind) {
      case "address" -> address(t);
      case "route" -> route(t);
      case "listening" -> listening(t);
      case "forwarding" -> forwarding(t);
      case "nat" -> nat(t);
      case "dns" -> dns(t);
      default -> Parsed.bad("unknown fact '" + kind + "'; facts are " + String.join(", ", KINDS));
    };
  }

  Pattern ON_DEVICE = Pattern.compile("(\\S+)(?: on (\\S+))?");
  Pattern ROUTE = Pattern.compile("(\\S+)((?: (?:via|dev) \\S+)*)");
  Pattern LISTENING = Pattern.compile("(tcp|udp)/(\\d+)(?: on (\\S+))?");
  Pattern MASQUERADE = Pattern.compile("masquerade(?: out (\\S+))?");
  Pattern DNAT = Pattern.compile("(?:(tcp|udp)/)?(\\S+) (?:->|to) (\\S+)");
  Pattern DNS = Pattern.compile("(\\S+)(?: (?:->|resolves to) (\\S+))?");

  private static Parsed<Fact> address(String t) {
    Matcher m = ON_DEVICE.matcher(t);
    String usage =
        "write address: IP[/LEN] [on IFACE], e.g. 10.0.2.15/24 on eth0 or fd00:1::5a/64 on eth0";
    if (!m.matches()) {
      return Parsed.bad("'" + t + "' is not an address fact; " + usage);
    }
    String[] cidr = m.group(1).split("/", 2);
    Parsed<String> ip = ip(cidr[0], usage);
    if (!ip.isOk()) {
      return Parsed.bad(ip.error());
    }
    Integer prefix = null;
    if (cidr.length == 2) {
      Optional<Integer> len = prefix(cidr[1], ip.value());
      if (len.isEmpty()) {
        return Parsed.bad(
            "bad prefix length '/" + cidr[1] + "': 0.." + bits(ip.value()) + "; " + usage);
      }
      prefix = len.get();
    }
    return Parsed.ok(new AddressFact(ip.value(), prefix, m.group(2)));
  }

  private static Parsed<Fact> route(String t) {
    String usage =
        "write route: NETWORK/LEN [via GATEWAY] [dev IFACE], e.g. 192.168.2.0/24 via"
            + " 192.168.1.253, fd00:10::/64 via fd00:1::a, or default via 10.0.2.2";
    Matcher m = ROUTE.matcher(t);
    if (!m.matches()) {
      return Parsed.bad("'" + t + "' is not a route fact; " + usage);
    }
    String network;
    int prefix;
    if (m.group(1).equals("default")) {
      // an IPv6 default route says so by its gateway: default via fd00:1::fe
      network = m.group(2).matches(".*via \\S*:.*") ? "::" : "0.0.0.0";
      prefix = 0;
    } else {
      String[] cidr = m.group(1).split("/", 2);
      Parsed<String> ip = ip(cidr[0], usage);
      if (!ip.isOk()) {
        return Parsed.bad(ip.error());
      }
      Optional<Integer> len =
          cidr.length == 2 ? prefix(cidr[1], ip.value()) : Optional.of(bits(ip.value()));
      if (len.isEmpty()) {
        return Parsed.bad(
            "bad prefix length '/" + cidr[1] + "': 0.." + bits(ip.value()) + "; " + usage);
      }
      prefix = len.get();
      network = networkOf(ip.value(), prefix);
      if (!network.equals(ip.value())) {
        return Parsed.bad(
            "'"
                + m.group(1)
                + "' is not a network: write "
                + network
                + "/"
                + prefix
                + "; "
                + usage);
      }
    }
    String via = null;
    String dev = null;
    String[] words = m.group(2).trim().isEmpty() ? new String[0] : m.group(2).trim().split(" ");
    for (int i = 0; i + 1 < words.length; i += 2) {
      if (words[i].equals("via")) {
        Parsed<String> gw = ip(words[i + 1], usage);
        if (!gw.isOk()) {
          return Parsed.bad(gw.error());
        }
        if (gw.value().contains(":") != network.contains(":")) {
          return Parsed.bad(
              "gateway " + gw.value() + " is not of " + m.group(1) + "'s family; " + usage);
        }
        via = gw.value();
      } else {
        dev = words[i + 1];
      }
    }
    return Parsed.ok(new RouteFact(network, prefix, via, dev));
  }

  private static Parsed<Fact> listening(String t) {
    Matcher m = LISTENING.matcher(t.toLowerCase(Locale.ROOT));
    String usage = "write listening: tcp/PORT [on ADDRESS], e.g. tcp/50000 on 0.0.0.0, or udp/53";
    if (!m.matches()) {
      return Parsed.bad("'" + t + "' is not a listening fact; " + usage);
    }
    Parsed<Integer> port = Syntax.port(m.group(2));
    if (!port.isOk()) {
      return Parsed.bad(port.error() + "; " + usage);
    }
    String on = m.group(3);
    if (on != null) {
      Parsed<String> ip = ip(on, usage);
      if (!ip.isOk()) {
        return Parsed.bad(ip.error());
      }
      on = ip.value();
    }
    return Parsed.ok(new ListeningFact(m.group(1), port.value(), on));
  }

  private static Parsed<Fact> forwarding(String t) {
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes" -> Parsed.ok(new ForwardingFact(true));
      case "false", "off", "no" -> Parsed.ok(new ForwardingFact(false));
      default ->
          Parsed.bad("'" + t + "' is not a forwarding fact; write forwarding: true or false");
    };
  }

  private static Parsed<Fact> nat(String t) {
    String usage =
        "write nat: [tcp/|udp/]PORT -> ADDRESS[:PORT] (a port forward, e.g. tcp/1234 ->"
            + " 10.0.2.15:22), ADDRESS -> ADDRESS (a floating IP), or masquerade [out IFACE]";
    Matcher masq = MASQUERADE.matcher(t.toLowerCase(Locale.ROOT));
    if (masq.matches()) {
      return Parsed.ok(new NatFact(true, null, null, null, null, null, masq.group(1)));
    }
    Matcher m = DNAT.matcher(t);
    if (!m.matches()) {
      return Parsed.bad("'" + t + "' is not a nat fact; " + usage);
    }
    String address = null;
    Integer port = null;
    if (m.group(2).matches("\\d+")) {
      Parsed<Integer> p = Syntax.port(m.group(2));
      if (!p.isOk()) {
        return Parsed.bad(p.error() + "; " + usage);
      }
      port = p.value();
    } else {
      Parsed<Syntax.Endpoint> from = Syntax.endpoint(m.group(2));
      if (!from.isOk()) {
        return Parsed.bad(from.error() + "; " + usage);
      }
      address = from.value().ip();
      port = from.value().port().isPresent() ? from.value().port().getAsInt() : null;
    }
    Parsed<Syntax.Endpoint> to = Syntax.endpoint(m.group(3));
    if (!to.isOk()) {
      return Parsed.bad(to.error() + "; " + usage);
    }
    Integer toPort = to.value().port().isPresent() ? to.value().port().getAsInt() : null;
    String protocol = m.group(1) != null ? m.group(1) : port != null ? "tcp" : null;
    return Parsed.ok(new NatFact(false, protocol, address, port, to.value().ip(), toPort, null));
  }

  private static Parsed<Fact> dns(String t) {
    Matcher m = DNS.matcher(t);
    String usage = "write dns: NAME [-> ADDRESS], e.g. www.example.net -> 203.0.113.10";
    if (!m.matches()) {
      return Parsed.bad("'" + t + "' is not a dns fact; " + usage);
    }
    Parsed<String> name = Syntax.hostName(m.group(1));
    if (!name.isOk()) {
      return Parsed.bad(name.error() + "; " + usage);
    }
    if (m.group(2) != null) {
      Parsed<Syntax.Endpoint> ip = Syntax.endpoint(m.group(2));
      if (!ip.isOk() || ip.value().port().isPresent()) {
        return Parsed.bad("'" + m.group(2) + "' is not an address; " + usage);
      }
      return Parsed.ok(new DnsFact(m.group(1), ip.value().ip()));
    }
    return Parsed.ok(new DnsFact(m.group(1), null));
  }

  /** An IPv4 address, or an IPv6 one written compressed as the agents write it. */
  private static Parsed<String> ip(String text, String usage) {
    if (text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.]+")) {
      try {
        java.net.InetAddress a = java.net.InetAddress.getByName(text);
        if (a instanceof java.net.Inet6Address) {
          return Parsed.ok(io.netprobe.agent.address.Addresses.text(a));
        }
      } catch (java.net.UnknownHostException e) {
        // said below
      }
      return Parsed.bad("'" + text + "' is not an IPv6 address; " + usage);
    }
    return ipv4(text, usage);
  }

  private static int bits(String ip) {
    return ip.contains(":") ? 128 : 32;
  }

  private static Optional<Integer> prefix(String text, String ip) {
    if (!text.matches("\\d{1,3}") || Integer.parseInt(text) > bits(ip)) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(text));
  }

  private static Parsed<String> ipv4(String text, String usage) {
    if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")
        || java.util.Arrays.stream(text.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
      return Parsed.bad("'" + text + "' is not an IPv4 address; " + usage);
    }
    return Parsed.ok(text);
  }

  /** {@code ip} (IPv4 or IPv6) with the host bits of a /{@code prefix} cleared. */
  public static String networkOf(String ip, int prefix) {
    if (ip.contains(":")) {
      try {
        byte[] b = java.net.InetAddress.getByName(ip).getAddress();
        for (int bit = prefix; bit < b.length * 8; bit++) {
          b[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        return io.netprobe.agent.address.Addresses.text(java.net.InetAddress.getByAddress(b));
      } catch (java.net.UnknownHostException e) {
        return ip; // not an address: no network of it
      }
    }
    String[] o = ip.split("\\.");
    long v = 0;
    for (String part : o) {
      v = (v << 8) | Integer.parseInt(part);
    }
    long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    v &= mask;
    return (v >> 24 & 255) + "." + (v >> 16 & 255) + "." + (v >> 8 & 255) + "." + (v & 255);
  }
}

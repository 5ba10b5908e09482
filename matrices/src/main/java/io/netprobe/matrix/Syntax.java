package io.netprobe.matrix;

import io.netprobe.agent.probe.ProbeSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The small languages inside matrix values: addresses, ports, probes, durations, names. */
final class Syntax {
  static final String PROBES =
      "icmp, tcp:PORT, udp:PORT, ssh, ssh:PORT, http[:PORT][/path], https[:PORT][/path],"
          + " rr:tcp:PORT, rr:udp:PORT, bulk:tcp:PORT";
  static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");

  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?::([^:]*))?");
  private static final Pattern IPV6_BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::(.*))?");
  private static final Pattern IPV6 =
      Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
  private static final Pattern DURATION =
      Pattern.compile("(\\d{1,9})(ms|s|m)|(\\d{1,6}\\.\\d{1,3})s");

  private Syntax() {}

  /**
   * An IP literal and an optional port: {@code 10.0.2.15}, {@code 127.0.0.1:1234}, {@code
   * [::1]:22}.
   */
  record Endpoint(String ip, OptionalInt port) {}

  /** True when {@code text} is meant as an IP literal rather than a node name. */
  static boolean looksLikeIp(String text) {
    return !text.isEmpty()
        && (Character.isDigit(text.charAt(0)) || text.startsWith("[") || text.contains(":"));
  }

  static Parsed<Endpoint> endpoint(String text) {
    Matcher v4 = IPV4.matcher(text);
    if (v4.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(v4.group(i)) > 255) {
          return Parsed.bad(
              "'" + text + "' is not an IPv4 address: each of the four numbers is 0-255");
        }
      }
      String ip =
          text.substring(0, text.length() - (v4.group(5) == null ? 0 : v4.group(5).length() + 1));
      return withPort(ip, v4.group(5), text);
    }
    Matcher bracketed = IPV6_BRACKETED.matcher(text);
    if (bracketed.matches()) {
      return ipv6(bracketed.group(1), text).isOk()
          ? withPort(bracketed.group(1), bracketed.group(2), text)
          : ipv6(bracketed.group(1), text).map(e -> e);
    }
    if (IPV6.matcher(text).matches()) {
      return ipv6(text, text);
    }
    return Parsed.bad(
        "'"
            + text
            + "' is not an IP address; write four numbers 0-255 (10.0.2.15), optionally"
            + " with a port (127.0.0.1:1234), or [IPv6]:port");
  }

  private static Parsed<Endpoint> ipv6(String ip, String text) {
    try {
      InetAddress.getByName(ip); // only hex digits, colons and dots reach here: never a lookup
      return Parsed.ok(new Endpoint(ip, OptionalInt.empty()));
    } catch (UnknownHostException | IllegalArgumentException e) {
      return Parsed.bad("'" + text + "' is not an IPv6 address");
    }
  }

  private static Parsed<Endpoint> withPort(String ip, String port, String text) {
    if (port == null) {
      return Parsed.ok(new Endpoint(ip, OptionalInt.empty()));
    }
    return port(port).map(p -> new Endpoint(ip, OptionalInt.of(p)));
  }

  static Parsed<Integer> port(String text) {
    if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Parsed.bad("bad port '" + text + "': a port is a number 1..65535");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      return Parsed.bad("bad port " + port + ": ports are 1..65535");
    }
    return Parsed.ok(port);
  }

  /**
   * {@code icmp}, {@code tcp:80}, {@code udp:53}, {@code ssh}, {@code ssh:2222}, {@code
   * http:5000/hello}, {@code https}. Only an http path may hold capitals.
   */
  static Parsed<ProbeSpec> probe(String text, int icmpCount) {
    String trimmed = text.trim();
    if (trimmed.startsWith("http") || trimmed.toLowerCase(Locale.ROOT).startsWith("http")) {
      Parsed<ProbeSpec> http = http(trimmed);
      if (http != null) {
        return http;
      }
    }
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (!lower.equals(text) && probe(lower, icmpCount).isOk()) {
      return Parsed.bad("write the probe in lower case: " + lower);
    }
    int colon = lower.indexOf(':');
    String kind = colon < 0 ? lower : lower.substring(0, colon);
    String port = colon < 0 ? null : lower.substring(colon + 1);
    switch (kind) {
      case "icmp":
        return port == null
            ? Parsed.ok(new ProbeSpec.Icmp(icmpCount))
            : Parsed.bad(
                "probe 'icmp' takes no port; write icmp (echo count: defaults.icmp-count)");
      case "ssh":
        return port == null ? Parsed.ok(new ProbeSpec.Ssh(22)) : port(port).map(ProbeSpec.Ssh::new);
      case "rr":
        return rr(lower, port);
      case "bulk":
        return port != null && port.startsWith("tcp:")
            ? port(port.substring(4)).map(ProbeSpec.Bulk::new)
            : Parsed.bad(
                "probe '"
                    + text
                    + "': write bulk:tcp:PORT (one TCP stream, written for the check's duration to"
                    + " a discard responder the target's agent opens on PORT; bulk runs over TCP"
                    + " only)");
      case "tcp", "udp":
        if (port == null) {
          return Parsed.bad("probe '" + kind + "' needs a port: write " + kind + ":80");
        }
        return kind.equals("tcp")
            ? port(port).map(ProbeSpec.Tcp::new)
            : port(port).map(ProbeSpec.Udp::new);
      default:
        return Parsed.bad("unknown probe '" + text + "'; probes are: " + PROBES);
    }
  }

  /** {@code rr:tcp:5001}, {@code rr:udp:5001}: duration and size travel beside it. */
  private static Parsed<ProbeSpec> rr(String text, String rest) {
    int colon = rest == null ? -1 : rest.indexOf(':');
    String over = colon < 0 ? rest : rest.substring(0, colon);
    if (colon < 0 || !(over.equals("tcp") || over.equals("udp"))) {
      return Parsed.bad(
          "probe '"
              + text
              + "': write rr:tcp:PORT or rr:udp:PORT (request/response transactions to an echo"
              + " responder the target's agent opens on PORT)");
    }
    ProbeSpec.Transport transport =
        over.equals("tcp") ? ProbeSpec.Transport.TCP : ProbeSpec.Transport.UDP;
    return port(rest.substring(colon + 1)).map(p -> new ProbeSpec.Rr(transport, p));
  }

  /** {@code http}, {@code https:8443}, {@code http:5000/path?q=1}; null when not an http probe. */
  private static Parsed<ProbeSpec> http(String text) {
    int slash = text.indexOf('/');
    String head = slash < 0 ? text : text.substring(0, slash);
    String path = slash < 0 ? "/" : text.substring(slash);
    int colon = head.indexOf(':');
    String scheme = colon < 0 ? head : head.substring(0, colon);
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      return null;
    }
    String lowerHead = head.toLowerCase(Locale.ROOT);
    if (!lowerHead.equals(head)) {
      return Parsed.bad("write the probe in lower case: " + lowerHead + (slash < 0 ? "" : path));
    }
    if (path.startsWith("//")) {
      return Parsed.bad(
          "probe '" + text + "': write http:PORT/path (no //host: the check's to: is the host)");
    }
    if (path.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      return Parsed.bad("probe '" + text + "': an http path holds no spaces; write %20");
    }
    boolean tls = scheme.equals("https");
    Parsed<Integer> port = colon < 0 ? Parsed.ok(tls ? 443 : 80) : port(head.substring(colon + 1));
    return port.map(p -> (ProbeSpec) new ProbeSpec.Http(p, tls, path));
  }

  /** {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}; 1ms to 10m. */
  static Parsed<Duration> duration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return Parsed.bad(
          "bad duration '" + text + "': write a number and a unit, e.g. 500ms, 2s, 1.5s, 1m");
    }
    Duration d;
    if (m.group(3) != null) {
      d = Duration.ofMillis(Math.round(Double.parseDouble(m.group(3)) * 1000));
    } else {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
          };
    }
    if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(Check.MAX_TIMEOUT) > 0) {
      return Parsed.bad("duration '" + text + "' out of range: 1ms to 10m");
    }
    return Parsed.ok(d);
  }

  static Parsed<Expectation> expectation(String text) {
    return Expectation.fromYaml(text)
        .map(Parsed::ok)
        .orElseGet(
            () ->
                Parsed.bad(
                    "unknown expectation '"
                        + text
                        + "'"
                        + Suggest.didYouMean(text, Expectation.yamlNames())
                        + "; write pass, fail, or one of: "
                        + String.join(", ", Disposition.yamlNames())));
  }

  /**
   * A host name the source's agent resolves ({@code www.example.net}, {@code server}):
   * dot-separated labels of letters, digits and '-', starting with a letter so that it never reads
   * as an IP.
   */
  static Parsed<String> hostName(String text) {
    return HOST_NAME.matcher(text).matches()
        ? Parsed.ok(text.endsWith(".") ? text.substring(0, text.length() - 1) : text)
        : Parsed.bad(
            "'"
                + text
                + "' is not a host name: labels of letters, digits and '-' separated by dots,"
                + " starting with a letter (e.g. www.example.net); for an IP write ip:");
  }

  static Parsed<String> name(String text, String what) {
    return NAME.matcher(text).matches()
        ? Parsed.ok(text)
        : Parsed.bad(
            "bad "
                + what
                + " name '"
                + text
                + "': start with a letter, then letters, digits, '-' or '_' (no dots: a dot"
                + " separates node and address)");
  }
}

package io.netprobe.agent.trace;

import io.netprobe.agent.protocol.Args;
import io.netprobe.agent.protocol.BadRequestException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The {@code trace} op's arguments: the flow to follow (type, destination, ports) and how far and
 * how long to look.
 *
 * @param sourcePort the source port of the failed probe (tcp, udp), so the trace follows the same
 *     flow through ECMP; 0 lets the agent pick a free one
 * @param timeoutMs how long to wait for answers after the last packet is sent
 */
public record TraceRequest(
    TraceType type,
    InetAddress destination,
    int port,
    int sourcePort,
    int maxHops,
    int timeoutMs,
    String mark) {
  public static final int MAX_HOPS = 32;
  public static final int MAX_TIMEOUT_MS = 60_000;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

  public TraceRequest {
    if (type == null || destination == null) {
      throw new IllegalArgumentException("trace needs a type and a destination");
    }
    if (maxHops < 1 || maxHops > MAX_HOPS) {
      throw new IllegalArgumentException("maxHops out of range 1.." + MAX_HOPS + ": " + maxHops);
    }
    if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new IllegalArgumentException(
          "timeoutMs out of range 1.." + MAX_TIMEOUT_MS + ": " + timeoutMs);
    }
    if (type.hasPorts() && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("port out of range 1..65535 for a " + type + " trace");
    }
    if (sourcePort < 0 || sourcePort > 65535) {
      throw new IllegalArgumentException("sourcePort out of range 0..65535: " + sourcePort);
    }
  }

  /** Reads and checks the args, naming the field at fault. */
  public static TraceRequest parse(Args args) {
    TraceType type = args.choice("type", TraceType.class, null);
    return new TraceRequest(
        type,
        address(args.string("host")),
        type.hasPorts() ? args.integer("port", 1, 65535) : 0,
        type.hasPorts() ? args.integer("sourcePort", 0, 65535, 0) : 0,
        args.integer("maxHops", 1, MAX_HOPS, 16),
        args.integer("timeoutMs", 1, MAX_TIMEOUT_MS, 1000),
        args.string("mark", null));
  }

  /** An IPv4 or IPv6 literal, never a name: a trace follows one address, and asks no resolver. */
  static InetAddress address(String host) {
    if (host.indexOf(':') >= 0 && IPV6.matcher(host).matches()) {
      try {
        InetAddress a = InetAddress.getByName(host); // a literal: no lookup
        if (a instanceof java.net.Inet6Address) {
          return a;
        }
      } catch (UnknownHostException e) {
        // not a literal after all: said below
      }
    }
    return ipv4(host);
  }

  /** An IPv4 literal, never a name. */
  static Inet4Address ipv4(String host) {
    if (IPV4.matcher(host).matches()) {
      String[] parts = host.split("\\.");
      byte[] octets = new byte[4];
      boolean valid = true;
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        valid &= v <= 255;
        octets[i] = (byte) v;
      }
      if (valid) {
        try {
          return (Inet4Address) InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e); // four bytes are always an address
        }
      }
    }
    throw BadRequestException.field(
        "args.host",
        "args.host: expected an IPv4 or IPv6 address such as 10.0.0.5 or fd00:1::5, got \""
            + host
            + "\"");
  }
}

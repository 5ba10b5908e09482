package io.netprobe.agent.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * Asks the kernel which source address it would use towards an address, without sending a packet:
 * connecting a UDP socket runs the route lookup (policy rules and all) and fails with the route's
 * errno when there is none, or when the route is unreachable, prohibit or blackhole.
 */
public final class RouteLookup {
  private RouteLookup() {}

  /** The kernel's answer: a source address, or the errno text of a failed lookup. */
  public record Answer(String source, String error) {
    public boolean routed() {
      return source != null;
    }

    /** What the failed lookup means, from the errno each route type gives. */
    public String meaning() {
      String e = String.valueOf(error).toLowerCase(java.util.Locale.ROOT);
      if (e.contains("network is unreachable")) {
        return "no route matches";
      }
      if (e.contains("no route to host")) {
        return "an unreachable route matches";
      }
      if (e.contains("permission denied") || e.contains("not permitted")) {
        return "a prohibit route or a local firewall rule matches";
      }
      if (e.contains("invalid argument")) {
        return "a blackhole route matches";
      }
      return "the route lookup failed";
    }
  }

  public static Answer sourceFor(InetAddress destination) {
    try (DatagramChannel channel = DatagramChannel.open()) {
      channel.connect(new InetSocketAddress(destination, 9));
      InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
      return new Answer(io.netprobe.agent.address.Addresses.text(local.getAddress()), null);
    } catch (IOException e) {
      return new Answer(null, String.valueOf(e.getMessage()));
    }
  }
}

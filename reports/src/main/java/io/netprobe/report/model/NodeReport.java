package io.netprobe.report.model;

import java.util.List;
import java.util.Objects;

/**
 * A node of the run and how netprobe got an agent there.
 *
 * @param name the node's name in the matrix
 * @param kind {@code local}, {@code netns}, {@code ssh}, {@code docker} or {@code address}
 * @param via how it was reached, e.g. {@code "ip netns exec np-pc"}, {@code "ssh
 *     lab@127.0.0.1:1234"}, {@code "sidecar in container np-ct1"}
 * @param connected true when an agent answered there (always false for {@code address})
 * @param error why no agent answered, or null
 * @param capabilities what the agent could do ({@code "icmp"}, {@code "capture"}), and what not,
 *     with why ({@code "no capture: not root and sudo -n refused"})
 * @param addresses the node's named addresses, {@code name=ip} ({@code "nat=10.0.2.15"})
 */
public record NodeReport(
    String name,
    String kind,
    String via,
    boolean connected,
    String error,
    List<String> capabilities,
    List<String> addresses) {
  public NodeReport {
    Objects.requireNonNull(name, "node name");
    Objects.requireNonNull(kind, "node kind (node " + name + ")");
    via = via == null ? "" : via;
    capabilities = List.copyOf(capabilities);
    addresses = List.copyOf(addresses);
  }
}

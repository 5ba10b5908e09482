package io.netprobe.report.model;

import java.util.List;
import java.util.Objects;

/**
 * The lab as its agents found it, at layer 3: networks (subnets) as nodes, the hosts and routers
 * attached to them, and what translates on the way (NAT, port forwards, floating IPs) as labels of
 * the links. Built from each node's facts (interfaces, addresses, forwarding, bridges, the nat
 * table, a container's Docker networks), never from the matrix's guesses.
 *
 * @param networks the subnets, each once (two Docker networks with one range are two)
 * @param hosts the matrix's nodes, whether an agent read them or not
 * @param links which host has an address on which network
 */
public record Topology(List<Network> networks, List<Host> hosts, List<Link> links) {
  public static final Topology EMPTY = new Topology(List.of(), List.of(), List.of());

  public Topology {
    networks = List.copyOf(networks);
    hosts = List.copyOf(hosts);
    links = List.copyOf(links);
  }

  public boolean isEmpty() {
    return hosts.isEmpty();
  }

  /**
   * A network: {@code id} unique in the topology ({@code 10.1.0.0/16}, {@code
   * docker:demo_default}), its range, and how it was found ({@code "bridge docker0"}, {@code
   * "Docker network bridge"}).
   */
  public record Network(String id, String cidr, String label) {
    public Network {
      Objects.requireNonNull(id, "network id");
      Objects.requireNonNull(cidr, "network cidr");
      label = label == null ? "" : label;
    }
  }

  /**
   * A host: a node of the matrix. {@code role} is {@code host}, {@code router} (forwards between
   * two networks or more), {@code switch} (runs one), or {@code outside} (a node without an agent:
   * an address only); {@code notes} are what it does on the way ({@code "NAT: masquerade out
   * eth1"}, {@code "DNAT tcp/1234 -> 10.0.2.15:22"}); {@code read} false when no agent read it.
   */
  public record Host(String name, String role, boolean read, List<String> notes) {
    public Host {
      Objects.requireNonNull(name, "host name");
      Objects.requireNonNull(role, "host role (" + name + ")");
      notes = List.copyOf(notes);
    }
  }

  /**
   * An address of {@code host} on {@code network}, on interface {@code iface} (null when not read),
   * with what translates there ({@code "masquerade"}, {@code "DNAT tcp/1234 -> 10.0.2.15:22"}).
   */
  public record Link(
      String host, String network, String iface, String address, List<String> labels) {
    public Link {
      Objects.requireNonNull(host, "link host");
      Objects.requireNonNull(network, "link network (" + host + ")");
      labels = List.copyOf(labels);
    }
  }
}

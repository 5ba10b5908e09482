package io.netprobe.cli.run;

import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.rules.Chain;
import io.netprobe.agent.rules.Rule;
import io.netprobe.agent.rules.RuleSet;
import io.netprobe.agent.rules.RulesSnapshot;
import io.netprobe.agent.rules.Table;
import io.netprobe.matrix.Address;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.Node;
import io.netprobe.matrix.NodeKind;
import io.netprobe.report.model.Topology;
import io.netprobe.report.model.Topology.Host;
import io.netprobe.report.model.Topology.Link;
import io.netprobe.report.model.Topology.Network;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's layer-3 graph from what the agents read: a network per subnet an interface has an
 * address in (a Docker network by its name, since two may share a range), a link per address, a
 * router where a node forwards between two networks or more, and the translations of its nat table
 * as labels (masquerade on the link it leaves by, a port forward on the link it arrives by, a
 * floating IP on the node). A node without an agent is placed by its matrix address on a network
 * that contains it, or drawn outside. Nothing is taken from the checks.
 */
final class TopologyBuilder {
  private static final int MAX_NOTES = 5;

  private final Matrix matrix;
  private final Map<String, Facts> facts;
  private final Map<String, RulesSnapshot> rules;
  private final DockerNetworks docker;
  private final Map<String, Network> networks = new LinkedHashMap<>();
  private final List<Link> links = new ArrayList<>();
  private final Map<String, List<String>> notes = new HashMap<>();

  TopologyBuilder(
      Matrix matrix,
      Map<String, Facts> facts,
      Map<String, RulesSnapshot> rules,
      DockerNetworks docker) {
    this.matrix = matrix;
    this.facts = facts;
    this.rules = rules;
    this.docker = docker;
  }

  Topology build() {
    for (Node node : matrix.nodes().values()) {
      Facts f = facts.get(node.name());
      if (f != null) {
        attach(node, f);
      }
    }
    List<Host> hosts = new ArrayList<>();
    for (Node node : matrix.nodes().values()) {
      Facts f = facts.get(node.name());
      if (f == null) {
        placeByMatrix(node);
      }
      hosts.add(new Host(node.name(), role(node, f), f != null, capped(notes.get(node.name()))));
    }
    return new Topology(List.copyOf(networks.values()), hosts, links);
  }

  private void attach(Node node, Facts f) {
    Map<String, String> dockerIps = docker.byNode().getOrDefault(node.name(), Map.of());
    Map<String, List<String>> byIface = translations(node.name());
    java.util.Set<String> labelled = new java.util.HashSet<>();
    for (Facts.Interface i : f.interfaces()) {
      String onNetwork = null;
      for (String cidr : i.addresses()) {
        if (cidr.contains(":") || cidr.startsWith("127.")) {
          continue;
        }
        String[] parts = cidr.split("/");
        int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
        if (prefix == 32) {
          note(node.name(), parts[0] + " on " + i.name());
          continue;
        }
        String range = io.netprobe.matrix.Fact.networkOf(parts[0], prefix) + "/" + prefix;
        String dockerNet =
            dockerIps.containsKey(parts[0])
                ? dockerIps.get(parts[0])
                : node.kind() == NodeKind.LOCAL ? docker.bridges().get(i.name()) : null;
        String id = dockerNet != null ? "docker:" + dockerNet : range;
        String label =
            dockerNet != null
                ? "Docker network " + dockerNet
                : "bridge".equals(i.kind()) ? "bridge " + i.name() + " on " + node.name() : "";
        Network known = networks.get(id);
        if (known == null || known.label().isEmpty() && !label.isEmpty()) {
          networks.put(id, new Network(id, range, label));
        }
        // an interface's translations label its first address's link only
        List<String> labels =
            labelled.add(i.name()) ? byIface.getOrDefault(i.name(), List.of()) : List.of();
        links.add(new Link(node.name(), id, i.name(), parts[0], distinct(labels)));
        onNetwork = onNetwork == null ? id : onNetwork;
      }
      ipv6(node, i, onNetwork);
      if ("bridge".equals(i.kind())) {
        long ports = f.interfaces().stream().filter(p -> i.name().equals(p.master())).count();
        if (i.addresses().isEmpty() && ports > 0) {
          note(node.name(), "bridge " + i.name() + " (" + ports + " ports)");
        }
      }
    }
    if (!f.switchPorts().isEmpty()) {
      note(node.name(), "switch: " + f.switchPorts().size() + " ports");
    }
  }

  /**
   * The interface's global IPv6 prefixes: on a dual-stack interface, named in the label of the
   * network its IPv4 address is on (one network, both families); on an IPv6-only one, networks of
   * their own.
   */
  private void ipv6(Node node, Facts.Interface i, String onNetwork) {
    for (String cidr : i.addresses()) {
      String[] parts = cidr.split("/");
      if (!cidr.contains(":")
          || parts.length < 2
          || parts[0].startsWith("fe80")
          || cidr.startsWith("::1/")) {
        continue;
      }
      String prefix = prefix6(parts[0], Integer.parseInt(parts[1]));
      if (prefix == null) {
        continue;
      }
      if (onNetwork != null) {
        Network n = networks.get(onNetwork);
        String also = "also " + prefix;
        if (!n.label().contains(also)) {
          String label = n.label().isEmpty() ? also : n.label() + "; " + also;
          networks.put(onNetwork, new Network(n.id(), n.cidr(), label));
        }
      } else {
        networks.putIfAbsent(prefix, new Network(prefix, prefix, ""));
        links.add(new Link(node.name(), prefix, i.name(), parts[0], List.of()));
      }
    }
  }

  /** {@code fd00:1::5a}/64 as {@code fd00:1::/64}; null when not an IPv6 address. */
  static String prefix6(String ip, int length) {
    try {
      byte[] a = java.net.InetAddress.getByName(ip).getAddress();
      if (a.length != 16) {
        return null;
      }
      for (int bit = length; bit < 128; bit++) {
        a[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
      }
      return io.netty.util.NetUtil.toAddressString(java.net.InetAddress.getByAddress(a))
          + "/"
          + length;
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }

  /**
   * The node's nat table in words: masquerade and SNAT by the interface they leave by, port
   * forwards by the one they arrive on, the rest (a floating IP, a Service) as notes of the node.
   */
  private Map<String, List<String>> translations(String node) {
    Map<String, List<String>> byIface = new HashMap<>();
    RulesSnapshot snapshot = rules.get(node);
    if (snapshot == null) {
      return byIface;
    }
    for (RuleSet set : snapshot.ruleSets()) {
      Table nat = set.table("nat").orElse(null);
      if (nat == null) {
        continue;
      }
      for (Chain chain : nat.chains()) {
        for (Rule rule : chain.rules()) {
          String said;
          String iface;
          if ("MASQUERADE".equals(rule.target()) || "SNAT".equals(rule.target())) {
            said =
                "MASQUERADE".equals(rule.target())
                    ? "NAT (masquerade" + from(rule) + ")"
                    : "SNAT" + from(rule) + " to " + rule.option("--to-source");
            iface = rule.option("-o", "--out-interface");
          } else if ("DNAT".equals(rule.target())) {
            String d = rule.option("-d", "--destination");
            String port = rule.option("--dport");
            String protocol = rule.option("-p");
            String what =
                (port != null ? (protocol == null ? "tcp" : protocol) + "/" : "")
                    + (d != null ? d.replaceFirst("/32$", "") : "")
                    + (port != null ? (d != null ? ":" : "") + port : "");
            said =
                "DNAT "
                    + (what.isEmpty() ? "" : what + " ")
                    + "-> "
                    + rule.option("--to-destination");
            iface = rule.option("-i", "--in-interface");
          } else {
            continue;
          }
          if (iface != null && !iface.startsWith("!")) {
            byIface.computeIfAbsent(iface, k -> new ArrayList<>()).add(said);
          } else {
            note(node, said);
          }
        }
      }
    }
    return byIface;
  }

  private static List<String> distinct(List<String> labels) {
    return labels.stream().distinct().toList();
  }

  private static String from(Rule rule) {
    String s = rule.option("-s", "--source");
    return s == null ? "" : " from " + s;
  }

  /** A node no agent read: on the network its matrix address falls in, if one was found. */
  private void placeByMatrix(Node node) {
    for (Address a : node.addresses().values()) {
      if (a.isHostName()) {
        note(node.name(), a.ip());
        continue;
      }
      Network in = null;
      for (Network n : networks.values()) {
        String[] c = n.cidr().split("/");
        int prefix = Integer.parseInt(c[1]);
        if (a.ip().matches("\\d+\\.\\d+\\.\\d+\\.\\d+")
            && io.netprobe.matrix.Fact.networkOf(a.ip(), prefix).equals(c[0])
            && !a.ip().startsWith("127.")) {
          in = n;
          break;
        }
      }
      if (in != null) {
        links.add(new Link(node.name(), in.id(), null, a.ip(), List.of()));
      } else {
        note(node.name(), a.ip());
      }
    }
  }

  private String role(Node node, Facts f) {
    if (f == null) {
      return "outside";
    }
    if (!f.switchPorts().isEmpty()) {
      return "switch";
    }
    long nets =
        links.stream()
            .filter(l -> l.host().equals(node.name()))
            .map(Link::network)
            .distinct()
            .count();
    return f.ipForward() && nets >= 2 ? "router" : "host";
  }

  private void note(String node, String text) {
    List<String> mine = notes.computeIfAbsent(node, k -> new ArrayList<>());
    if (!mine.contains(text)) {
      mine.add(text);
    }
  }

  private static List<String> capped(List<String> notes) {
    if (notes == null) {
      return List.of();
    }
    if (notes.size() <= MAX_NOTES) {
      return notes;
    }
    List<String> out = new ArrayList<>(notes.subList(0, MAX_NOTES - 1));
    out.add("and " + (notes.size() - MAX_NOTES + 1) + " more");
    return out;
  }
}

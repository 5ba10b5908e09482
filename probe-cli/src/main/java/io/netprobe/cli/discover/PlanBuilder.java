package io.netprobe.cli.discover;

import io.netprobe.cli.discover.DockerSetup.Container;
import io.netprobe.cli.discover.DockerSetup.Network;
import io.netprobe.matrix.Expectation;
import java.util.ArrayList;
import java.util.List;

/**
 * What the rule classes share while they make a plan: the setup, where each container is in the
 * matrix, and the checks and notes so far, with the few questions every rule asks of the setup.
 */
final class PlanBuilder {
  final DockerSetup setup;
  final Placement places;
  final List<MatrixPlan.Check> checks = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  PlanBuilder(DockerSetup setup) {
    this.setup = setup;
    this.places = new Placement(setup);
  }

  void add(
      String rule,
      String from,
      String to,
      String probe,
      Expectation expect,
      String title,
      String hint) {
    checks.add(new MatrixPlan.Check(rule, from, to, probe, expect, title, hint));
  }

  /** icmp, then tcp:PORT for each exposed TCP port of {@code c}. */
  static List<String> probes(Container c) {
    List<String> probes = new ArrayList<>(List.of("icmp"));
    c.tcpPorts().forEach(p -> probes.add("tcp:" + p));
    return probes;
  }

  /** The containers with an address on {@code n}. */
  List<Container> members(Network n) {
    return setup.containers().stream().filter(c -> c.addresses().containsKey(n.name())).toList();
  }

  boolean allBridges(Container c) {
    return c.addresses().keySet().stream().allMatch(n -> network(n).isBridge());
  }

  Network network(String name) {
    return setup.network(name).orElseThrow();
  }

  /** A container's networks as comments name them: "bridge (docker0)+np-compose". */
  String networksOf(Container c) {
    return String.join("+", c.addresses().keySet().stream().map(n -> network(n).label()).toList());
  }

  /** A network as titles name it: docker0 for Docker's default bridge. */
  static String shown(Network n) {
    return n.defaultBridge() ? "docker0" : n.name();
  }
}

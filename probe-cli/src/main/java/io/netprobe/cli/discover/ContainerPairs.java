package io.netprobe.cli.discover;

import io.netprobe.cli.discover.DockerSetup.Container;
import io.netprobe.cli.discover.DockerSetup.Network;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.Expectation;

/**
 * Container to container: on one network they reach each other (unless the network has
 * inter-container traffic off); across bridge networks Docker's isolation drops it, and a container
 * whose networks are all internal has no route out at all.
 */
final class ContainerPairs {
  static final Expectation DROPPED = new Expectation.Exactly(Disposition.DROPPED_ON_PATH);
  static final Expectation NO_ROUTE = new Expectation.Exactly(Disposition.NO_ROUTE);

  private final PlanBuilder plan;

  ContainerPairs(PlanBuilder plan) {
    this.plan = plan;
  }

  void add() {
    for (Network n : plan.setup.networks()) {
      for (Container a : plan.members(n)) {
        for (Container b : plan.members(n)) {
          if (a != b) {
            sameNetwork(a, b, n);
          }
        }
      }
    }
    for (Container a : plan.setup.containers()) {
      for (Container b : plan.setup.containers()) {
        if (a != b && !a.addresses().isEmpty() && !b.addresses().isEmpty() && !share(a, b)) {
          isolated(a, b);
        }
      }
    }
  }

  private void sameNetwork(Container a, Container b, Network n) {
    String on = PlanBuilder.shown(n);
    if (n.icc()) {
      toEach(
          "same network "
              + n.label()
              + ": containers of one network reach each other, exposed ports included",
          a,
          b,
          n,
          Expectation.PASS,
          "%s reaches %s on " + on,
          "containers of one network reach each other; check that %2$s runs and listens (docker"
              + " ps, docker logs)");
    } else {
      toEach(
          "same network "
              + n.label()
              + ", but it has inter-container traffic off (enable_icc=false): Docker drops it",
          a,
          b,
          n,
          DROPPED,
          "%s cannot reach %s on " + on + " (icc off)",
          "the network was made with com.docker.network.bridge.enable_icc=false; publish a port"
              + " or use another network for traffic between containers");
    }
  }

  private void isolated(Container a, Container b) {
    if (!plan.allBridges(a) || !plan.allBridges(b)) {
      plan.notes.add(
          a.name()
              + " -> "
              + b.name()
              + ": not checked: they share no network and one of them is on a network that is"
              + " not a bridge, whose rules this command does not know");
      return;
    }
    boolean noWayOut = a.addresses().keySet().stream().allMatch(n -> plan.network(n).internal());
    for (String name : b.addresses().keySet()) {
      Network n = plan.network(name);
      String rule = "isolation " + plan.networksOf(a) + " -> " + n.label() + ": ";
      if (noWayOut) {
        toEach(
            rule + "an internal network gives its containers no route out",
            a,
            b,
            n,
            NO_ROUTE,
            "%s cannot reach %s on " + PlanBuilder.shown(n) + " (internal network)",
            "an --internal network has no gateway; connect %1$s to " + name + " to reach %2$s");
      } else {
        toEach(
            rule + "Docker drops traffic between two bridge networks (DOCKER-ISOLATION)",
            a,
            b,
            n,
            DROPPED,
            "%s cannot reach %s on " + PlanBuilder.shown(n) + " across bridge networks",
            "Docker isolates bridge networks from each other; connect both containers to one"
                + " network (docker network connect) or go through a published port");
      }
    }
  }

  /** icmp and tcp on each of b's exposed ports, from a to b's address on n. */
  private void toEach(
      String rule,
      Container a,
      Container b,
      Network n,
      Expectation expect,
      String titleFormat,
      String hintFormat) {
    String from = plan.places.node(a.name());
    String target = plan.places.node(b.name());
    for (String probe : PlanBuilder.probes(b)) {
      plan.add(
          rule,
          from,
          plan.places.address(b, n.name()),
          probe,
          expect,
          titleFormat.formatted(from, target) + " (" + probe + ")",
          hintFormat.formatted(from, target));
    }
  }

  private static boolean share(Container a, Container b) {
    return a.addresses().keySet().stream().anyMatch(b.addresses()::containsKey);
  }
}

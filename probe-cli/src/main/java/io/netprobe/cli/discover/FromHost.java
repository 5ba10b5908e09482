package io.netprobe.cli.discover;

import io.netprobe.cli.discover.DockerSetup.Container;
import io.netprobe.cli.discover.DockerSetup.Network;
import io.netprobe.cli.discover.DockerSetup.Port;
import io.netprobe.cli.discover.DockerSetup.Publication;
import io.netprobe.matrix.Expectation;
import java.util.Optional;

/**
 * What the Docker host ({@code local}) reaches: every container on its bridge networks (the host is
 * each bridge's gateway); a published port, at the host address it is published on; and not an
 * exposed, unpublished port, which does not exist on the host at all. The last is only shown where
 * nothing else holds that port of the host (another container's publication, a process of this
 * machine): there a check would test the other one.
 */
final class FromHost {
  private final DockerSetup setup;
  private final Placement places;
  private final PlanBuilder plan;

  FromHost(PlanBuilder plan) {
    this.plan = plan;
    this.setup = plan.setup;
    this.places = plan.places;
  }

  void add() {
    for (Network n : setup.networks()) {
      if (n.isBridge()) {
        plan.members(n).forEach(c -> bridge(n, c));
      }
    }
    for (Container c : setup.containers()) {
      if (!c.addresses().isEmpty()) {
        published(c);
      }
    }
    for (Container c : setup.containers()) {
      if (!c.addresses().isEmpty()) {
        exposedOnly(c);
      }
    }
  }

  private void bridge(Network n, Container c) {
    String node = places.node(c.name());
    for (String probe : PlanBuilder.probes(c)) {
      plan.add(
          "Docker host -> "
              + n.label()
              + ": the host is the bridge's gateway and reaches its containers",
          DockerRules.HOST,
          places.address(c, n.name()),
          probe,
          Expectation.PASS,
          "the Docker host reaches " + node + " on " + PlanBuilder.shown(n) + " (" + probe + ")",
          probe.equals("icmp")
              ? "the host owns "
                  + (n.defaultBridge() ? "docker0" : "the bridge of " + n.name())
                  + "; check that "
                  + c.name()
                  + " runs"
              : "check that "
                  + c.name()
                  + " listens on port "
                  + probe.substring(4)
                  + " (docker logs "
                  + c.name()
                  + ")");
    }
  }

  private void published(Container c) {
    String node = places.node(c.name());
    for (Placement.Published place : places.published(c)) {
      for (Publication p : place.by()) {
        int port = p.port().number();
        plan.checks.add(
            new MatrixPlan.Check(
                "published "
                    + p.hostIp()
                    + ":"
                    + p.hostPort()
                    + " -> "
                    + c.name()
                    + " "
                    + p.port()
                    + ": the host forwards its port to the container"
                    + (p.isWildcard() ? " (checked at " + place.ip() + ")" : ""),
                DockerRules.HOST,
                node + "." + place.name(),
                "tcp:" + port,
                Expectation.PASS,
                "the host's published port "
                    + p.hostPort()
                    + " reaches "
                    + node
                    + " (tcp:"
                    + port
                    + ")",
                "check the port mapping (-p "
                    + p.hostPort()
                    + ":"
                    + port
                    + ", compose ports:) and that "
                    + c.name()
                    + " listens on port "
                    + port
                    + " on all its addresses, not on 127.0.0.1"));
      }
    }
  }

  private void exposedOnly(Container c) {
    String node = places.node(c.name());
    for (Port port : c.exposed()) {
      if (!port.isTcp() || c.publishes(port)) {
        continue;
      }
      int p = port.number();
      Optional<String> holder = holder(p);
      if (holder.isPresent()) {
        plan.notes.add(
            c.name()
                + " exposes "
                + port
                + " and does not publish it, but the host's port "
                + p
                + " is "
                + holder.get()
                + ": no host-side check for it (it would test that one)");
        continue;
      }
      plan.checks.add(
          new MatrixPlan.Check(
              "exposed only: "
                  + c.name()
                  + " exposes "
                  + port
                  + " but does not publish it: the host's own port "
                  + p
                  + " does not lead to it",
              DockerRules.HOST,
              places.unpublished(c),
              "tcp:" + p,
              Expectation.FAIL,
              node + "'s exposed-only port " + p + " is not reachable on the host (tcp:" + p + ")",
              "expose opens a port to the container's networks only; publish it (-p "
                  + p
                  + ":"
                  + p
                  + ", compose ports:) to reach it at the host's address"));
    }
  }

  /** Who holds the host's port {@code p} on 127.0.0.1, if anyone. */
  private Optional<String> holder(int p) {
    for (Container other : setup.containers()) {
      for (Publication pub : other.published()) {
        if (pub.port().isTcp() && pub.hostPort() == p && pub.reachesLoopback()) {
          return Optional.of(other.name() + "'s published port (" + pub.hostIp() + ":" + p + ")");
        }
      }
    }
    return setup.hostTcpPorts().contains(p)
        ? Optional.of("taken by a process of this machine that listens on it")
        : Optional.empty();
  }
}

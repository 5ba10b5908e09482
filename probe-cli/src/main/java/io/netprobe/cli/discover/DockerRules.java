package io.netprobe.cli.discover;

import io.netprobe.cli.discover.DockerSetup.Container;
import io.netprobe.matrix.Expectation;
import io.netprobe.matrix.NodeKind;
import io.netprobe.matrix.PathKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's rules, applied to a {@link DockerSetup}: what each container should and should not
 * reach. Every check carries the rule it follows:
 *
 * <table>
 *   <caption>the rules</caption>
 *   <tr><th>rule</th><th>checks</th><th>expect</th></tr>
 *   <tr><td>same network</td><td>each container to each other one on every network they share:
 *       icmp and tcp on each exposed port</td><td>pass ({@code dropped-on-path} where the network
 *       has inter-container traffic off, enable_icc=false)</td></tr>
 *   <tr><td>isolation</td><td>a container to one on other bridge networks only (docker0 and
 *       user-defined bridges alike)</td><td>{@code dropped-on-path}: DOCKER-ISOLATION drops it
 *       ({@code no-route} from a container whose networks are all internal)</td></tr>
 *   <tr><td>Docker host</td><td>the host ({@code local}) to each container on its bridge
 *       networks</td><td>pass: the host is each bridge's gateway</td></tr>
 *   <tr><td>published</td><td>the host to each published TCP port, at the address it is published
 *       on (0.0.0.0: 127.0.0.1)</td><td>pass</td></tr>
 *   <tr><td>exposed only</td><td>the host to an exposed, unpublished TCP port at 127.0.0.1, where
 *       nothing else holds that port</td><td>fail</td></tr>
 *   <tr><td>internet</td><td>each container to {@code --internet-target}, only when it is
 *       given</td><td>pass (fail from a container on internal networks only)</td></tr>
 * </table>
 *
 * UDP ports are left out (a UDP probe passes only when the service answers), and so are containers
 * with no address of their own (network mode host, none, container:...); the plan's notes say so.
 */
public final class DockerRules {
  static final String HOST = "local";
  static final String INTERNET = "internet";

  /** Where containers go to show they reach the internet: {@code --internet-target IP[:PORT]}. */
  public record Internet(String ip, OptionalInt port) {
    private static final Pattern FORM =
        Pattern.compile("((?:\\d{1,3}\\.){3}\\d{1,3})(?::(\\d{1,5}))?");

    /** {@code 203.0.113.10} or {@code 203.0.113.10:80}; anything else is a bad invocation. */
    public static Internet parse(String text) {
      Matcher m = FORM.matcher(text);
      boolean ok = m.matches();
      if (ok) {
        for (String octet : m.group(1).split("\\.")) {
          ok &= Integer.parseInt(octet) <= 255;
        }
        if (m.group(2) != null) {
          int port = Integer.parseInt(m.group(2));
          ok &= port >= 1 && port <= 65535;
        }
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "--internet-target " + text + ": give an IPv4 address, optionally with :PORT");
      }
      return new Internet(
          m.group(1),
          m.group(2) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(m.group(2))));
    }
  }

  private final PlanBuilder plan;

  private DockerRules(DockerSetup setup) {
    this.plan = new PlanBuilder(setup);
  }

  /** The matrix of {@code setup}: its nodes, and the checks Docker's rules give. */
  public static MatrixPlan plan(
      DockerSetup setup, Optional<Internet> internet, String name, String description) {
    DockerRules rules = new DockerRules(setup);
    rules.unaddressed();
    new ContainerPairs(rules.plan).add();
    new FromHost(rules.plan).add();
    internet.ifPresent(rules::internet);
    rules.udp();
    List<MatrixPlan.Node> nodes = new ArrayList<>();
    nodes.add(
        new MatrixPlan.Node(
            HOST, NodeKind.LOCAL, null, "this machine, the Docker host", List.of(), null));
    for (Container c : setup.containers()) {
      nodes.add(rules.plan.places.node(c));
    }
    internet.ifPresent(
        i ->
            nodes.add(
                new MatrixPlan.Node(
                    INTERNET,
                    NodeKind.ADDRESS,
                    null,
                    "the outside address given with --internet-target",
                    List.of(
                        new MatrixPlan.Address(
                            "target", i.ip(), PathKind.ROUTED, Map.of(), List.of())),
                    null)));
    return new MatrixPlan(name, description, nodes, rules.plan.checks, rules.plan.notes);
  }

  private void unaddressed() {
    for (Container c : plan.setup.containers()) {
      if (c.addresses().isEmpty()) {
        String mode = c.networkMode();
        plan.notes.add(
            c.name()
                + ": no checks to or from it: "
                + (mode.equals("host")
                    ? "network mode host, it shares the host's own network stack"
                    : mode.startsWith("container:")
                        ? "it shares the network stack of " + mode.substring(10)
                        : mode.equals("none")
                            ? "network mode none, it has no network"
                            : "it has no address on the networks discovered"));
      }
    }
  }

  private void internet(Internet target) {
    for (Container a : plan.setup.containers()) {
      if (a.addresses().isEmpty() || !plan.allBridges(a)) {
        continue;
      }
      boolean out =
          a.addresses().keySet().stream()
              .map(plan::network)
              .anyMatch(n -> !n.internal() && n.masquerade());
      String via = plan.networksOf(a);
      List<String> probes = new ArrayList<>(List.of("icmp"));
      target.port().ifPresent(p -> probes.add("tcp:" + p));
      for (String probe : probes) {
        plan.add(
            out
                ? "internet (--internet-target): Docker masquerades "
                    + via
                    + " out through the host"
                : "internet (--internet-target): "
                    + via
                    + " is internal or unmasqueraded, no way out",
            plan.places.node(a.name()),
            INTERNET + ".target",
            probe,
            out ? Expectation.PASS : Expectation.FAIL,
            plan.places.node(a.name())
                + (out ? " reaches " : " cannot reach ")
                + "the outside ("
                + probe
                + ")",
            out
                ? "Docker masquerades bridge networks; check net.ipv4.ip_forward=1 and the"
                    + " POSTROUTING MASQUERADE rule on the host"
                : "an --internal network (or one without masquerade) has no way out by design");
      }
    }
  }

  private void udp() {
    for (Container c : plan.setup.containers()) {
      List<String> udp =
          c.exposed().stream().filter(p -> !p.isTcp()).map(DockerSetup.Port::toString).toList();
      if (!udp.isEmpty() && !c.addresses().isEmpty()) {
        plan.notes.add(
            c.name()
                + ": "
                + String.join(", ", udp)
                + " not checked: a UDP probe passes only when the service answers; add udp:PORT"
                + " checks by hand where it does");
      }
    }
  }
}

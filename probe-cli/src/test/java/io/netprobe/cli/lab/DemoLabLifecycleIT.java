package io.netprobe.cli.lab;

import static io.netprobe.cli.lab.LabFixture.out;
import static io.netprobe.cli.lab.LabFixture.sh;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code lab down} leaves nothing behind, also after a crash half-way through {@code up}. */
class DemoLabLifecycleIT {
  private final DemoLab lab = new DemoLab(new PrintWriter(System.err, true));

  @Test
  void downLeavesNoNamespaceLinkContainerRuleRouteProcessOrFile() throws Exception {
    lab.up();
    assertThat(leftovers()).isNotEmpty();
    lab.down();
    LabFixture.forget();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void downAfterAHalfBuiltLabRemovesWhatWasMadeAndUpRebuildsIt() throws Exception {
    lab.down();
    LabFixture.forget();
    sh("ip", "netns", "add", "np-sw");
    sh("ip", "netns", "add", "np-inet");
    sh("ip", "link", "add", "np-inet", "type", "veth", "peer", "name", "eth1", "netns", "np-inet");
    lab.up();
    assertThat(lab.status(new PrintWriter(System.err, true))).isTrue();
    lab.down();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void downStopsTheInternetsDnsServerEvenWithoutItsPidFile() throws Exception {
    lab.up();
    StringWriter status = new StringWriter();
    lab.status(new PrintWriter(status, true));
    assertThat(status.toString()).contains("dns 203.0.113.53 (dnsmasq in np-inet): running");
    assertThat(Path.of("/etc/netns/np-pc/resolv.conf")).exists();
    Files.delete(DemoLab.STATE.resolve("dnsmasq.pid")); // as if up had crashed before writing it
    lab.down();
    LabFixture.forget();
    assertThat(out("ps", "-eo", "args")).doesNotContain("dnsmasq --conf-file=/dev/null");
    assertThat(leftovers()).isEmpty();
  }

  /** Everything of the lab's still on the machine, one line each. */
  static List<String> leftovers() throws IOException, InterruptedException {
    List<String> left = new ArrayList<>();
    StringWriter names = new StringWriter();
    LabScript.run("names", new PrintWriter(names, true));
    List<String> labNamespaces = names.toString().lines().toList();
    assertThat(labNamespaces).hasSizeGreaterThan(10);
    for (String ns : out("ip", "netns", "list").lines().toList()) {
      if (labNamespaces.contains(ns.split(" ")[0])) {
        left.add("namespace " + ns);
      }
    }
    out("ip", "-o", "link")
        .lines()
        .filter(l -> l.contains(": np-inet") || l.contains(": np-compose"))
        .forEach(l -> left.add(l));
    out("iptables", "-S").lines().filter(l -> l.contains("np-")).forEach(l -> left.add(l));
    out("ip", "route")
        .lines()
        .filter(l -> l.contains("metric 4242") || l.contains("203.0.113"))
        .forEach(l -> left.add("route " + l));
    out("docker", "ps", "-a", "--format", "{{.Names}}")
        .lines()
        .filter(n -> n.startsWith("np-"))
        .forEach(n -> left.add("container " + n));
    out("docker", "network", "ls", "--format", "{{.Name}}")
        .lines()
        .filter(n -> n.startsWith("np-"))
        .forEach(n -> left.add("network " + n));
    out("ps", "-eo", "args")
        .lines()
        .filter(
            a ->
                a.contains("np-lab")
                    || a.contains("TCP-LISTEN:1234,")
                    || a.contains("TCP-LISTEN:1235,"))
        .forEach(a -> left.add("process " + a));
    if (Files.exists(DemoLab.STATE)) {
      left.add("file " + DemoLab.STATE);
    }
    for (String ns : labNamespaces) {
      if (Files.exists(Path.of("/etc/netns", ns))) {
        left.add("directory /etc/netns/" + ns);
      }
    }
    return left;
  }
}

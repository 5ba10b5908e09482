package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.facts.ProcFacts;
import io.netprobe.agent.net.NetNamespace;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A namespace's interfaces as the facts read them from rtnetlink, against what iproute2 prints for
 * the same namespace: every link (an address-less bridge port too), every IPv4 address (a secondary
 * one without a label too, which the JDK's listing leaves out), MTU, up or down, MAC, kind and
 * bridge; and nothing of the namespace the process runs in.
 */
class InterfacesIT {
  @Test
  void netlinkSeesWhatIproute2Sees() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("if")) {
      String ns = lab.create("a");
      String peer = lab.create("b");
      lab.link(ns, "10.87.1.1/24", peer, "10.87.1.2/24");
      String veth = lab.deviceOf(ns, "10.87.1.1");
      lab.exec(ns, "ip", "addr", "add", "10.87.1.9/24", "dev", veth); // secondary, no label
      lab.exec(ns, "ip", "link", "set", veth, "mtu", "1400");
      lab.exec(ns, "ip", "link", "add", "npifbr0", "type", "bridge");
      lab.exec(ns, "ip", "link", "add", "npifp0", "type", "veth", "peer", "name", "npifp1");
      lab.exec(ns, "ip", "addr", "add", "10.87.2.1/24", "dev", "npifp1"); // left down
      lab.exec(ns, "ip", "link", "set", "npifp0", "master", "npifbr0");
      lab.exec(ns, "ip", "link", "set", "npifbr0", "up");

      NetNamespace netns = NetNamespace.enter(NetNamespace.named(ns));
      List<Facts.Interface> read;
      try {
        read = netns.call(() -> ProcFacts.system().read(List.of()).interfaces());
      } finally {
        netns.close();
      }
      Map<String, Facts.Interface> byName =
          read.stream().collect(Collectors.toMap(Facts.Interface::name, Function.identity()));

      // every link iproute2 lists, with its index, MTU and MAC
      String links = lab.exec(ns, "ip", "-o", "link", "show");
      assertThat(byName.keySet())
          .containsExactlyInAnyOrder("lo", veth, "npifbr0", "npifp0", "npifp1");
      for (String line : links.split("\n")) {
        String[] f = line.trim().split("\\s+");
        String name = f[1].replaceFirst(":$", "").replaceFirst("@.*$", "");
        Facts.Interface i = byName.get(name);
        assertThat(i.index()).as(name).isEqualTo(Integer.parseInt(f[0].replace(":", "")));
        assertThat(line).as(name).contains("mtu " + i.mtu() + " ");
        if (!name.equals("lo")) {
          assertThat(line).as(name).contains("link/ether " + i.mac() + " ");
        }
      }
      assertThat(byName.get("lo").mac()).isNull(); // as the JDK gives it
      assertThat(byName.get("lo").addresses()).contains("127.0.0.1/8");

      Facts.Interface v = byName.get(veth);
      assertThat(v.addresses()).startsWith("10.87.1.1/24", "10.87.1.9/24");
      assertThat(v.mtu()).isEqualTo(1400);
      assertThat(v.up()).isTrue();
      assertThat(v.kind()).isEqualTo("veth");

      Facts.Interface down = byName.get("npifp1");
      assertThat(down.up()).isFalse();
      assertThat(down.addresses()).contains("10.87.2.1/24");
      assertThat(down.master()).isNull();

      assertThat(byName.get("npifbr0").kind()).isEqualTo("bridge");
      assertThat(byName.get("npifp0").master()).isEqualTo("npifbr0");
      assertThat(byName.get("npifp0").addresses()).noneMatch(a -> !a.contains(":"));
    }
  }
}

package io.netprobe.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.lab.NetnsFixture;
import io.netprobe.agent.net.NetNamespace;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The route lookup over rtnetlink against the one a connected UDP socket makes, in a real namespace
 * with every kind of route: connected, local, loopback, via a gateway with its own source, a policy
 * rule's table, unreachable, prohibit, blackhole, none at all, broadcast, and the same for IPv6. No
 * packet is sent: both only ask the kernel.
 */
class RouteLookupIT {
  @Test
  void rtnetlinkAnswersAsAConnectedUdpSocketDoes() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("rl")) {
      String ns = lab.create("a");
      String peer = lab.create("b");
      for (String n : List.of(ns, peer)) {
        lab.exec(n, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0");
        lab.exec(n, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0");
      }
      lab.link(ns, "10.88.1.1/24", peer, "10.88.1.2/24");
      String dev = lab.deviceOf(ns, "10.88.1.1");
      lab.exec(ns, "ip", "addr", "add", "10.88.1.9/24", "dev", dev);
      lab.exec(ns, "ip", "-6", "addr", "add", "fd00:88:1::1/64", "dev", dev, "nodad");
      lab.exec(ns, "ip", "route", "add", "10.88.9.0/24", "via", "10.88.1.2", "src", "10.88.1.9");
      lab.exec(ns, "ip", "route", "add", "unreachable", "10.88.2.0/24");
      lab.exec(ns, "ip", "route", "add", "prohibit", "10.88.3.0/24");
      lab.exec(ns, "ip", "route", "add", "blackhole", "10.88.4.0/24");
      lab.exec(ns, "ip", "route", "add", "10.88.5.0/24", "via", "10.88.1.2", "table", "100");
      lab.exec(ns, "ip", "rule", "add", "to", "10.88.5.0/24", "table", "100");
      lab.exec(ns, "ip", "rule", "add", "to", "10.88.6.0/24", "prohibit");
      lab.exec(ns, "ip", "-6", "route", "add", "unreachable", "fd00:88:2::/64");
      lab.exec(ns, "ip", "-6", "route", "add", "prohibit", "fd00:88:3::/64");
      lab.exec(ns, "ip", "-6", "route", "add", "blackhole", "fd00:88:4::/64");
      lab.exec(ns, "ip", "-6", "route", "add", "fd00:88:9::/64", "via", "fd00:88:1::2");

      Map<String, String> answeredByNetlink = new LinkedHashMap<>();
      answeredByNetlink.put("10.88.1.2", "source 10.88.1.1");
      answeredByNetlink.put("10.88.1.9", "source 10.88.1.1"); // local: the primary
      answeredByNetlink.put("127.0.0.1", "source 127.0.0.1");
      answeredByNetlink.put("10.88.9.7", "source 10.88.1.9");
      answeredByNetlink.put("10.88.5.7", "source 10.88.1.1");
      answeredByNetlink.put("10.88.2.7", "error No route to host");
      answeredByNetlink.put("10.88.3.7", "error Permission denied");
      answeredByNetlink.put("10.88.4.7", "error Invalid argument");
      answeredByNetlink.put("10.88.6.7", "error Permission denied");
      answeredByNetlink.put("192.0.2.1", "error Network is unreachable");
      answeredByNetlink.put("255.255.255.255", "error Network is unreachable"); // no interface
      answeredByNetlink.put("fd00:88:1::2", "source fd00:88:1::1");
      answeredByNetlink.put("fd00:88:9::7", "source fd00:88:1::1");
      answeredByNetlink.put("2001:db8::1", "error Network is unreachable");
      answeredByNetlink.put("fd00:88:2::7", "error No route to host");
      answeredByNetlink.put("fd00:88:3::7", "error Permission denied");
      answeredByNetlink.put("fd00:88:4::7", "error Invalid argument");
      List<String> leftToUdp = List.of("10.88.1.255", "fe80::1");

      NetNamespace netns = NetNamespace.enter(NetNamespace.named(ns));
      try {
        netns.call(
            () -> {
              for (var e : answeredByNetlink.entrySet()) {
                InetAddress to = InetAddress.getByName(e.getKey());
                RouteLookup.Answer netlink = RouteLookup.askRtnetlink(to);
                assertThat(netlink).as(e.getKey()).isEqualTo(RouteLookup.connectUdp(to));
                assertThat(shown(netlink)).as(e.getKey()).isEqualTo(e.getValue());
                assertThat(RouteLookup.sourceFor(to)).as(e.getKey()).isEqualTo(netlink);
              }
              // a thread the namespace's thread started: in the namespace, without a kept socket
              java.util.concurrent.atomic.AtomicReference<Object> plain =
                  new java.util.concurrent.atomic.AtomicReference<>();
              Thread t =
                  new Thread(() -> plain.set(RouteLookup.askRtnetlink(address("10.88.9.7"))));
              t.start();
              t.join();
              assertThat(plain.get()).isEqualTo(new RouteLookup.Answer("10.88.1.9", null));
              // the kept socket answers each ask with its own answer, a thousand times over
              for (int i = 0; i < 1000; i++) {
                String to = i % 2 == 0 ? "10.88.9.7" : "10.88.2.7";
                assertThat(shown(RouteLookup.askRtnetlink(InetAddress.getByName(to))))
                    .isEqualTo(answeredByNetlink.get(to));
              }
              for (String address : leftToUdp) {
                InetAddress to = InetAddress.getByName(address);
                assertThat(RouteLookup.askRtnetlink(to)).as(address).isNull();
                assertThat(RouteLookup.sourceFor(to))
                    .as(address)
                    .isEqualTo(RouteLookup.connectUdp(to));
              }
              return null;
            });
      } finally {
        netns.close();
      }
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  private static String shown(RouteLookup.Answer a) {
    return a.routed() ? "source " + a.source() : "error " + a.error();
  }
}

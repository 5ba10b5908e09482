package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.agent.net.NetNamespace;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces over IPv6, for real, on a chain of two routers like {@link TraceIT}'s (ULA fd00:77::/32,
 * routed unreachable in the root namespace while the test runs):
 *
 * <pre>
 *   src fd00:77:21::1 --- ::254 r1 fd00:77:22::1 --- ::254 r2 fd00:77:23::254 --- fd00:77:23::1 dst
 * </pre>
 *
 * IPv6 has no IP ID: the echo and TCP sequence numbers, and a datagram's length, say which hop
 * limit an ICMPv6 error quotes. r2 drops what it would forward for tcp/2002 and udp/2002.
 */
class Trace6IT {
  private static final String R1 = "fd00:77:21::254";
  private static final String R2 = "fd00:77:22::254";
  private static final String DST = "fd00:77:23::1";
  private static final String ROOT_ROUTE = "unreachable fd00:77::/32 metric 4277";
  private static NetnsFixture lab;
  private static String r2;
  private static NetNamespace dstNs;
  private static ServerSocket web;
  private static InProcessAgent agent;

  @BeforeAll
  static void up() throws Exception {
    lab = new NetnsFixture("t6");
    try {
      Sh.quiet(("ip -6 route del " + ROOT_ROUTE).split(" "));
      Sh.run(("ip -6 route add " + ROOT_ROUTE).split(" "));
      String src = lab.create("src");
      String r1 = lab.create("r1");
      r2 = lab.create("r2");
      String dst = lab.create("dst");
      for (String ns : List.of(src, r1, r2, dst)) {
        // no duplicate address detection (a tentative address cannot send), no ICMPv6 rate limit
        lab.exec(
            ns,
            "sysctl",
            "-qw",
            "net.ipv6.conf.all.accept_dad=0",
            "net.ipv6.conf.default.accept_dad=0",
            "net.ipv6.icmp.ratelimit=0");
      }
      lab.link(src, "fd00:77:21::1/64", r1, R1 + "/64");
      lab.link(r1, "fd00:77:22::1/64", r2, R2 + "/64");
      lab.link(r2, "fd00:77:23::254/64", dst, DST + "/64");
      for (String router : List.of(r1, r2)) {
        lab.exec(router, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
      }
      lab.exec(src, "ip", "-6", "route", "add", "fd00:77::/32", "via", R1);
      lab.exec(r1, "ip", "-6", "route", "add", "fd00:77::/32", "via", R2);
      lab.exec(r2, "ip", "-6", "route", "add", "fd00:77:21::/64", "via", "fd00:77:22::1");
      lab.exec(dst, "ip", "-6", "route", "add", "fd00:77::/32", "via", "fd00:77:23::254");
      for (String proto : List.of("tcp", "udp")) {
        lab.exec(
            r2,
            "ip6tables",
            "-A",
            "FORWARD",
            "-d",
            DST,
            "-p",
            proto,
            "--dport",
            "2002",
            "-j",
            "DROP");
      }
      dstNs = NetNamespace.enter(NetNamespace.named(dst));
      web =
          dstNs.call(
              () -> {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress(DST, 8080), 50);
                return s;
              });
      agent = new InProcessAgent(src);
      settle();
    } catch (Exception | Error e) {
      down();
      throw e;
    }
  }

  /**
   * Waits until a trace gets through: a fresh IPv6 lab loses its first packets for about half a
   * second (ping shows it too), while its interfaces come up and neighbour discovery settles.
   */
  private static void settle() throws Exception {
    for (int i = 0; i < 20; i++) {
      if (trace("icmp", DST, 0, 4, 250).get("reached").asBoolean()) {
        return;
      }
    }
    throw new IllegalStateException("the IPv6 trace lab did not settle within 5 s");
  }

  @AfterAll
  static void down() throws Exception {
    try {
      if (agent != null) {
        agent.close();
      }
      if (web != null) {
        web.close();
      }
      if (dstNs != null) {
        dstNs.close();
      }
    } finally {
      lab.close();
      Sh.quiet(("ip -6 route del " + ROOT_ROUTE).split(" "));
    }
  }

  private static JsonNode trace(String type, String host, int port, int maxHops, int timeoutMs)
      throws Exception {
    return TraceIT.trace(agent, type, host, port, maxHops, timeoutMs);
  }

  private static List<String> column(JsonNode trace, String field) {
    return TraceIT.column(trace, field);
  }

  private static void assertReachedThroughBothRouters(JsonNode t, String lastDetail) {
    assertThat(column(t, "from")).as(t.toString()).containsExactly(R1, R2, DST);
    assertThat(column(t, "kind")).containsExactly("TIME_EXCEEDED", "TIME_EXCEEDED", "REPLY");
    assertThat(t.at("/hops/2/detail").asText()).isEqualTo(lastDetail);
    assertThat(t.get("reached").asBoolean()).isTrue();
    assertThat(t.get("sourceAddress").asText()).isEqualTo("fd00:77:21::1");
    assertThat(t.get("elapsedMs").asDouble())
        .as("every hop answered: no need to wait for the timeout")
        .isLessThan(1000);
  }

  @Test
  void icmpv6TraceReachesTheTargetThroughBothRouters() throws Exception {
    JsonNode t = trace("icmp", DST, 0, 16, 1000);
    assertReachedThroughBothRouters(t, "echo reply");
    assertThat(t.get("evidence").get(0).asText())
        .startsWith("16 echo requests from fd00:77:21::1 to " + DST + " (id ")
        .contains("hop limit 1..16");
  }

  @Test
  void tcpTracesEndWithTheSynAckOrTheRst() throws Exception {
    assertReachedThroughBothRouters(trace("tcp", DST, 8080, 16, 1000), "SYN-ACK");
    JsonNode closed = trace("tcp", DST, 8081, 16, 1000);
    assertReachedThroughBothRouters(closed, "RST");
    assertThat(closed.get("evidence").get(0).asText())
        .contains("SYNs from [fd00:77:21::1]:")
        .contains(" to [" + DST + "]:8081");
  }

  @Test
  void udpTraceEndsWithThePortUnreachableOfTheTarget() throws Exception {
    JsonNode t = trace("udp", DST, 33434, 16, 1000);
    assertReachedThroughBothRouters(t, "port unreachable");
    assertThat(t.at("/hops/2/code").asInt()).as("ICMP's twin of the ICMPv6 code").isEqualTo(3);
  }

  @Test
  void dropOnRouter2LeavesHop2AsTheLastAnswer() throws Exception {
    for (JsonNode t : List.of(trace("tcp", DST, 2002, 5, 500), trace("udp", DST, 2002, 5, 500))) {
      assertThat(column(t, "from")).as(t.toString()).containsExactly(R1, R2, null, null, null);
      assertThat(t.get("reached").asBoolean()).isFalse();
      assertThat(t.at("/lastAnswered/from").asText()).isEqualTo(R2);
      assertThat(t.get("firstSilent").asInt()).isEqualTo(3);
    }
  }

  @Test
  void routeRemovedOnRouter2GivesNoRouteAtHop2() throws Exception {
    String target = "fd00:77:25::1";
    lab.exec(r2, "ip", "-6", "route", "add", "fd00:77:25::/64", "via", DST);
    lab.exec(lab.ns("dst"), "ip", "-6", "addr", "add", target + "/128", "dev", "lo");
    // a new address is tentative until the kernel's address worker has run (a moment, longer on
    // a busy machine), and a packet to it is dropped meanwhile: wait until a trace gets there
    JsonNode before = null;
    for (int i = 0; i < 12 && (before == null || !before.get("reached").asBoolean()); i++) {
      before = trace("icmp", target, 0, 4, 250);
    }
    assertThat(before.get("reached").asBoolean())
        .as("the route is there at first: " + before)
        .isTrue();
    lab.exec(r2, "ip", "-6", "route", "del", "fd00:77:25::/64");
    JsonNode t = trace("icmp", target, 0, 4, 1000);
    assertThat(column(t, "from")).as(t.toString()).containsExactly(R1, R2);
    assertThat(column(t, "kind")).containsExactly("TIME_EXCEEDED", "UNREACHABLE");
    assertThat(t.at("/hops/1/detail").asText()).isEqualTo("net unreachable");
    assertThat(t.get("reached").asBoolean()).isFalse();
  }
}

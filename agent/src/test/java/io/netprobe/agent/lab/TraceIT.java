package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.agent.net.NetNamespace;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces over a chain of two routers, for real: the agent runs in this JVM on threads that entered
 * {@code src} (as the coordinator runs it), and the routers break the path the way each test claims
 * (a FORWARD drop on r2, r2's route removed).
 *
 * <pre>
 *   src 10.77.21.1 --- .21.254 r1 .22.1 --- .22.254 r2 .23.254 --- 10.77.23.1 dst
 *                                                         (dst also 10.77.24.1 and 10.77.25.1 on lo)
 * </pre>
 *
 * r2 drops what it would forward for tcp/2002 and udp/2002 to 10.77.23.1 and for ICMP to
 * 10.77.24.1. A router answers time exceeded before its FORWARD chain sees the packet, so r2 still
 * answers TTL 2 of those flows, and TTL 3 and beyond, which r2 forwards, find the drop: hop 2 is
 * the last that answers and hop 3 the first silent one.
 */
class TraceIT {
  private static final String R1 = "10.77.21.254";
  private static final String R2 = "10.77.22.254";
  private static final String DST = "10.77.23.1";
  private static NetnsFixture lab;
  private static String src;
  private static String r2;
  private static NetNamespace dstNs;
  private static ServerSocket web;
  private static InProcessAgent agent;

  @BeforeAll
  static void up() throws Exception {
    lab = new NetnsFixture("tr");
    try {
      src = lab.create("src");
      String r1 = lab.create("r1");
      r2 = lab.create("r2");
      String dst = lab.create("dst");
      lab.link(src, "10.77.21.1/24", r1, R1 + "/24");
      lab.link(r1, "10.77.22.1/24", r2, R2 + "/24");
      lab.link(r2, "10.77.23.254/24", dst, DST + "/24");
      lab.exec(dst, "ip", "addr", "add", "10.77.24.1/32", "dev", "lo");
      lab.exec(dst, "ip", "addr", "add", "10.77.25.1/32", "dev", "lo");
      for (String router : List.of(r1, r2)) {
        lab.exec(router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      }
      lab.exec(src, "ip", "route", "add", "10.77.0.0/16", "via", R1);
      lab.exec(r1, "ip", "route", "add", "10.77.0.0/16", "via", R2);
      lab.exec(r2, "ip", "route", "add", "10.77.21.0/24", "via", "10.77.22.1");
      lab.exec(r2, "ip", "route", "add", "10.77.24.0/24", "via", DST);
      lab.exec(r2, "ip", "route", "add", "10.77.25.0/24", "via", DST);
      lab.exec(dst, "ip", "route", "add", "10.77.0.0/16", "via", "10.77.23.254");
      for (String proto : List.of("tcp", "udp")) {
        lab.exec(
            r2,
            "iptables",
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
      lab.exec(r2, "iptables", "-A", "FORWARD", "-d", "10.77.24.1", "-p", "icmp", "-j", "DROP");
      dstNs = NetNamespace.enter(NetNamespace.named(dst));
      web =
          dstNs.call(
              () -> {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress(DST, 8080), 50);
                return s;
              });
      agent = new InProcessAgent(src);
    } catch (Exception | Error e) {
      down();
      throw e;
    }
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
    }
  }

  static JsonNode trace(String type, String host, int port, int maxHops, int timeoutMs)
      throws Exception {
    return trace(agent, type, host, port, maxHops, timeoutMs);
  }

  /** A trace request to {@code agent}, marked by its type (Trace6IT's too). */
  static JsonNode trace(
      InProcessAgent agent, String type, String host, int port, int maxHops, int timeoutMs)
      throws Exception {
    Map<String, Object> args = new HashMap<>();
    args.put("type", type);
    args.put("host", host);
    args.put("maxHops", maxHops);
    args.put("timeoutMs", timeoutMs);
    args.put("mark", "tr-" + type);
    if (port > 0) {
      args.put("port", port);
    }
    return agent.request("trace", args);
  }

  /** One field of every hop, in order (null where the hop has none). */
  static List<String> column(JsonNode trace, String field) {
    List<String> out = new ArrayList<>();
    trace.get("hops").forEach(h -> out.add(h.get(field).isNull() ? null : h.get(field).asText()));
    return out;
  }

  private static void assertReachedThroughBothRouters(JsonNode t, String lastDetail) {
    assertThat(column(t, "from")).as(t.toString()).containsExactly(R1, R2, DST);
    assertThat(column(t, "kind")).containsExactly("TIME_EXCEEDED", "TIME_EXCEEDED", "REPLY");
    assertThat(t.at("/hops/2/detail").asText()).isEqualTo(lastDetail);
    assertThat(t.get("reached").asBoolean()).isTrue();
    assertThat(t.at("/lastAnswered/ttl").asInt()).isEqualTo(3);
    assertThat(t.get("firstSilent").isNull()).isTrue();
    assertThat(t.get("sourceAddress").asText()).isEqualTo("10.77.21.1");
    assertThat(t.get("elapsedMs").asDouble())
        .as("every hop answered: no need to wait for the timeout")
        .isLessThan(1000);
  }

  @Test
  void icmpTraceReachesTheTargetThroughBothRouters() throws Exception {
    JsonNode t = trace("icmp", DST, 0, 16, 1000);
    assertReachedThroughBothRouters(t, "echo reply");
    assertThat(t.get("evidence").get(0).asText())
        .startsWith("16 echo requests from 10.77.21.1 to " + DST + " (id ");
    assertThat(t.get("evidence").get(1).asText()).startsWith("hop 1 " + R1 + " (time exceeded, ");
    assertThat(t.get("evidence").get(4).asText())
        .isEqualTo("reached " + DST + " at hop 3 (echo reply)");
  }

  @Test
  void tcpTraceToAnOpenPortEndsWithTheSynAck() throws Exception {
    assertReachedThroughBothRouters(trace("tcp", DST, 8080, 16, 1000), "SYN-ACK");
  }

  @Test
  void tcpTraceToAClosedPortEndsWithTheRst() throws Exception {
    assertReachedThroughBothRouters(trace("tcp", DST, 8081, 16, 1000), "RST");
  }

  @Test
  void udpTraceEndsWithThePortUnreachableOfTheTarget() throws Exception {
    JsonNode t = trace("udp", DST, 33434, 16, 1000);
    assertReachedThroughBothRouters(t, "port unreachable");
    assertThat(t.at("/hops/2/code").asInt()).isEqualTo(3);
  }

  @Test
  void tcpTraceSendsFromTheSourcePortAsked() throws Exception {
    Map<String, Object> args =
        Map.of("type", "tcp", "host", DST, "port", 8081, "sourcePort", 40999, "timeoutMs", 1000);
    JsonNode t = agent.request("trace", args);
    assertThat(t.get("sourcePort").asInt()).isEqualTo(40999);
    assertThat(t.get("evidence").get(0).asText()).contains("from 10.77.21.1:40999 to " + DST);
    assertThat(t.get("reached").asBoolean()).isTrue();
  }

  @Test
  void dropOnRouter2LeavesHop2AsTheLastAnswerAndHop3Silent() throws Exception {
    List<JsonNode> traces =
        List.of(
            trace("tcp", DST, 2002, 6, 500),
            trace("udp", DST, 2002, 6, 500),
            trace("icmp", "10.77.24.1", 0, 6, 500));
    for (JsonNode t : traces) {
      assertThat(column(t, "from"))
          .as(t.toString())
          .containsExactly(R1, R2, null, null, null, null);
      assertThat(column(t, "kind"))
          .containsExactly("TIME_EXCEEDED", "TIME_EXCEEDED", "NONE", "NONE", "NONE", "NONE");
      assertThat(t.get("reached").asBoolean()).isFalse();
      assertThat(t.at("/lastAnswered/from").asText()).isEqualTo(R2);
      assertThat(t.at("/lastAnswered/ttl").asInt()).isEqualTo(2);
      assertThat(t.get("firstSilent").asInt()).isEqualTo(3);
      assertThat(t.get("evidence").toString())
          .contains("hop 3: no answer within 500 ms")
          .contains("the last answer came from hop 2 " + R2);
      assertThat(t.get("elapsedMs").asDouble())
          .as("all TTLs wait for one timeout together")
          .isBetween(500.0, 1000.0);
    }
  }

  @Test
  void routeRemovedOnRouter2GivesNetUnreachableAtHop2() throws Exception {
    String target = "10.77.25.1";
    assertThat(trace("icmp", target, 0, 4, 1000).get("reached").asBoolean())
        .as("the route is there at first")
        .isTrue();
    lab.exec(r2, "ip", "route", "del", "10.77.25.0/24");
    try {
      // r2 sends a route error to a source only when it sent it no rate-limited ICMP (time
      // exceeded, unreachable) for a second (net.ipv4.route.error_cost): wait that out each time
      Thread.sleep(1100);
      JsonNode icmp = trace("icmp", target, 0, 4, 1000);
      Thread.sleep(1100);
      JsonNode tcp = trace("tcp", target, 8080, 4, 1000);
      for (JsonNode t : List.of(icmp, tcp)) {
        assertThat(column(t, "from")).as(t.toString()).containsExactly(R1, R2);
        assertThat(column(t, "kind")).containsExactly("TIME_EXCEEDED", "UNREACHABLE");
        assertThat(t.at("/hops/1/code").asInt()).isZero();
        assertThat(t.at("/hops/1/detail").asText()).isEqualTo("net unreachable");
        assertThat(t.get("reached").asBoolean()).isFalse();
        assertThat(t.at("/lastAnswered/ttl").asInt()).isEqualTo(2);
        assertThat(t.get("firstSilent").isNull()).isTrue();
        assertThat(t.get("evidence").toString())
            .contains("hop 2 " + R2 + " answered net unreachable: the flow goes no further");
      }
    } finally {
      lab.exec(r2, "ip", "route", "add", "10.77.25.0/24", "via", DST);
    }
  }

  @Test
  void agentWithoutCapNetRawSaysTheTraceIsUnavailable() throws Exception {
    try (AgentProcess limited =
        AgentProcess.startIn(
            src, List.of("setpriv", "--inh-caps=-net_raw", "--bounding-set=-net_raw", "--"))) {
      JsonNode hello = limited.result("hello", Map.of());
      assertThat(hello.at("/capabilities/rawSocket/allowed").asBoolean()).isFalse();
      JsonNode t = limited.result("trace", Map.of("type", "udp", "host", DST, "port", 33434));
      assertThat(t.get("unavailable").asText()).as(t.toString()).contains("CAP_NET_RAW");
      assertThat(t.get("hops")).isEmpty();
      assertThat(t.get("reached").asBoolean()).isFalse();
    }
  }
}

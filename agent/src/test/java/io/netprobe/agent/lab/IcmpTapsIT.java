package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The ICMP errors that answer TCP probes of in-process agents in two namespaces at once, read by
 * the JVM's one tap reader: each probe gets the error its own router sent (two codes, so none is
 * mistaken for the other's), and the reader is one thread, in the process's own namespace.
 */
class IcmpTapsIT {

  @Test
  void twoNamespacesProbesGetTheirOwnRoutersErrorsFromOneReader() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("it")) {
      String one = lab.create("one");
      String two = lab.create("two");
      String rt = lab.create("rt");
      String dst = lab.create("dst");
      lab.link(one, "10.89.11.1/24", rt, "10.89.11.254/24");
      lab.link(two, "10.89.12.1/24", rt, "10.89.12.254/24");
      lab.link(rt, "10.89.13.254/24", dst, "10.89.13.1/24");
      lab.exec(rt, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      lab.exec(one, "ip", "route", "add", "10.89.13.0/24", "via", "10.89.11.254");
      lab.exec(two, "ip", "route", "add", "10.89.13.0/24", "via", "10.89.12.254");
      lab.exec(dst, "ip", "route", "add", "default", "via", "10.89.13.254");
      for (String[] rule :
          List.of(
              new String[] {"10.89.11.1", "icmp-admin-prohibited"},
              new String[] {"10.89.12.1", "icmp-host-prohibited"})) {
        lab.exec(
            rt,
            "iptables",
            "-A",
            "FORWARD",
            "-s",
            rule[0],
            "-p",
            "tcp",
            "-j",
            "REJECT",
            "--reject-with",
            rule[1]);
      }
      try (InProcessAgent a = new InProcessAgent(one);
          InProcessAgent b = new InProcessAgent(two)) {
        List<CompletableFuture<JsonNode>> fromOne = new ArrayList<>();
        List<CompletableFuture<JsonNode>> fromTwo = new ArrayList<>();
        for (int port = 2001; port <= 2004; port++) {
          Map<String, Object> args =
              Map.of("type", "tcp", "host", "10.89.13.1", "port", port, "timeoutMs", 3000);
          fromOne.add(CompletableFuture.supplyAsync(() -> request(a, args)));
          fromTwo.add(CompletableFuture.supplyAsync(() -> request(b, args)));
        }
        assertErrors(fromOne, 13, "10.89.11.254");
        assertErrors(fromTwo, 10, "10.89.12.254");
      }
      assertThat(JvmThreads.namespacesOf("np-icmp-taps"))
          .as("the tap readers' namespaces")
          .containsExactly(JvmThreads.own());
    }
  }

  /** Each probe ended ADMIN_PROHIBITED by an ICMP error of {@code code} from {@code router}. */
  private static void assertErrors(
      List<CompletableFuture<JsonNode>> probes, int code, String router) throws Exception {
    for (CompletableFuture<JsonNode> r : probes) {
      JsonNode result = r.get(10, TimeUnit.SECONDS);
      assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("ADMIN_PROHIBITED");
      assertThat(result.at("/icmpError/code").asInt()).isEqualTo(code);
      assertThat(result.at("/icmpError/from").asText()).isEqualTo(router);
    }
  }

  private static JsonNode request(InProcessAgent agent, Map<String, Object> args) {
    try {
      return agent.request("probe", args);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.netprobe.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.cli.connect.cleanup.Reaper;
import io.netprobe.cli.connect.session.AgentSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agents of several namespaces in this one JVM each work in their own namespace: facts, probes and
 * captures all at once, on the demo lab. (A thread left in the wrong namespace would show another
 * node's addresses, routes, forwarding or listening sockets, or send from another address.)
 */
class InProcessNetnsIT {
  @BeforeAll
  static void labUp() {
    ConnectLab.ensureUp();
  }

  private record Expect(String ns, String address, boolean forwards, Integer listens) {}

  @Test
  void eachAgentSeesAndSendsFromItsOwnNamespace() {
    Map<String, Expect> expect = new LinkedHashMap<>();
    expect.put("pc", new Expect("np-pc", "10.1.5.90", true, 1234));
    expect.put("gw", new Expect("np-gw", "10.1.0.254", true, null));
    expect.put("vm", new Expect("np-vm-nat", "10.0.2.15", false, 22));
    Map<String, NodeTarget> nodes = new LinkedHashMap<>();
    expect.forEach((node, e) -> nodes.put(node, new NodeTarget.Netns(e.ns())));

    try (Connections c = Connections.open(nodes, ConnectLab.options("it-inproc-ns"))) {
      assertThat(c.errors()).isEmpty();
      for (var e : expect.entrySet()) {
        AgentSession s = c.session(e.getKey());
        assertThat(s.hello().path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(s.describe()).isEqualTo("netns " + e.getValue().ns());
        AgentSession.await(
            s.request("capture.start", Map.of("id", "c1", "iface", "any", "filter", "tcp port 80")),
            "capture.start");
      }
      // facts of all three at once, while captures run
      Map<String, JsonNode> facts = new LinkedHashMap<>();
      var asked = new LinkedHashMap<String, java.util.concurrent.CompletableFuture<JsonNode>>();
      expect.keySet().forEach(n -> asked.put(n, c.session(n).request("facts", Map.of())));
      asked.forEach((n, f) -> facts.put(n, AgentSession.await(f, "facts")));

      for (var e : expect.entrySet()) {
        JsonNode f = facts.get(e.getKey());
        Expect x = e.getValue();
        assertThat(addresses(f)).as(e.getKey() + " interfaces: " + f).contains(x.address());
        expect.values().stream()
            .filter(other -> other != x)
            .forEach(other -> assertThat(addresses(f)).doesNotContain(other.address()));
        assertThat(f.path("ipForward").asBoolean())
            .as(e.getKey() + " ip_forward")
            .isEqualTo(x.forwards());
        if (x.listens() != null) {
          assertThat(f.path("listening").toString())
              .as(e.getKey() + " listening")
              .contains("\"port\":" + x.listens());
        }
      }
      assertThat(facts.get("pc").path("routes").toString()).contains("10.1.0.254");
      assertThat(facts.get("vm").path("routes").toString()).contains("10.0.2.2");

      // pc and vm probe the simulated internet; each capture holds only its own node's SYN
      JsonNode pcProbe = ConnectLab.probeInternet(c.session("pc"));
      JsonNode vmProbe = ConnectLab.probeInternet(c.session("vm"));
      assertThat(pcProbe.path("sourceAddress").asText()).isEqualTo("10.1.5.90");
      assertThat(vmProbe.path("sourceAddress").asText()).isEqualTo("10.0.2.15");
      for (String node : List.of("pc", "vm")) {
        JsonNode capture =
            AgentSession.await(
                c.session(node).request("capture.stop", Map.of("id", "c1")), "capture.stop");
        String own = expect.get(node).address();
        assertThat(capture.path("packets").toString())
            .as(node + " capture: " + capture)
            .contains("\"src\":\"" + own + "\"")
            .doesNotContain(expect.get(node.equals("pc") ? "vm" : "pc").address());
      }
      JsonNode gwCapture =
          AgentSession.await(
              c.session("gw").request("capture.stop", Map.of("id", "c1")), "capture.stop");
      assertThat(gwCapture.path("packets").toString())
          .as("the gateway forwards the PC's SYN, not the NAT VM's: " + gwCapture)
          .contains("10.1.5.90")
          .doesNotContain("10.0.2.15");
    }
    assertThat(Reaper.instance().openCount()).isZero();
  }

  private static List<String> addresses(JsonNode facts) {
    List<String> out = new ArrayList<>();
    for (JsonNode i : facts.path("interfaces")) {
      for (JsonNode a : i.path("addresses")) {
        out.add(a.asText().replaceFirst("/.*$", ""));
      }
    }
    return out;
  }
}

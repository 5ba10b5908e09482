package io.netprobe.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TraceResultJsonTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void silentHopsAndTheVerdictFieldsAreExplicitNulls() throws Exception {
    HopTable t = new HopTable(3, "10.3.0.1", 500);
    t.record(new Answer(1, "10.1.0.254", HopKind.TIME_EXCEEDED, 0, "time exceeded"), 0.25);
    TraceResult r =
        new TraceResult(
            "10.3.0.1",
            "udp",
            "c7",
            "10.1.0.1",
            40112,
            t.hops(),
            t.reached(),
            t.lastAnswered(),
            t.firstSilent(),
            t.evidence(),
            null,
            501.2);
    JsonNode n = json.readTree(json.writeValueAsString(r));
    assertThat(n.at("/hops/0").toString())
        .isEqualTo(
            "{\"ttl\":1,\"from\":\"10.1.0.254\",\"kind\":\"TIME_EXCEEDED\",\"code\":0,"
                + "\"detail\":\"time exceeded\",\"rttMs\":0.25}");
    assertThat(n.at("/hops/1").toString()).isEqualTo("{\"ttl\":2,\"from\":null,\"kind\":\"NONE\"}");
    assertThat(n.get("reached").asBoolean()).isFalse();
    assertThat(n.at("/lastAnswered/from").asText()).isEqualTo("10.1.0.254");
    assertThat(n.get("firstSilent").asInt()).isEqualTo(2);
    assertThat(n.has("unavailable")).isFalse();
  }

  @Test
  void unavailableTraceSaysWhyWithNoHops() throws Exception {
    TraceResult r =
        new TraceResult(
            "10.3.0.1", "icmp", null, "10.1.0.1", null, null, false, null, null, null, "no", 1);
    JsonNode n = json.readTree(json.writeValueAsString(r));
    assertThat(n.get("unavailable").asText()).isEqualTo("no");
    assertThat(n.get("hops")).isEmpty();
    assertThat(n.get("lastAnswered").isNull()).isTrue();
    assertThat(n.get("firstSilent").isNull()).isTrue();
  }
}

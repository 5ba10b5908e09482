package io.netprobe.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.Agent;
import io.netprobe.agent.protocol.Args;
import io.netprobe.agent.protocol.BadRequestException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The trace op's args, checked before any socket opens: no packet leaves in these tests. */
class TraceRequestTest {
  private final ObjectMapper json = new ObjectMapper();
  private final List<String> replies = new CopyOnWriteArrayList<>();
  private final Agent agent = new Agent(json, replies::add, () -> {});

  private JsonNode send(String line) throws Exception {
    agent.handle(line);
    assertThat(agent.awaitReplies(5000)).isTrue();
    return json.readTree(replies.get(replies.size() - 1));
  }

  @Test
  void defaultsAreSixteenHopsAndOneSecond() {
    TraceRequest r = TraceRequest.parse(Args.of(Map.of("type", "icmp", "host", "10.3.0.1")));
    assertThat(r.maxHops()).isEqualTo(16);
    assertThat(r.timeoutMs()).isEqualTo(1000);
    assertThat(r.port()).isZero();
    assertThat(r.destination().getHostAddress()).isEqualTo("10.3.0.1");
  }

  @Test
  void tcpTraceKeepsTheSourcePortOfTheFailedProbe() {
    TraceRequest r =
        TraceRequest.parse(
            Args.of(
                Map.of(
                    "type",
                    "tcp",
                    "host",
                    "10.3.0.1",
                    "port",
                    80,
                    "sourcePort",
                    40112,
                    "mark",
                    "c7")));
    assertThat(r.sourcePort()).isEqualTo(40112);
    assertThat(r.mark()).isEqualTo("c7");
  }

  @Test
  void hostNameIsRefusedNamingArgsHost() throws Exception {
    JsonNode reply =
        send("{\"id\":1,\"op\":\"trace\",\"args\":{\"type\":\"icmp\",\"host\":\"db.example\"}}");
    assertThat(reply.at("/error/code").asText()).isEqualTo("BAD_REQUEST");
    assertThat(reply.at("/error/field").asText()).isEqualTo("args.host");
    assertThat(reply.at("/error/message").asText()).contains("IPv4 or IPv6 address", "db.example");
  }

  @Test
  void ipv6LiteralsAreTraced() throws Exception {
    assertThat(TraceRequest.address("fd00:1::5")).isInstanceOf(java.net.Inet6Address.class);
    assertThat(TraceRequest.address("10.0.0.5")).isInstanceOf(java.net.Inet4Address.class);
    assertThatThrownBy(() -> TraceRequest.address("fd00:1::5::6"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("fd00:1::5::6");
  }

  @Test
  void outOfRangeOctetIsNotAnAddress() {
    assertThatThrownBy(() -> TraceRequest.ipv4("10.0.0.256"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("10.0.0.256");
  }

  @Test
  void maxHopsAboveThirtyTwoIsRefusedWithTheRange() throws Exception {
    JsonNode reply =
        send(
            "{\"id\":2,\"op\":\"trace\",\"args\":{\"type\":\"icmp\",\"host\":\"10.3.0.1\","
                + "\"maxHops\":33}}");
    assertThat(reply.at("/error/field").asText()).isEqualTo("args.maxHops");
    assertThat(reply.at("/error/message").asText()).contains("1..32");
  }

  @Test
  void tcpTraceNeedsAPort() throws Exception {
    JsonNode reply =
        send("{\"id\":3,\"op\":\"trace\",\"args\":{\"type\":\"tcp\",\"host\":\"10.3.0.1\"}}");
    assertThat(reply.at("/error/field").asText()).isEqualTo("args.port");
  }

  @Test
  void helloListsTheTraceOp() throws Exception {
    JsonNode reply = send("{\"id\":4,\"op\":\"hello\"}");
    assertThat(reply.at("/result/ops").toString()).contains("\"trace\"");
  }
}

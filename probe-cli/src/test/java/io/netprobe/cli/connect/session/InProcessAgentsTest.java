package io.netprobe.cli.connect.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.net.NetNamespace;
import io.netprobe.cli.connect.ConnectOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A session with a real agent in this JVM, in the process's own namespace: every request is a call
 * (no pipes, no thread for lines), answered and failed as a request line would be.
 */
class InProcessAgentsTest {

  private static Set<String> agentThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith("np-agent-inprocess-") || n.equals("np-agent-local"))
        .collect(Collectors.toSet());
  }

  @Test
  void answersAsTheWireWouldWithoutAThreadOfItsOwn() throws Exception {
    AgentSession session =
        InProcessAgents.start(
            "local", "this machine", NetNamespace.process(), ConnectOptions.defaults());
    try {
      assertThat(agentThreads()).isEmpty();
      JsonNode hello = session.hello();
      assertThat(hello.path("agent").asText()).isEqualTo("netprobe-agent");
      assertThat(hello.path("ops").toString()).contains("facts", "probe", "capture.start");

      // an op that is not typed comes back as the tree its JSON reply would have been
      JsonNode listening =
          session
              .request("listen.start", Map.of("protocol", "tcp", "bind", "127.0.0.1", "port", 0))
              .get(5, TimeUnit.SECONDS);
      assertThat(listening.path("port").asInt()).isPositive();
      JsonNode stopped =
          session
              .request("listen.stop", Map.of("id", listening.path("id").asText()))
              .get(5, TimeUnit.SECONDS);
      assertThat(stopped.isObject()).isTrue();

      // a typed op asked for objects gives the object; asked plainly, its JSON
      JsonNode facts =
          session
              .requestObject("facts", Map.of("routeTo", List.of("127.0.0.1")))
              .get(5, TimeUnit.SECONDS);
      assertThat(facts.isPojo()).isTrue();
      assertThat(((com.fasterxml.jackson.databind.node.POJONode) facts).getPojo())
          .isInstanceOf(Facts.class);
      JsonNode factsJson =
          session
              .request("facts", Map.of("routeTo", List.of("127.0.0.1")))
              .get(5, TimeUnit.SECONDS);
      assertThat(factsJson.path("interfaces").isArray()).isTrue();

      // failures say what a failed reply says, with the node
      assertThatThrownBy(
              () -> AgentSession.await(session.request("nonsense", Map.of()), "nonsense"))
          .isInstanceOf(AgentException.class)
          .hasMessageContaining("agent on local (this machine)")
          .hasMessageContaining("unknown op")
          .extracting(e -> ((AgentException) e).code())
          .isEqualTo("UNKNOWN_OP");
      assertThatThrownBy(
              () ->
                  AgentSession.await(
                      session.request("listen.start", Map.of("protocol", "sctp", "port", 0)),
                      "listen.start"))
          .isInstanceOf(AgentException.class)
          .hasMessageContaining("args.protocol");
    } finally {
      session.close();
    }
    assertThat(session.isOpen()).isFalse();
    assertThatThrownBy(() -> AgentSession.await(session.request("hello", Map.of()), "hello"))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("closed");
    assertThat(agentThreads()).isEmpty();
  }
}

package io.netprobe.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.cli.connect.cleanup.Reaper;
import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.connect.session.AgentSession;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local connector end to end, without root: a real agent, real sockets on loopback. */
class LocalNodeConnectorTest {
  private final ConnectOptions options =
      ConnectOptions.builder().timeouts(Duration.ofSeconds(10), Duration.ofSeconds(5)).build();

  @Test
  void inProcessAgentProbesAnOpenLocalPort() throws Exception {
    int before = Reaper.instance().openCount(); // other tests' sessions may still be closing
    try (ServerSocket open = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        AgentSession s =
            new LocalNodeConnector()
                .connect(
                    "me",
                    new NodeTarget.Local(true),
                    options.toBuilder().agentJar(Path.of("x.jar")).build())) {
      JsonNode probe =
          AgentSession.await(
              s.request(
                  "probe", Map.of("type", "tcp", "host", "127.0.0.1", "port", open.getLocalPort())),
              "probe");

      assertThat(probe.path("status").asText()).isEqualTo("CONNECTED");
      assertThat(s.describe()).isEqualTo("local (in-process)");
    }
    assertThat(Reaper.instance().openCount())
        .as(Reaper.instance().describeOpen())
        .isLessThanOrEqualTo(before);
  }

  @Test
  void agentThatCannotStartSaysWhyWithItsStderr() throws Exception {
    int before = Reaper.instance().openCount(); // other tests' sessions may still be closing
    Path notAJar = Files.createTempFile("np-not-a-jar-", ".jar");
    try {
      assertThatThrownBy(
              () ->
                  new LocalNodeConnector()
                      .connect(
                          "me",
                          new NodeTarget.Local(),
                          options.toBuilder().agentJar(notAJar).build()))
          .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo("EOF"))
          .hasMessageStartingWith("local (child process): the agent did not say hello within")
          .hasMessageContaining("agent stderr: ")
          .hasMessageContaining("Error: Invalid or corrupt jarfile " + notAJar);
    } finally {
      Files.delete(notAJar);
    }
    assertThat(Reaper.instance().openCount())
        .as(Reaper.instance().describeOpen())
        .isLessThanOrEqualTo(before);
  }

  @Test
  void missingAgentJarIsNamedWithHowToBuildIt() {
    ConnectOptions missing =
        options.toBuilder().agentJar(Path.of("/np-missing/netprobe-agent.jar")).build();

    assertThatThrownBy(
            () -> new LocalNodeConnector().connect("me", new NodeTarget.Local(), missing))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.code()).isEqualTo("NO_AGENT_JAR"))
        .hasMessageContaining("/np-missing/netprobe-agent.jar does not exist")
        .hasMessageContaining("mvn -pl agent -am package");
  }
}

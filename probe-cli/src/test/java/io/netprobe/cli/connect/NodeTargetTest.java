package io.netprobe.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTargetTest {

  @Test
  void badNamesAreRejectedWithWhatWouldBeValid() {
    assertThatThrownBy(() -> new NodeTarget.Netns("pc; rm -rf /"))
        .hasMessageContaining("netns name")
        .hasMessageContaining("\"pc; rm -rf /\"")
        .hasMessageContaining("e.g. np-pc");
    assertThatThrownBy(() -> NodeTarget.Ssh.to("127.0.0.1", 70000, "lab"))
        .hasMessageContaining("ssh port out of range: 70000");
    assertThatThrownBy(() -> NodeTarget.Ssh.to("h", 22, "lab").withPasswordEnv("LAB PASS"))
        .hasMessageContaining("password-env must name an environment variable");
  }

  @Test
  void describeSaysHowTheNodeIsReached() {
    assertThat(new NodeTarget.Netns("np-pc", false).describe()).isEqualTo("ip netns exec np-pc");
    assertThat(new NodeTarget.Netns("np-pc").describe()).isEqualTo("netns np-pc");
    assertThat(NodeTarget.Ssh.to("127.0.0.1", 1234, "lab").fromNetns("np-pc").describe())
        .isEqualTo("ssh lab@127.0.0.1:1234 from netns np-pc");
    assertThat(new NodeTarget.Docker("np-ct1").describe()).isEqualTo("docker sidecar for np-ct1");
    assertThat(new NodeTarget.Docker("np-ct1", true).describe())
        .isEqualTo("docker container np-ct1");
  }

  @Test
  void optionsRejectBadValuesAndTheEnvironmentIsNotPrinted() {
    assertThatThrownBy(() -> ConnectOptions.builder().runId("Run 1").build())
        .hasMessageContaining("runId");
    assertThatThrownBy(() -> ConnectOptions.builder().agentEnv(Map.of("A B", "x")).build())
        .hasMessageContaining("not a variable name");
    ConnectOptions o =
        ConnectOptions.builder().env(k -> "canary-secret").agentJar(Path.of("a.jar")).build();
    assertThat(o.toString()).doesNotContain("canary-secret");
  }
}

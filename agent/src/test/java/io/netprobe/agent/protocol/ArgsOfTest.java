package io.netprobe.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.probe.ProbeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Args from plain values (an agent in the coordinator's JVM) read as the same args in JSON. */
class ArgsOfTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void plainValuesGiveTheProbeTheirJsonWouldGive() throws Exception {
    Map<String, Object> values =
        Map.of("type", "tcp", "host", "10.0.0.1", "port", 80, "timeoutMs", 1500L, "mark", "np7");
    ProbeArgs direct = ProbeArgs.parse(Args.of(values));
    ProbeArgs wire = ProbeArgs.parse(new Args(JSON.readTree(JSON.writeValueAsString(values))));
    assertThat(direct).isEqualTo(wire);
    assertThat(direct.spec()).isEqualTo(new ProbeSpec.Tcp(80));
    assertThat(direct.target().timeoutMs()).isEqualTo(1500);
  }

  @Test
  void listsAndBooleansAreJsonArraysAndBooleans() {
    Args args = Args.of(Map.of("routeTo", List.of("a", "b"), "pcap", true));
    assertThat(args.strings("routeTo")).containsExactly("a", "b");
    assertThat(args.bool("pcap", false)).isTrue();
  }

  @Test
  void aBadValueIsTheSameBadRequest() {
    assertThatThrownBy(() -> ProbeArgs.parse(Args.of(Map.of("type", "tcp", "host", "h"))))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("args.port is missing");
    assertThatThrownBy(() -> Args.of(Map.of("port", 1.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("args.port");
  }
}

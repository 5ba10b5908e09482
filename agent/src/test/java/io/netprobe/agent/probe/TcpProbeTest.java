package io.netprobe.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.net.NetNamespace;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class TcpProbeTest {
  private static ProbeResult probe(int port, ProbeTarget target) throws Exception {
    return new TcpProbe(port, NetNamespace.process()).run(target).get();
  }

  @Test
  void openPortGivesConnectedWithHandshakeTimeAndSourcePort() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      ProbeResult result = probe(server.getLocalPort(), ProbeTarget.of("127.0.0.1", 1000));
      assertThat(result.status()).isEqualTo(ProbeStatus.CONNECTED);
      assertThat(result.sourceAddress()).isEqualTo("127.0.0.1");
      assertThat(result.sourcePort()).isPositive();
      assertThat(result.timings()).extracting(Timing::step).contains("handshake");
      assertThat(result.evidence().get(0))
          .startsWith("SYN sent from 127.0.0.1:" + result.sourcePort());
    }
  }

  @Test
  void closedPortGivesRefused() throws Exception {
    int closed;
    try (ServerSocket server = new ServerSocket(0)) {
      closed = server.getLocalPort();
    }
    ProbeResult result = probe(closed, ProbeTarget.of("127.0.0.1", 1000));
    assertThat(result.status()).isEqualTo(ProbeStatus.REFUSED);
    assertThat(result.evidence()).anyMatch(e -> e.contains("refused"));
  }

  @Test
  void requestedSourcePortIsUsedAsFlowMark() throws Exception {
    int source;
    try (ServerSocket free = new ServerSocket(0)) {
      source = free.getLocalPort();
    }
    try (ServerSocket server = new ServerSocket(0)) {
      ProbeResult result =
          probe(server.getLocalPort(), new ProbeTarget("127.0.0.1", 1000, source, "check-7"));
      assertThat(result.status()).isEqualTo(ProbeStatus.CONNECTED);
      assertThat(result.sourcePort()).isEqualTo(source);
      assertThat(result.mark()).isEqualTo("check-7");
    }
  }
}

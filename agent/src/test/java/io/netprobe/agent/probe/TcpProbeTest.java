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
      // the handshake's own time; the probe then held the connection for its settle window
      assertThat(TcpProbe.handshakeMs(result))
          .isNotNull()
          .isGreaterThanOrEqualTo(0.0)
          .isLessThanOrEqualTo(result.elapsedMs() - TcpProbe.settleMs(1000) * 0.9);
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
    assertThat(TcpProbe.handshakeMs(result)).as("no handshake").isNull();
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

  @Test
  void aRelayThatAcceptsThenClosesAtOnceIsClosedNotConnected() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      Thread relay =
          new Thread(
              () -> {
                try (java.net.Socket s = server.accept()) {
                  // docker-proxy's shape: accepted, the backend refused, so it hangs up
                } catch (java.io.IOException ignored) {
                  // the test fails on the status instead
                }
              });
      relay.start();
      ProbeResult result = probe(server.getLocalPort(), ProbeTarget.of("127.0.0.1", 1000));
      relay.join();
      assertThat(result.status()).isEqualTo(ProbeStatus.CLOSED);
      assertThat(result.evidence())
          .anyMatch(e -> e.contains("closed the connection (FIN)") && e.contains("before"));
    }
  }

  @Test
  void aResetRightAfterTheHandshakeIsClosedWithTheReset() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      Thread relay =
          new Thread(
              () -> {
                try (java.net.Socket s = server.accept()) {
                  s.setSoLinger(true, 0); // close with a RST
                } catch (java.io.IOException ignored) {
                  // the test fails on the status instead
                }
              });
      relay.start();
      ProbeResult result = probe(server.getLocalPort(), ProbeTarget.of("127.0.0.1", 1000));
      relay.join();
      assertThat(result.status()).isEqualTo(ProbeStatus.CLOSED);
      assertThat(result.evidence()).anyMatch(e -> e.contains("(RST)"));
    }
  }

  @Test
  void aServerThatSpeaksFirstAndThenClosesIsConnected() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      Thread banner =
          new Thread(
              () -> {
                try (java.net.Socket s = server.accept()) {
                  s.getOutputStream().write("SSH-2.0-test\r\n".getBytes());
                  s.getOutputStream().flush();
                  Thread.sleep(20);
                } catch (Exception ignored) {
                  // the test fails on the status instead
                }
              });
      banner.start();
      ProbeResult result = probe(server.getLocalPort(), ProbeTarget.of("127.0.0.1", 1000));
      banner.join();
      assertThat(result.status()).isEqualTo(ProbeStatus.CONNECTED);
    }
  }

  @Test
  void settleWindowIsAQuarterOfTheTimeoutWithinBounds() {
    assertThat(TcpProbe.settleMs(1000)).isEqualTo(250);
    assertThat(TcpProbe.settleMs(100)).isEqualTo(50);
    assertThat(TcpProbe.settleMs(600)).isEqualTo(150);
  }
}

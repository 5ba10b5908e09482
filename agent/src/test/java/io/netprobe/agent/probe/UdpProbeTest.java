package io.netprobe.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.net.NetNamespace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import org.junit.jupiter.api.Test;

class UdpProbeTest {
  @Test
  void answeringServiceGivesReply() throws Exception {
    try (DatagramSocket server = new DatagramSocket(0)) {
      Thread echo =
          new Thread(
              () -> {
                try {
                  DatagramPacket p = new DatagramPacket(new byte[512], 512);
                  server.receive(p);
                  server.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                } catch (Exception ignored) {
                  // the test fails on its own
                }
              });
      echo.start();
      ProbeResult result =
          new UdpProbe(server.getLocalPort(), null, NetNamespace.process())
              .run(ProbeTarget.of("127.0.0.1", 1000))
              .get();
      assertThat(result.status()).isEqualTo(ProbeStatus.REPLY);
      assertThat(result.sourcePort()).isPositive();
    }
  }

  @Test
  void closedPortGivesPortUnreachable() throws Exception {
    int closed;
    try (DatagramSocket s = new DatagramSocket(0)) {
      closed = s.getLocalPort();
    }
    ProbeResult result =
        new UdpProbe(closed, null, NetNamespace.process())
            .run(ProbeTarget.of("127.0.0.1", 1000))
            .get();
    assertThat(result.status()).isEqualTo(ProbeStatus.PORT_UNREACHABLE);
  }
}

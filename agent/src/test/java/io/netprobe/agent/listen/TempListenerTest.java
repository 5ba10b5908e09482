package io.netprobe.agent.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.net.NetNamespace;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.agent.probe.ProbeTarget;
import io.netprobe.agent.probe.TcpProbe;
import io.netprobe.agent.probe.UdpProbe;
import org.junit.jupiter.api.Test;

class TempListenerTest {
  @Test
  void tcpListenerRecordsTheClientThatConnected() throws Exception {
    try (TempListener listener =
        TempListener.open("t1", TempListener.Protocol.TCP, "127.0.0.1", 0, 5000)) {
      var result =
          new TcpProbe(listener.port(), NetNamespace.process())
              .run(ProbeTarget.of("127.0.0.1", 1000))
              .get();
      assertThat(result.status()).isEqualTo(ProbeStatus.CONNECTED);
      Thread.sleep(50);
      TempListener.Summary summary = listener.stop();
      assertThat(summary.peers())
          .extracting(TempListener.Peer::port)
          .containsExactly(result.sourcePort());
    }
  }

  @Test
  void udpListenerAnswersSoTheProbeGetsAReply() throws Exception {
    try (TempListener listener =
        TempListener.open("u1", TempListener.Protocol.UDP, "127.0.0.1", 0, 5000)) {
      var result =
          new UdpProbe(listener.port(), null, NetNamespace.process())
              .run(ProbeTarget.of("127.0.0.1", 1000))
              .get();
      assertThat(result.status()).isEqualTo(ProbeStatus.REPLY);
      assertThat(listener.stop().peers()).hasSize(1);
    }
  }

  @Test
  void listenerClosesItselfWhenItsWindowEnds() throws Exception {
    TempListener listener = TempListener.open("t2", TempListener.Protocol.TCP, "127.0.0.1", 0, 100);
    Thread.sleep(400);
    var result =
        new TcpProbe(listener.port(), NetNamespace.process())
            .run(ProbeTarget.of("127.0.0.1", 1000))
            .get();
    assertThat(result.status()).isEqualTo(ProbeStatus.REFUSED);
    listener.close();
  }

  /**
   * A port another socket holds is PORT_IN_USE (a caller may wait); other bind failures are not.
   */
  @Test
  void aPortHeldByAnotherSocketIsInUseAndAnAbsentAddressIsNot() throws Exception {
    try (java.nio.channels.ServerSocketChannel other =
            java.nio.channels.ServerSocketChannel.open()
                .bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        java.nio.channels.DatagramChannel otherUdp =
            java.nio.channels.DatagramChannel.open()
                .bind(new java.net.InetSocketAddress("127.0.0.1", 0))) {
      int tcp = ((java.net.InetSocketAddress) other.getLocalAddress()).getPort();
      int udp = ((java.net.InetSocketAddress) otherUdp.getLocalAddress()).getPort();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> TempListener.open("busy", TempListener.Protocol.TCP, "127.0.0.1", tcp, 1000))
          .isInstanceOfSatisfying(
              io.netprobe.agent.protocol.BadRequestException.class,
              e -> assertThat(e.code()).isEqualTo(TempListener.PORT_IN_USE));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> TempListener.open("busy", TempListener.Protocol.UDP, "127.0.0.1", udp, 1000))
          .isInstanceOfSatisfying(
              io.netprobe.agent.protocol.BadRequestException.class,
              e -> assertThat(e.code()).isEqualTo(TempListener.PORT_IN_USE));
      // no such address here (TEST-NET-3, never routed): a bind error even though another
      // socket holds the port at another address; waiting for the port would not help
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  TempListener.open("absent", TempListener.Protocol.TCP, "203.0.113.77", tcp, 1000))
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("cannot listen on");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TempListener.open("absent", TempListener.Protocol.TCP, "203.0.113.77", 0, 1000))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("cannot listen on");
  }
}

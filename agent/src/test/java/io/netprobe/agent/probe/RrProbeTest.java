package io.netprobe.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.listen.TempListener;
import io.netprobe.agent.net.NetNamespace;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class RrProbeTest {
  private static ProbeResult rr(ProbeSpec.Transport over, int port, int durationMs)
      throws Exception {
    return new RrProbe(new ProbeSpec.Rr(over, port, durationMs, 64), NetNamespace.process())
        .run(ProbeTarget.of("127.0.0.1", 1000))
        .get();
  }

  @Test
  void tcpTransactionsAgainstTheEchoResponderAreCountedWithPercentiles() throws Exception {
    try (TempListener echo =
        TempListener.open(
            "rr", TempListener.Protocol.TCP, TempListener.Mode.ECHO, "127.0.0.1", 0, 10_000)) {
      ProbeResult result = rr(ProbeSpec.Transport.TCP, echo.port(), 300);
      Transactions t = result.transactions();
      assertThat(result.status()).isEqualTo(ProbeStatus.REPLY);
      assertThat(t.count()).as("loopback answers in well under 3 ms").isGreaterThan(100);
      assertThat(t.lost()).isZero();
      assertThat(t.minMs()).isLessThanOrEqualTo(t.p50Ms());
      assertThat(t.p50Ms()).isLessThanOrEqualTo(t.p90Ms());
      assertThat(t.p90Ms()).isLessThanOrEqualTo(t.p99Ms());
      assertThat(t.p99Ms()).isLessThanOrEqualTo(t.maxMs());
      assertThat(t.tps()).isPositive();
      assertThat(t.histogram().stream().mapToInt(Integer::intValue).sum()).isEqualTo(t.count());
      assertThat(result.evidence()).anyMatch(l -> l.contains("over one TCP connection"));
      assertThat(echo.stop().echoed()).isGreaterThanOrEqualTo(t.count());
    }
  }

  @Test
  void udpTransactionsAgainstTheEchoResponderAreCounted() throws Exception {
    try (TempListener echo =
        TempListener.open(
            "rr", TempListener.Protocol.UDP, TempListener.Mode.ECHO, "127.0.0.1", 0, 10_000)) {
      ProbeResult result = rr(ProbeSpec.Transport.UDP, echo.port(), 300);
      assertThat(result.status()).isEqualTo(ProbeStatus.REPLY);
      assertThat(result.transactions().count()).isGreaterThan(100);
      assertThat(result.transactions().transport()).isEqualTo("udp");
      assertThat(result.evidence()).anyMatch(l -> l.contains("0 lost"));
    }
  }

  @Test
  void udpWithoutAnAnswerCountsLossAndTimesOut() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0)) {
      ProbeResult result =
          new RrProbe(
                  new ProbeSpec.Rr(ProbeSpec.Transport.UDP, silent.getLocalPort(), 250, 64),
                  NetNamespace.process())
              .run(ProbeTarget.of("127.0.0.1", 100))
              .get();
      assertThat(result.status()).isEqualTo(ProbeStatus.TIMEOUT);
      assertThat(result.transactions().count()).isZero();
      assertThat(result.transactions().lost()).isBetween(2, 4);
    }
  }

  @Test
  void aLostDatagramIsCountedAndTheNextTransactionsGoOnFromTheSamePort() throws Exception {
    // a responder that lets the 3rd request go unanswered and echoes every other one
    try (DatagramSocket responder = new DatagramSocket(0)) {
      java.util.Set<Integer> ports = java.util.concurrent.ConcurrentHashMap.newKeySet();
      Thread echo =
          new Thread(
              () -> {
                byte[] buf = new byte[2048];
                try {
                  for (int n = 1; ; n++) {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                    responder.receive(p);
                    ports.add(p.getPort());
                    if (n != 3) {
                      responder.send(p);
                    }
                  }
                } catch (java.io.IOException e) {
                  // closed: the test is over
                }
              });
      echo.setDaemon(true);
      echo.start();
      ProbeResult result =
          new RrProbe(
                  new ProbeSpec.Rr(ProbeSpec.Transport.UDP, responder.getLocalPort(), 400, 64),
                  NetNamespace.process())
              .run(ProbeTarget.of("127.0.0.1", 100))
              .get();
      assertThat(result.status()).isEqualTo(ProbeStatus.REPLY);
      assertThat(result.transactions().lost()).isEqualTo(1);
      assertThat(result.transactions().count()).isGreaterThan(10);
      assertThat(ports).as("one source port before and after the loss").hasSize(1);
      assertThat(result.evidence()).anyMatch(l -> l.contains("1 lost (no answer within 100 ms)"));
    }
  }

  @Test
  void aTcpResponderThatNeverAnswersStopsTheMeasurementAtTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      long start = System.nanoTime();
      ProbeResult result =
          new RrProbe(
                  new ProbeSpec.Rr(ProbeSpec.Transport.TCP, silent.getLocalPort(), 5_000, 64),
                  NetNamespace.process())
              .run(ProbeTarget.of("127.0.0.1", 200))
              .get();
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertThat(result.status()).isEqualTo(ProbeStatus.TIMEOUT);
      assertThat(result.evidence())
          .anyMatch(l -> l.contains("transaction 1 got no answer within 200 ms"));
      assertThat(ms)
          .as("the watchdog closes the blocked read, long before the 5 s duration")
          .isLessThan(1_500);
    }
  }

  @Test
  void closedTcpPortIsRefused() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ProbeResult result = rr(ProbeSpec.Transport.TCP, closed, 200);
    assertThat(result.status()).isEqualTo(ProbeStatus.REFUSED);
    assertThat(result.transactions()).isNull();
  }
}

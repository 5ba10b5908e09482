package io.netprobe.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.listen.TempListener;
import io.netprobe.agent.net.NetNamespace;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class BulkProbeTest {
  private static ProbeResult bulk(int port, int durationMs) throws Exception {
    return new BulkProbe(new ProbeSpec.Bulk(port, durationMs), NetNamespace.process())
        .run(ProbeTarget.of("127.0.0.1", 1000))
        .get();
  }

  @Test
  void bytesWrittenForTheDurationAreAllCountedByTheDiscardResponder() throws Exception {
    try (TempListener sink =
        TempListener.open(
            "bulk", TempListener.Protocol.TCP, TempListener.Mode.DISCARD, "127.0.0.1", 0, 10_000)) {
      ProbeResult result = bulk(sink.port(), 200);
      TempListener.Summary seen = sink.stop();
      Throughput t = result.throughput();
      assertThat(result.status()).isEqualTo(ProbeStatus.REPLY);
      assertThat(t.sentBytes()).as("loopback takes megabytes in 200 ms").isGreaterThan(1 << 20);
      assertThat(t.sentMs()).isBetween(100.0, 400.0);
      assertThat(t.hasReceived()).as("the receiver's count comes from the coordinator").isFalse();
      assertThat(seen.received())
          .as("the probe waited for the far end to read everything and close")
          .isEqualTo(t.sentBytes());
      assertThat(seen.lastByteMs()).isGreaterThan(seen.firstByteMs());
      assertThat(seen.peers()).hasSize(1);
      assertThat(result.evidence())
          .anyMatch(l -> l.contains("over one TCP connection"))
          .anyMatch(l -> l.contains("had read everything"));
      Throughput both = t.received(seen.received(), seen.lastByteMs() - seen.firstByteMs());
      assertThat(both.bitsPerSecond()).isPositive();
    }
  }

  @Test
  void aClosedPortIsRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProbeResult result = bulk(port, 100);
    assertThat(result.status()).isEqualTo(ProbeStatus.REFUSED);
    assertThat(result.throughput()).isNull();
  }

  @Test
  void ratesAndVolumesReadAsPeopleWriteThem() {
    assertThat(Throughput.rate(9_410_000_000.0)).isEqualTo("9.41 Gbit/s");
    assertThat(Throughput.rate(812_000_000)).isEqualTo("812 Mbit/s");
    assertThat(Throughput.rate(10_500_000)).isEqualTo("10.5 Mbit/s");
    assertThat(Throughput.rate(640)).isEqualTo("640 bit/s");
    assertThat(Throughput.rate(1e9)).isEqualTo("1 Gbit/s");
    assertThat(Throughput.bytes(1_180_000_000L)).isEqualTo("1.18 GB");
    assertThat(Throughput.bytes(640)).isEqualTo("640 bytes");
    assertThat(Throughput.sent(125_000, 1_000_000_000L).sentBitsPerSecond()).isEqualTo(1_000_000);
  }
}

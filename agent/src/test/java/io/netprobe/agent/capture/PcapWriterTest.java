package io.netprobe.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pcap layout tcpdump and Wireshark read (CaptureIT reads a real capture with tcpdump -r). */
class PcapWriterTest {
  @TempDir Path dir;

  @Test
  void writesTheGlobalHeaderThenEachFrameWithItsTimeAndLength() throws Exception {
    Path file = dir.resolve("t.pcap");
    try (PcapWriter w = new PcapWriter(file, 113, 262_144)) {
      w.write(new byte[] {1, 2, 3}, 1_700_000_000_123_456L);
      w.write(new byte[] {4}, 1_700_000_001_000_001L);
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.remaining()).isEqualTo(24 + 16 + 3 + 16 + 1);
    assertThat(b.getInt()).isEqualTo(0xa1b2c3d4);
    assertThat(b.getShort()).isEqualTo((short) 2);
    assertThat(b.getShort()).isEqualTo((short) 4);
    assertThat(b.getInt()).isZero();
    assertThat(b.getInt()).isZero();
    assertThat(b.getInt()).isEqualTo(262_144);
    assertThat(b.getInt()).as("link type (LINUX_SLL)").isEqualTo(113);
    assertThat(b.getInt()).isEqualTo(1_700_000_000);
    assertThat(b.getInt()).isEqualTo(123_456);
    assertThat(b.getInt()).isEqualTo(3);
    assertThat(b.getInt()).isEqualTo(3);
    assertThat(new byte[] {b.get(), b.get(), b.get()}).containsExactly(1, 2, 3);
    assertThat(b.getInt()).isEqualTo(1_700_000_001);
    assertThat(b.getInt()).isEqualTo(1);
  }
}

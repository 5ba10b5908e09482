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

  @Test
  void aPcapNobodyNamedStaysInMemoryUntilItOutgrowsItsLimitThenMovesToAFile() throws Exception {
    Path spill = dir.resolve("spilled.pcap");
    PcapWriter w = new PcapWriter(() -> Files.createFile(spill), 24 + 2 * (16 + 100), 1, 128);
    w.write(new byte[100], 1_700_000_000_000_001L);
    w.write(new byte[100], 1_700_000_000_000_002L);
    assertThat(w.file()).as("two frames fit").isNull();
    assertThat(spill).doesNotExist();
    byte[] inMemory = w.bytes();
    assertThat(inMemory).hasSize(24 + 2 * 116);

    w.write(new byte[50], 1_700_000_000_000_003L);
    w.close();
    assertThat(w.file()).isEqualTo(spill);
    byte[] all = w.bytes();
    assertThat(all).hasSize(24 + 2 * 116 + 16 + 50).startsWith(inMemory);
    assertThat(Files.readAllBytes(spill)).isEqualTo(all);

    w.discard();
    assertThat(spill).as("a file it made goes with it").doesNotExist();
    assertThat(w.readable()).isFalse();
  }

  @Test
  void aNamedFileStaysWhenItsPcapIsDiscarded() throws Exception {
    Path file = dir.resolve("named.pcap");
    PcapWriter w = new PcapWriter(file, 1, 128);
    w.write(new byte[10], 1_700_000_000_000_001L);
    w.close();
    w.discard();
    assertThat(file).exists().hasSize(24 + 16 + 10);
  }
}

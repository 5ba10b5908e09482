package io.netprobe.agent.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes frames to a classic pcap file (microsecond timestamps, little-endian), as tcpdump -w does.
 * In Java and buffered: pcap4j's dumper made a native header structure for every packet, a good
 * share of a busy capture's CPU.
 */
final class PcapWriter implements AutoCloseable {
  private final OutputStream out;
  private final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);

  /** Creates {@code file} (or empties it) with the global header for link type {@code dlt}. */
  PcapWriter(Path file, int dlt, int snaplen) throws IOException {
    out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4);
    header.putInt(0).putInt(0).putInt(snaplen).putInt(dlt);
    out.write(header.array(), 0, 24);
  }

  /** One frame as captured, with its capture time in microseconds since the epoch. */
  void write(byte[] frame, long epochMicros) throws IOException {
    header.clear();
    header.putInt((int) (epochMicros / 1_000_000)).putInt((int) (epochMicros % 1_000_000));
    header.putInt(frame.length).putInt(frame.length);
    out.write(header.array(), 0, 16);
    out.write(frame);
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

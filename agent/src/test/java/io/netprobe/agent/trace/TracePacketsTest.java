package io.netprobe.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracePacketsTest {
  static final Inet4Address SRC = v4("10.1.0.1");
  static final Inet4Address DST = v4("10.3.0.1");

  static Inet4Address v4(String literal) {
    try {
      return (Inet4Address) InetAddress.getByName(literal);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static TraceFlow flow(TraceType type) {
    return new TraceFlow(
        type, SRC, DST, 40112, type == TraceType.ICMP ? 0 : 80, 4242, 7000, 5000, "c7");
  }

  /** One's complement sum of 16-bit words, written apart from the code under test. */
  private static int sum(byte[]... parts) {
    List<Byte> all = new ArrayList<>();
    for (byte[] p : parts) {
      for (byte b : p) {
        all.add(b);
      }
      if (p.length % 2 == 1) {
        all.add((byte) 0);
      }
    }
    int s = 0;
    for (int i = 0; i < all.size(); i += 2) {
      s += ((all.get(i) & 0xff) << 8) | (all.get(i + 1) & 0xff);
      s = (s & 0xffff) + (s >>> 16);
    }
    return s;
  }

  private static byte[] slice(byte[] b, int from, int to) {
    return java.util.Arrays.copyOfRange(b, from, to);
  }

  private static byte[] pseudoHeader(int protocol, int length) {
    byte[] p = new byte[12];
    System.arraycopy(SRC.getAddress(), 0, p, 0, 4);
    System.arraycopy(DST.getAddress(), 0, p, 4, 4);
    p[9] = (byte) protocol;
    p[10] = (byte) (length >> 8);
    p[11] = (byte) length;
    return p;
  }

  @Test
  void ipHeaderCarriesTtlIdAndAValidChecksum() {
    byte[] p = flow(TraceType.UDP).packet(5);
    assertThat(p[0]).isEqualTo((byte) 0x45);
    assertThat(p[8]).as("ttl").isEqualTo((byte) 5);
    assertThat(TracePackets.u16(p, 4)).as("IP ID = base + ttl").isEqualTo(7005);
    assertThat(TracePackets.u16(p, 2)).as("total length").isEqualTo(p.length);
    assertThat(p[9]).isEqualTo((byte) 17);
    assertThat(slice(p, 12, 16)).isEqualTo(SRC.getAddress());
    assertThat(slice(p, 16, 20)).isEqualTo(DST.getAddress());
    assertThat(sum(slice(p, 0, 20))).as("header sums to 0xffff").isEqualTo(0xffff);
  }

  @Test
  void echoChecksumIsTheSameForEveryTtl() {
    TraceFlow f = flow(TraceType.ICMP);
    int first = TracePackets.u16(f.packet(1), 22);
    for (int ttl = 1; ttl <= 32; ttl++) {
      byte[] p = f.packet(ttl);
      byte[] icmp = slice(p, 20, p.length);
      assertThat(icmp[0]).as("echo request").isEqualTo((byte) 8);
      assertThat(TracePackets.u16(icmp, 4)).as("identifier").isEqualTo(4242);
      assertThat(TracePackets.u16(icmp, 6)).as("sequence").isEqualTo(5000 + ttl);
      assertThat(TracePackets.u16(icmp, 2)).as("checksum at ttl %d", ttl).isEqualTo(first);
      assertThat(sum(icmp)).as("valid checksum at ttl %d", ttl).isEqualTo(0xffff);
      assertThat(new String(icmp, 10, icmp.length - 10)).isEqualTo("netprobe c7");
    }
  }

  @Test
  void tcpSynChecksumCoversThePseudoHeader() {
    byte[] p = flow(TraceType.TCP).packet(3);
    byte[] tcp = slice(p, 20, p.length);
    assertThat(TracePackets.u16(tcp, 0)).isEqualTo(40112);
    assertThat(TracePackets.u16(tcp, 2)).isEqualTo(80);
    assertThat(TracePackets.u32(tcp, 4)).as("seq = base + ttl").isEqualTo(5003);
    assertThat(tcp[13]).as("SYN only").isEqualTo((byte) 0x02);
    assertThat(sum(pseudoHeader(6, tcp.length), tcp)).isEqualTo(0xffff);
    assertThat(sum(tcp)).as("the segment alone does not verify").isNotEqualTo(0xffff);
  }

  @Test
  void udpChecksumCoversThePseudoHeader() {
    byte[] p = flow(TraceType.UDP).packet(1);
    byte[] udp = slice(p, 20, p.length);
    assertThat(TracePackets.u16(udp, 4)).as("udp length").isEqualTo(udp.length);
    assertThat(sum(pseudoHeader(17, udp.length), udp)).isEqualTo(0xffff);
  }

  @Test
  void udpPacketsDifferOnlyInTtlAndIpId() {
    TraceFlow f = flow(TraceType.UDP);
    assertThat(differing(f.packet(1), f.packet(9)))
        .as("IP ID, TTL and the IP header checksum")
        .contains(5, 8)
        .isSubsetOf(4, 5, 8, 10, 11);
  }

  @Test
  void tcpPacketsDifferOnlyInTtlIpIdAndSequence() {
    TraceFlow f = flow(TraceType.TCP);
    assertThat(differing(f.packet(1), f.packet(2)))
        .as("IP: ID, TTL, checksum; TCP: sequence, checksum (never the ports)")
        .contains(5, 8, 27)
        .isSubsetOf(4, 5, 8, 10, 11, 24, 25, 26, 27, 36, 37);
  }

  private static List<Integer> differing(byte[] a, byte[] b) {
    assertThat(a).hasSameSizeAs(b);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        out.add(i);
      }
    }
    return out;
  }
}

package io.netprobe.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PacketParserTest {
  // Ethernet + IPv4 10.1.5.90 -> 10.0.2.15 + TCP 40112 -> 22, SYN.
  private static final String SYN =
      "0000000000020000000000010800"
          + "45000028000140004006"
          + "0000"
          + "0a01055a"
          + "0a00020f"
          + "9cb00016"
          + "00000001"
          + "00000000"
          + "5002"
          + "ffff"
          + "00000000";

  @Test
  void ethernetSynIsSummarisedWithFlagsPortsAndDirection() {
    byte[] frame = HexFormat.of().parseHex(SYN);
    PacketSummary s =
        PacketParser.parse(frame, PacketParser.DLT_EN10MB, 1.5, "veth0", Set.of("10.0.2.15"));
    assertThat(s.protocol()).isEqualTo(PacketSummary.Protocol.TCP);
    assertThat(s.src()).isEqualTo("10.1.5.90");
    assertThat(s.dstPort()).isEqualTo(22);
    assertThat(s.srcPort()).isEqualTo(40112);
    assertThat(s.tcpFlags()).isEqualTo("S");
    assertThat(s.direction()).isEqualTo(PacketSummary.Direction.IN);
    assertThat(s.describe()).isEqualTo("in 10.1.5.90:40112 > 10.0.2.15:22 TCP [S]");
  }

  @Test
  void cookedIcmpEchoCarriesIdSeqAndOutgoingDirection() {
    String sll = "0004" + "0001" + "0006" + "000000000001" + "0000" + "0800";
    String ip = "45000054000040004001" + "0000" + "0a01055a" + "cb00710a";
    String icmp = "08000000" + "1234" + "0001";
    byte[] frame = HexFormat.of().parseHex(sll + ip + icmp + "00".repeat(8));
    PacketSummary s = PacketParser.parse(frame, PacketParser.DLT_LINUX_SLL, 0, null, Set.of());
    assertThat(s.direction()).isEqualTo(PacketSummary.Direction.OUT);
    assertThat(s.icmpType()).isEqualTo(8);
    assertThat(s.icmpId()).isEqualTo(0x1234);
    assertThat(s.icmpSeq()).isEqualTo(1);
  }

  @Test
  void ipv6IsReadAndIcmpv6IsSummarisedAsTheIcmpThatMeansTheSame() {
    String eth = "000000000002" + "000000000001" + "86dd";
    String src = "fd000247000100000000000000000002";
    String dst = "fd000247000200000000000000000002";
    // an echo request (128), id 0x1234 seq 1, hop limit 64, next header 58
    String echo = "6000000000103a40" + src + dst + "80000000" + "12340001" + "0000000000000000";
    PacketSummary ping =
        PacketParser.parse(
            HexFormat.of().parseHex(eth + echo), 1, 1.0, "eth0", Set.of("fd00:247:1::2"));
    assertThat(ping.protocol()).isEqualTo(PacketSummary.Protocol.ICMP);
    assertThat(ping.src()).isEqualTo("fd00:247:1::2");
    assertThat(ping.dst()).isEqualTo("fd00:247:2::2");
    assertThat(ping.icmpType()).isEqualTo(8);
    assertThat(ping.icmpId()).isEqualTo(0x1234);
    assertThat(ping.direction()).isEqualTo(PacketSummary.Direction.OUT);
    // destination unreachable, admin prohibited (1/1): ICMP 3/13
    String error = "6000000000303a40" + dst + src + "01010000" + "00000000" + "00".repeat(40);
    PacketSummary prohibited =
        PacketParser.parse(HexFormat.of().parseHex(eth + error), 1, 2.0, "eth0", Set.of());
    assertThat(prohibited.icmpType()).isEqualTo(3);
    assertThat(prohibited.icmpCode()).isEqualTo(13);
    assertThat(prohibited.icmpId()).as("the quote is not an IPv6 packet").isNull();
    assertThat(prohibited.quotes(1, 2)).isTrue();
    // port unreachable (1/4) quoting the datagram [src]:57103 > [dst]:5354 it is about
    String quoted = "6000000000111140" + src + dst + "df0f14ea00110000";
    String unreachable = "6000000000403a40" + dst + src + "01040000" + "00000000" + quoted;
    PacketSummary port =
        PacketParser.parse(HexFormat.of().parseHex(eth + unreachable), 1, 2.5, "eth0", Set.of());
    assertThat(port.isIcmpError()).isTrue();
    assertThat(port.icmpType()).isEqualTo(3);
    assertThat(port.icmpCode()).isEqualTo(3);
    assertThat(port.quotes(57103, 5354)).isTrue();
    assertThat(port.quotes(57104, 5354)).as("another flow's error").isFalse();
    assertThat(port.quotes(57103, 53)).isFalse();
    // a SYN, after a hop-by-hop extension header
    String tcp = "c35a1f90" + "00000001" + "00000000" + "5002" + "ffff" + "00000000";
    String syn = "6000000000200040" + src + dst + "0600000000000000" + tcp;
    PacketSummary s = PacketParser.parse(HexFormat.of().parseHex(eth + syn), 1, 3.0, "eth0", null);
    assertThat(s.protocol()).isEqualTo(PacketSummary.Protocol.TCP);
    assertThat(s.dstPort()).isEqualTo(8080);
    assertThat(s.tcpFlags()).isEqualTo("S");
    assertThat(s.describe()).isEqualTo("[fd00:247:1::2]:50010 > [fd00:247:2::2]:8080 TCP [S]");
  }

  @Test
  void aTaggedFrameKeepsItsVlan() {
    // the same SYN with an 802.1Q tag (VLAN 7) between the MAC addresses and the EtherType
    String tagged = SYN.substring(0, 24) + "8100" + "0007" + SYN.substring(24);
    PacketSummary s =
        PacketParser.parse(
            HexFormat.of().parseHex(tagged), PacketParser.DLT_EN10MB, 1.5, "vmon", Set.of());
    assertThat(s.vlan()).isEqualTo(7);
    assertThat(s.dstPort()).isEqualTo(22);
    assertThat(s.describe()).isEqualTo("vlan 7 10.1.5.90:40112 > 10.0.2.15:22 TCP [S]");
    assertThat(
            PacketParser.parse(
                    HexFormat.of().parseHex(SYN), PacketParser.DLT_EN10MB, 1.5, "x", Set.of())
                .vlan())
        .isNull();
  }

  @Test
  void rstAckFlagsAreNamed() {
    assertThat(PacketParser.tcpFlags((byte) 0x14)).isEqualTo("RA");
    assertThat(PacketParser.tcpFlags((byte) 0x12)).isEqualTo("SA");
  }

  @Test
  void everyFlagCombinationIsNamedInTheOrderSFRPAU() {
    assertThat(PacketParser.tcpFlags((byte) 0x3f)).isEqualTo("SFRPAU");
    assertThat(PacketParser.tcpFlags((byte) 0x00)).isEmpty();
    assertThat(PacketParser.tcpFlags((byte) 0xd1)).as("ECE, CWR are not named").isEqualTo("FA");
  }

  @Test
  void addressesAreWrittenAsJavaWritesThemWhateverTheRememberedTextsHold() throws Exception {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 20_000; i++) {
      // a few hundred addresses over and over, and some never seen: slots are shared and replaced
      byte[] src = new byte[4];
      random.nextBytes(src);
      if (i % 3 != 0) {
        src = new byte[] {10, (byte) random.nextInt(3), (byte) random.nextInt(100), 1};
      }
      byte[] frame = new byte[28];
      frame[0] = 0x45;
      frame[9] = 17;
      System.arraycopy(src, 0, frame, 12, 4);
      System.arraycopy(new byte[] {(byte) 192, 0, 2, 1}, 0, frame, 16, 4);
      PacketSummary s = PacketParser.parse(frame, PacketParser.DLT_RAW, 0, "x", Set.of());
      assertThat(s.src()).isEqualTo(java.net.InetAddress.getByAddress(src).getHostAddress());
      assertThat(s.dst()).isEqualTo("192.0.2.1");
    }
  }

  @Test
  void nonIpFramesAreSkipped() {
    byte[] arp = HexFormat.of().parseHex("ffffffffffff000000000001" + "0806" + "00".repeat(28));
    assertThat(PacketParser.parse(arp, PacketParser.DLT_EN10MB, 0, "x", Set.of())).isNull();
  }
}

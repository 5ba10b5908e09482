package io.netprobe.agent.trace;

import static io.netprobe.agent.trace.TracePacketsTest.DST;
import static io.netprobe.agent.trace.TracePacketsTest.SRC;
import static io.netprobe.agent.trace.TracePacketsTest.flow;
import static io.netprobe.agent.trace.TracePacketsTest.v4;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Answers as a router or the destination would send them, built byte by byte. */
class AnswerTest {
  private static final String ROUTER = "10.2.0.254";

  /**
   * An ICMP error from {@code from} quoting {@code quoted} as RFC 792 asks: its IP header and the
   * first 8 bytes after it; the TTL it had when it died.
   */
  private static byte[] icmpError(String from, int type, int code, byte[] quoted) {
    byte[] q = Arrays.copyOf(quoted, 28);
    q[8] = 1; // the TTL left when the router gave up on it
    byte[] icmp = new byte[8 + q.length];
    icmp[0] = (byte) type;
    icmp[1] = (byte) code;
    System.arraycopy(q, 0, icmp, 8, q.length);
    TracePackets.put16(icmp, 2, TracePackets.checksum(icmp, 0, icmp.length, 0));
    return TracePackets.ipv4(v4(from), SRC, 1, 63, 999, icmp);
  }

  @Test
  void timeExceededQuotingATcpSynGivesItsTtlAndTheRouter() {
    TraceFlow f = flow(TraceType.TCP);
    Answer a = Answer.fromIcmp(f, 16, icmpError(ROUTER, 11, 0, f.packet(2)));
    assertThat(a).isEqualTo(new Answer(2, ROUTER, HopKind.TIME_EXCEEDED, 0, "time exceeded"));
  }

  @Test
  void timeExceededQuotingAnEchoGivesItsTtl() {
    TraceFlow f = flow(TraceType.ICMP);
    Answer a = Answer.fromIcmp(f, 16, icmpError(ROUTER, 11, 0, f.packet(7)));
    assertThat(a.ttl()).isEqualTo(7);
    assertThat(a.kind()).isEqualTo(HopKind.TIME_EXCEEDED);
  }

  @Test
  void timeExceededQuotingAUdpDatagramGivesItsTtl() {
    TraceFlow f = flow(TraceType.UDP);
    Answer a = Answer.fromIcmp(f, 16, icmpError(ROUTER, 11, 0, f.packet(4)));
    assertThat(a.ttl()).isEqualTo(4);
    assertThat(a.from()).isEqualTo(ROUTER);
  }

  @Test
  void portUnreachableFromTheDestinationIsTheUdpReply() {
    TraceFlow f = flow(TraceType.UDP);
    Answer a = Answer.fromIcmp(f, 16, icmpError(DST.getHostAddress(), 3, 3, f.packet(5)));
    assertThat(a).isEqualTo(new Answer(5, "10.3.0.1", HopKind.REPLY, 3, "port unreachable"));
  }

  @Test
  void netUnreachableFromARouterIsUnreachableWithItsCode() {
    TraceFlow f = flow(TraceType.TCP);
    Answer a = Answer.fromIcmp(f, 16, icmpError(ROUTER, 3, 0, f.packet(2)));
    assertThat(a).isEqualTo(new Answer(2, ROUTER, HopKind.UNREACHABLE, 0, "net unreachable"));
  }

  @Test
  void errorsQuotingAnotherFlowAreNotOurs() {
    TraceFlow f = flow(TraceType.UDP);
    TraceFlow otherPort = new TraceFlow(TraceType.UDP, SRC, DST, 40113, 80, 4242, 7000, 5000, "c7");
    TraceFlow otherTrace =
        new TraceFlow(TraceType.UDP, SRC, DST, 40112, 80, 4242, 9000, 5000, "c7");
    TraceFlow otherDestination =
        new TraceFlow(TraceType.UDP, SRC, v4("10.3.0.2"), 40112, 80, 4242, 7000, 5000, "c7");
    assertThat(Answer.fromIcmp(f, 16, icmpError(ROUTER, 11, 0, otherPort.packet(2)))).isNull();
    assertThat(Answer.fromIcmp(f, 16, icmpError(ROUTER, 11, 0, otherTrace.packet(2))))
        .as("IP ID outside this trace's range")
        .isNull();
    assertThat(Answer.fromIcmp(f, 16, icmpError(ROUTER, 11, 0, otherDestination.packet(2))))
        .isNull();
    assertThat(Answer.fromIcmp(f, 4, icmpError(ROUTER, 11, 0, f.packet(5))))
        .as("beyond maxHops")
        .isNull();
    assertThat(Answer.fromIcmp(flow(TraceType.TCP), 16, icmpError(ROUTER, 11, 0, f.packet(2))))
        .as("another protocol")
        .isNull();
  }

  @Test
  void echoReplyGivesItsTtlFromTheSequenceNumber() {
    TraceFlow f = flow(TraceType.ICMP);
    byte[] reply = TracePackets.echoRequest(4242, 5000 + 3, "c7");
    reply[0] = 0;
    Answer a = Answer.fromIcmp(f, 16, TracePackets.ipv4(DST, SRC, 1, 62, 1, reply));
    assertThat(a).isEqualTo(new Answer(3, "10.3.0.1", HopKind.REPLY, null, "echo reply"));
    byte[] otherId = TracePackets.echoRequest(4243, 5000 + 3, "c7");
    otherId[0] = 0;
    assertThat(Answer.fromIcmp(f, 16, TracePackets.ipv4(DST, SRC, 1, 62, 1, otherId))).isNull();
  }

  private static byte[] tcpFromDestination(int srcPort, int dstPort, int flags, int ack) {
    byte[] tcp = new byte[20];
    TracePackets.put16(tcp, 0, srcPort);
    TracePackets.put16(tcp, 2, dstPort);
    TracePackets.put32(tcp, 8, ack);
    tcp[12] = 0x50;
    tcp[13] = (byte) flags;
    return TracePackets.ipv4(DST, SRC, 6, 62, 1, tcp);
  }

  @Test
  void synAckGivesItsTtlFromTheAcknowledgement() {
    TraceFlow f = flow(TraceType.TCP);
    Answer a = Answer.fromTcp(f, 16, tcpFromDestination(80, 40112, 0x12, 5000 + 3 + 1));
    assertThat(a).isEqualTo(new Answer(3, "10.3.0.1", HopKind.REPLY, null, "SYN-ACK"));
  }

  @Test
  void rstGivesItsTtlFromTheAcknowledgement() {
    TraceFlow f = flow(TraceType.TCP);
    Answer a = Answer.fromTcp(f, 16, tcpFromDestination(80, 40112, 0x14, 5000 + 4 + 1));
    assertThat(a.ttl()).isEqualTo(4);
    assertThat(a.detail()).isEqualTo("RST");
  }

  @Test
  void bareAckAndOtherPortsSayNothing() {
    TraceFlow f = flow(TraceType.TCP);
    assertThat(Answer.fromTcp(f, 16, tcpFromDestination(80, 40112, 0x10, 5004)))
        .as("a bare ACK")
        .isNull();
    assertThat(Answer.fromTcp(f, 16, tcpFromDestination(81, 40112, 0x12, 5004))).isNull();
    assertThat(Answer.fromTcp(f, 16, tcpFromDestination(80, 40113, 0x12, 5004))).isNull();
  }

  @Test
  void sequenceNumbersWrapAroundWithoutLosingTheTtl() {
    TraceFlow f = new TraceFlow(TraceType.TCP, SRC, DST, 40112, 80, 0, 7000, -2, null);
    byte[] syn = f.packet(5);
    assertThat(TracePackets.u32(syn, 24)).isEqualTo(3);
    assertThat(Answer.fromTcp(f, 16, tcpFromDestination(80, 40112, 0x12, 4)).ttl()).isEqualTo(5);
  }

  private static final String SRC6 = "fd00:1::1";
  private static final String DST6 = "fd00:3::1";
  private static final String ROUTER6 = "fd00:2::fe";

  private static TraceFlow flow6(TraceType type) {
    try {
      return new TraceFlow(
          type,
          java.net.InetAddress.getByName(SRC6),
          java.net.InetAddress.getByName(DST6),
          40112,
          type == TraceType.ICMP ? 0 : 80,
          4242,
          7000,
          5000,
          "c7");
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An ICMPv6 error as {@link RawSockets#receive6} gives it: an IPv6 header put back in front of
   * the message, which quotes the whole packet (RFC 4443 quotes as much as fits in 1280 bytes).
   */
  private static byte[] icmp6Error(String from, int type, int code, byte[] quoted)
      throws Exception {
    byte[] q = quoted.clone();
    q[7] = 1; // the hop limit left when the router gave up on it
    byte[] icmp = new byte[8 + q.length];
    icmp[0] = (byte) type;
    icmp[1] = (byte) code;
    System.arraycopy(q, 0, icmp, 8, q.length);
    return TracePackets.ipv6(
        java.net.InetAddress.getByName(from), java.net.InetAddress.getByName(SRC6), 58, 0, icmp);
  }

  @Test
  void icmpv6ErrorsGiveTheHopLimitBySequenceOrLength() throws Exception {
    for (TraceType type : TraceType.values()) {
      TraceFlow f = flow6(type);
      assertThat(f.packet(6)[7]).as("hop limit").isEqualTo((byte) 6);
      Answer a = Answer.fromIcmp(f, 16, icmp6Error(ROUTER6, 3, 0, f.packet(6)));
      assertThat(a)
          .as(type.name())
          .isEqualTo(new Answer(6, ROUTER6, HopKind.TIME_EXCEEDED, 0, "time exceeded"));
    }
    TraceFlow udp = flow6(TraceType.UDP);
    assertThat(Answer.fromIcmp(udp, 16, icmp6Error(DST6, 1, 4, udp.packet(3))))
        .as("port unreachable from the destination: ICMP's code 3")
        .isEqualTo(new Answer(3, DST6, HopKind.REPLY, 3, "port unreachable"));
    TraceFlow tcp = flow6(TraceType.TCP);
    assertThat(Answer.fromIcmp(tcp, 16, icmp6Error(ROUTER6, 1, 0, tcp.packet(2))))
        .isEqualTo(new Answer(2, ROUTER6, HopKind.UNREACHABLE, 0, "net unreachable"));
    assertThat(Answer.fromIcmp(tcp, 16, icmp6Error(ROUTER6, 1, 1, tcp.packet(2))).detail())
        .isEqualTo("communication administratively prohibited");
  }

  @Test
  void anIcmpv6ErrorAboutAnotherFlowIsNotAnAnswer() throws Exception {
    TraceFlow f = flow6(TraceType.UDP);
    byte[] other = flow6(TraceType.UDP).packet(2);
    TracePackets.put16(other, 40, 40113); // another source port
    assertThat(Answer.fromIcmp(f, 16, icmp6Error(ROUTER6, 3, 0, other))).isNull();
    assertThat(Answer.fromIcmp(flow(TraceType.UDP), 16, icmp6Error(ROUTER6, 3, 0, f.packet(2))))
        .as("an IPv4 flow")
        .isNull();
  }

  @Test
  void theIcmpv6EchoReplyGivesItsSequence() throws Exception {
    TraceFlow f = flow6(TraceType.ICMP);
    byte[] reply = Arrays.copyOfRange(f.packet(4), 40, f.packet(4).length);
    reply[0] = (byte) 129;
    byte[] p =
        TracePackets.ipv6(
            java.net.InetAddress.getByName(DST6),
            java.net.InetAddress.getByName(SRC6),
            58,
            0,
            reply);
    assertThat(Answer.fromIcmp(f, 16, p))
        .isEqualTo(new Answer(4, DST6, HopKind.REPLY, null, "echo reply"));
  }
}

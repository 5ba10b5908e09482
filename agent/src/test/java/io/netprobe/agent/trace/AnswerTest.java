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
}

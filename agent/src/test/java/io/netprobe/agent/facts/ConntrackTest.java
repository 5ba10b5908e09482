package io.netprobe.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lines of nf_conntrack as a node that translates connections writes them. */
class ConntrackTest {
  @Test
  void aDnatToAnotherPortIsATranslationThatRedirects() {
    Facts.Translation t =
        ProcFacts.translation(
            "ipv4     2 tcp      6 118 SYN_SENT src=10.244.0.2 dst=10.96.0.102 sport=41969"
                + " dport=5000 [UNREPLIED] src=10.244.1.2 dst=10.244.0.2 sport=5001 dport=41969"
                + " mark=0 zone=0 use=2");
    assertThat(t).isNotNull();
    assertThat(t.redirected()).isTrue();
    assertThat(t.toAddress()).isEqualTo("10.244.1.2");
    assertThat(t.toPort()).isEqualTo(5001);
    assertThat(t.replied()).isFalse();
    assertThat(t.fromAddress()).isEqualTo("10.244.0.2");
  }

  @Test
  void aMasqueradeIsATranslationThatDoesNotRedirect() {
    Facts.Translation t =
        ProcFacts.translation(
            "ipv4     2 tcp      6 42 TIME_WAIT src=10.0.2.15 dst=203.0.113.10 sport=40000"
                + " dport=80 src=203.0.113.10 dst=203.0.113.2 sport=80 dport=40000 [ASSURED]"
                + " mark=0 zone=0 use=2");
    assertThat(t.redirected()).isFalse();
    assertThat(t.fromAddress()).isEqualTo("203.0.113.2");
  }

  @Test
  void anUntranslatedConnectionOrAnotherProtocolIsNone() {
    assertThat(
            ProcFacts.translation(
                "ipv4 2 tcp 6 42 TIME_WAIT src=10.1.5.90 dst=10.1.5.91 sport=1 dport=22"
                    + " src=10.1.5.91 dst=10.1.5.90 sport=22 dport=1 [ASSURED] mark=0 use=2"))
        .isNull();
    assertThat(ProcFacts.translation("ipv4 2 unknown 2 580 src=10.0.0.1 dst=224.0.0.22")).isNull();
  }

  @Test
  void icmpAndAPortOnlyRedirectAndOddSpacing() {
    Facts.Translation icmp =
        ProcFacts.translation(
            "ipv4     2 icmp     1 29 src=10.0.2.15 dst=203.0.113.10 type=8 code=0 id=7"
                + " src=203.0.113.10 dst=203.0.113.2 type=0 code=0 id=7 mark=0 use=1");
    assertThat(icmp.protocol()).isEqualTo("icmp");
    assertThat(icmp.srcPort()).isNull();
    assertThat(icmp.fromAddress()).isEqualTo("203.0.113.2");
    Facts.Translation port =
        ProcFacts.translation(
            "ipv4 2 tcp 6 5 SYN_SENT\tsrc=10.0.0.1  dst=10.0.0.2 sport=1000 dport=80 [UNREPLIED]"
                + " src=10.0.0.2 dst=10.0.0.1 sport=8080 dport=1000 mark=0 use=1");
    assertThat(port.redirected()).isTrue();
    assertThat(port.toPort()).isEqualTo(8080);
    assertThat(port.replied()).isFalse();
    assertThat(ProcFacts.translation("")).isNull();
    assertThat(ProcFacts.translation("ipv4 2 tcp")).isNull();
  }

  /** The scanner reads what a split of the line into words reads, on many generated lines. */
  @Test
  void readsWhatSplittingReads() {
    java.util.Random random = new java.util.Random(7);
    String[] addresses = {"10.0.0.1", "10.0.0.2", "10.0.0.22", "203.0.113.2", "10.0.0.1"};
    String[] protocols = {"tcp", "udp", "icmp", "sctp"};
    for (int i = 0; i < 2000; i++) {
      String p = protocols[random.nextInt(protocols.length)];
      StringBuilder line = new StringBuilder("ipv4     2 " + p + "      6 117 ");
      for (int dir = 0; dir < 2; dir++) {
        line.append("src=").append(addresses[random.nextInt(addresses.length)]).append(' ');
        line.append("dst=").append(addresses[random.nextInt(addresses.length)]).append(' ');
        if (!p.equals("icmp")) {
          line.append("sport=").append(1000 + random.nextInt(3)).append(' ');
          line.append("dport=").append(1000 + random.nextInt(3)).append(' ');
        }
        if (dir == 0 && random.nextBoolean()) {
          line.append("[UNREPLIED] ");
        }
      }
      line.append("mark=0 use=2");
      assertThat(ProcFacts.translation(line.toString()))
          .as(line.toString())
          .isEqualTo(bySplitting(line.toString()));
    }
  }

  /** The reading by words (as it was before the scanner). */
  private static Facts.Translation bySplitting(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length < 6) {
      return null;
    }
    String proto = f[2];
    if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("icmp")) {
      return null;
    }
    java.util.List<String> src = new java.util.ArrayList<>();
    java.util.List<String> dst = new java.util.ArrayList<>();
    java.util.List<Integer> sport = new java.util.ArrayList<>();
    java.util.List<Integer> dport = new java.util.ArrayList<>();
    boolean unreplied = false;
    for (String w : f) {
      if (w.startsWith("src=")) {
        src.add(w.substring(4));
      } else if (w.startsWith("dst=")) {
        dst.add(w.substring(4));
      } else if (w.startsWith("sport=")) {
        sport.add(Integer.parseInt(w.substring(6)));
      } else if (w.startsWith("dport=")) {
        dport.add(Integer.parseInt(w.substring(6)));
      } else if (w.equals("[UNREPLIED]")) {
        unreplied = true;
      }
    }
    if (src.size() < 2 || dst.size() < 2) {
      return null;
    }
    boolean ports = sport.size() >= 2 && dport.size() >= 2;
    Integer origDport = ports ? dport.get(0) : null;
    Integer replySport = ports ? sport.get(1) : null;
    boolean dnat = !src.get(1).equals(dst.get(0)) || ports && !origDport.equals(replySport);
    boolean snat = !dst.get(1).equals(src.get(0));
    if (!dnat && !snat) {
      return null;
    }
    return new Facts.Translation(
        proto,
        src.get(0),
        ports ? sport.get(0) : null,
        dst.get(0),
        origDport,
        src.get(1),
        replySport,
        dst.get(1),
        !unreplied);
  }
}

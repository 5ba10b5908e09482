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
}

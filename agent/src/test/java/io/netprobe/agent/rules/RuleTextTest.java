package io.netprobe.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuleTextTest {
  @Test
  void ruleInPlainWordsDropsTheProtocolModuleEcho() {
    RuleDiff.Delta d =
        new RuleDiff.Delta(
            RuleSet.NFT,
            "filter",
            "FORWARD",
            4,
            "-p tcp -m tcp --dport 50000 -j DROP",
            "DROP",
            1,
            60);
    assertThat(RuleText.describe(d))
        .isEqualTo("FORWARD rule 4 `-p tcp --dport 50000 -j DROP` (+1 packet)");
  }

  @Test
  void policyAndOtherTablesAndPluralsAreNamed() {
    assertThat(
            RuleText.describe(
                new RuleDiff.Delta(RuleSet.NFT, "filter", "FORWARD", null, null, "DROP", 3, 180)))
        .isEqualTo("FORWARD policy DROP (+3 packets)");
    assertThat(
            RuleText.describe(
                new RuleDiff.Delta(
                    RuleSet.NFT,
                    "raw",
                    "PREROUTING",
                    2,
                    "-s 10.0.0.0/8 -p udp -m udp --dport 53 -j DROP",
                    "DROP",
                    12,
                    900)))
        .isEqualTo("raw PREROUTING rule 2 `-s 10.0.0.0/8 -p udp --dport 53 -j DROP` (+12 packets)");
  }

  @Test
  void modulesThatSayMoreThanTheProtocolStay() {
    assertThat(RuleText.spec("-p tcp -m multiport --dports 80,443 -j ACCEPT"))
        .isEqualTo("-p tcp -m multiport --dports 80,443 -j ACCEPT");
    assertThat(RuleText.spec("-p icmp -m icmp --icmp-type 8 -j ACCEPT"))
        .isEqualTo("-p icmp --icmp-type 8 -j ACCEPT");
    assertThat(RuleText.spec("-m tcp --dport 9 -j DROP"))
        .as("no -p tcp to stand for it")
        .isEqualTo("-m tcp --dport 9 -j DROP");
    assertThat(RuleText.spec("-p udp -m comment --comment \"-m udp here\" -j DROP"))
        .isEqualTo("-p udp -m comment --comment \"-m udp here\" -j DROP");
    assertThat(RuleText.spec("-p udp -m udp -m comment --comment \"a \\\" -m udp b\" -j DROP"))
        .as("only the module, not the comment's words")
        .isEqualTo("-p udp -m comment --comment \"a \\\" -m udp b\" -j DROP");
  }

  @Test
  void ruleOfASnapshotIsNamedWithoutCounters() {
    assertThat(
            RuleText.describe(
                "filter", "INPUT", new Rule(1, "-p tcp -m tcp --dport 9 -j DROP", "DROP", 0, 0)))
        .isEqualTo("INPUT rule 1 `-p tcp --dport 9 -j DROP`");
  }
}

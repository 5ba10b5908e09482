package io.netprobe.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleDiffTest {
  private static RuleSet filter(String body) {
    return IptablesSave.parse("*filter\n" + body + "COMMIT\n", RuleSet.NFT);
  }

  private static final String BEFORE =
      ":INPUT ACCEPT [10:600]\n"
          + ":FORWARD DROP [2:120]\n"
          + "[5:300] -A INPUT -p tcp -m tcp --dport 9 -j DROP\n"
          + "[1:60] -A INPUT -p tcp -m tcp --dport 10 -j REJECT --reject-with tcp-reset\n"
          + "[0:0] -A FORWARD -p tcp -m tcp --dport 50000 -j DROP\n";

  @Test
  void grownRulesAndPoliciesGiveTheirDelta() {
    RuleSet after =
        filter(
            ":INPUT ACCEPT [10:600]\n"
                + ":FORWARD DROP [5:300]\n"
                + "[8:480] -A INPUT -p tcp -m tcp --dport 9 -j DROP\n"
                + "[1:60] -A INPUT -p tcp -m tcp --dport 10 -j REJECT --reject-with tcp-reset\n"
                + "[1:60] -A FORWARD -p tcp -m tcp --dport 50000 -j DROP\n");
    RuleDiff diff = RuleDiff.between(List.of(filter(BEFORE)), List.of(after));
    assertThat(diff.grown())
        .containsExactly(
            new RuleDiff.Delta(
                RuleSet.NFT,
                "filter",
                "INPUT",
                1,
                "-p tcp -m tcp --dport 9 -j DROP",
                "DROP",
                3,
                180),
            new RuleDiff.Delta(
                RuleSet.NFT,
                "filter",
                "FORWARD",
                1,
                "-p tcp -m tcp --dport 50000 -j DROP",
                "DROP",
                1,
                60),
            new RuleDiff.Delta(RuleSet.NFT, "filter", "FORWARD", null, null, "DROP", 3, 180));
    assertThat(diff.grown().get(2).policy()).isTrue();
    assertThat(diff.grown()).allMatch(RuleDiff.Delta::drops);
  }

  @Test
  void aRuleInsertedAboveMovesTheIndexNotTheIdentity() {
    RuleSet after =
        filter(
            ":INPUT ACCEPT [10:600]\n"
                + ":FORWARD DROP [2:120]\n"
                + "[4:240] -A INPUT -s 10.9.9.9/32 -j DROP\n"
                + "[6:360] -A INPUT -p tcp -m tcp --dport 9 -j DROP\n"
                + "[1:60] -A INPUT -p tcp -m tcp --dport 10 -j REJECT --reject-with tcp-reset\n"
                + "[0:0] -A FORWARD -p tcp -m tcp --dport 50000 -j DROP\n");
    RuleDiff diff = RuleDiff.between(List.of(filter(BEFORE)), List.of(after));
    assertThat(diff.grown())
        .as("the inserted rule counted 4 but has nothing to compare with")
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.index()).isEqualTo(2);
              assertThat(d.spec()).isEqualTo("-p tcp -m tcp --dport 9 -j DROP");
              assertThat(d.packets()).isEqualTo(1);
            });
  }

  @Test
  void removedRulesZeroedCountersAndNewChainsAreLeftOut() {
    RuleSet after =
        filter(
            ":INPUT ACCEPT [10:600]\n"
                + ":FORWARD DROP [0:0]\n"
                + ":new - [0:0]\n"
                + "[1:60] -A INPUT -p tcp -m tcp --dport 10 -j REJECT --reject-with tcp-reset\n"
                + "[7:420] -A new -j DROP\n");
    assertThat(RuleDiff.between(List.of(filter(BEFORE)), List.of(after)).grown()).isEmpty();
  }

  @Test
  void identicalRulesPairInOrder() {
    RuleSet before =
        filter(":OUTPUT ACCEPT [0:0]\n[1:1] -A OUTPUT -j DROP\n[2:2] -A OUTPUT -j DROP\n");
    RuleSet after =
        filter(":OUTPUT ACCEPT [0:0]\n[1:1] -A OUTPUT -j DROP\n[5:5] -A OUTPUT -j DROP\n");
    assertThat(RuleDiff.between(List.of(before), List.of(after)).grown())
        .extracting(RuleDiff.Delta::index, RuleDiff.Delta::packets)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 3L));
  }

  @Test
  void backendsAndTablesAreComparedApart() {
    RuleSet nft = filter(":INPUT ACCEPT [0:0]\n[1:60] -A INPUT -j DROP\n");
    RuleSet legacyBefore =
        IptablesSave.parse(
            "*filter\n:INPUT ACCEPT [0:0]\n[0:0] -A INPUT -j DROP\nCOMMIT\n", "iptables-legacy");
    RuleSet legacyAfter =
        IptablesSave.parse(
            "*filter\n:INPUT ACCEPT [0:0]\n[2:120] -A INPUT -j DROP\nCOMMIT\n", "iptables-legacy");
    RuleDiff diff = RuleDiff.between(List.of(nft, legacyBefore), List.of(nft, legacyAfter));
    assertThat(diff.grown())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.backend()).isEqualTo(RuleSet.LEGACY);
              assertThat(d.packets()).isEqualTo(2);
            });
  }

  @Test
  void dockerSampleAgainstItselfHasNoGrowth() {
    RuleSet docker = Samples.parse(Samples.DOCKER);
    assertThat(RuleDiff.between(List.of(docker), List.of(docker)).grown()).isEmpty();
  }

  @Test
  void diffSurvivesAJsonRoundTrip() throws Exception {
    ObjectMapper json = new ObjectMapper();
    RuleDiff diff =
        new RuleDiff(
            List.of(
                new RuleDiff.Delta(RuleSet.NFT, "filter", "INPUT", 1, "-j DROP", "DROP", 1, 60),
                new RuleDiff.Delta(RuleSet.NFT, "filter", "INPUT", null, null, "DROP", 2, 120)));
    String text = json.writeValueAsString(diff);
    assertThat(text).doesNotContain("\"index\":null");
    assertThat(json.readValue(text, RuleDiff.class)).isEqualTo(diff);
  }
}

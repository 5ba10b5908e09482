package io.netprobe.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class IptablesSaveTest {
  @Test
  void dockerRulesParseWithCountersAndChainsInOrder() {
    RuleSet set = Samples.parse(Samples.DOCKER);
    assertThat(set.backend()).isEqualTo(RuleSet.NFT);
    assertThat(set.tables()).extracting(Table::name).containsExactly("filter", "nat");
    Table filter = set.table("filter").orElseThrow();
    assertThat(filter.chains())
        .extracting(Chain::name)
        .containsExactly(
            "INPUT",
            "FORWARD",
            "OUTPUT",
            "DOCKER",
            "DOCKER-ISOLATION-STAGE-1",
            "DOCKER-ISOLATION-STAGE-2",
            "DOCKER-USER",
            "np-guard");
    Chain forward = filter.chain("FORWARD").orElseThrow();
    assertThat(forward.policy()).isEqualTo("DROP");
    assertThat(forward.policyPackets()).isZero();
    assertThat(forward.rules()).hasSize(10);
    assertThat(forward.rules().get(0))
        .isEqualTo(new Rule(1, "-j DOCKER-USER", "DOCKER-USER", 53, 2724));
    assertThat(forward.rules().get(4).spec()).isEqualTo("-i np-compose ! -o np-compose -j ACCEPT");
    Chain docker = filter.chain("DOCKER").orElseThrow();
    assertThat(docker.builtIn()).isFalse();
    assertThat(docker.policy()).isNull();
    assertThat(docker.policyPackets()).isNull();
    assertThat(docker.rules())
        .containsExactly(
            new Rule(
                1,
                "-d 192.168.1.2/32 ! -i np-compose -o np-compose -p tcp -m tcp --dport 50000 -j"
                    + " ACCEPT",
                "ACCEPT",
                1,
                60));
    Chain stage2 = filter.chain("DOCKER-ISOLATION-STAGE-2").orElseThrow();
    assertThat(stage2.rules())
        .extracting(Rule::index, Rule::target, Rule::packets)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "DROP", 1L),
            org.assertj.core.groups.Tuple.tuple(2, "DROP", 0L),
            org.assertj.core.groups.Tuple.tuple(3, "RETURN", 9L));
    Rule dnat = set.table("nat").orElseThrow().chain("DOCKER").orElseThrow().rules().get(2);
    assertThat(dnat.target()).isEqualTo("DNAT");
    assertThat(dnat.spec()).endsWith("-j DNAT --to-destination 192.168.1.2:50000");
  }

  @Test
  void namespaceRulesKeepQuotedCommentsGotoAndRulesWithoutTarget() {
    RuleSet set = Samples.parse(Samples.NAMESPACE);
    assertThat(set.tables())
        .extracting(Table::name)
        .containsExactly("mangle", "raw", "filter", "nat");
    Table filter = set.table("filter").orElseThrow();
    List<Rule> input = filter.chain("INPUT").orElseThrow().rules();
    assertThat(input).extracting(Rule::index).containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(input.get(3).spec()).contains("--comment \"web ports \\\"quoted\\\"\"");
    assertThat(input.get(3).target()).isEqualTo("ACCEPT");
    assertThat(input.get(6).target()).isEqualTo("LOG");
    assertThat(filter.chain("np-user").orElseThrow().rules().get(0).target())
        .as("-g names its chain as -j does")
        .isEqualTo("np-user2");
    assertThat(filter.chain("np-user2").orElseThrow().rules()).isEmpty();
    assertThat(filter.chain("OUTPUT").orElseThrow().rules().get(0).target())
        .as("a rule that only counts")
        .isNull();
    assertThat(set.hasRules()).isTrue();
  }

  @Test
  void legacyHeaderAndPolicyCountersAreRead() {
    RuleSet set = Samples.parse(Samples.LEGACY);
    assertThat(set.backend()).isEqualTo(RuleSet.LEGACY);
    Chain input = set.table("filter").orElseThrow().chain("INPUT").orElseThrow();
    assertThat(input.policy()).isEqualTo("DROP");
    assertThat(input.policyPackets()).isEqualTo(1204);
    assertThat(input.policyBytes()).isEqualTo(96320);
  }

  @Test
  void inlineCountersAndMissingCountersAreRead() {
    RuleSet set =
        IptablesSave.parse(
            "*filter\n:INPUT ACCEPT\n-A INPUT -c 5 300 -p udp -j DROP\n-A INPUT -j ACCEPT\nCOMMIT\n",
            RuleSet.NFT);
    Chain input = set.tables().get(0).chains().get(0);
    assertThat(input.policyPackets()).isZero();
    assertThat(input.rules())
        .containsExactly(
            new Rule(1, "-p udp -j DROP", "DROP", 5, 300),
            new Rule(2, "-j ACCEPT", "ACCEPT", 0, 0));
  }

  @Test
  void emptyOutputHasNoTablesAndNoRules() {
    RuleSet set = IptablesSave.parse("", RuleSet.NFT);
    assertThat(set.tables()).isEmpty();
    assertThat(set.hasRules()).isFalse();
    assertThat(IptablesSave.backendOf("")).isNull();
  }

  @Test
  void untouchedTablesHaveNoRules() {
    RuleSet set =
        IptablesSave.parse(
            "*filter\n:INPUT ACCEPT [9:9]\n:FORWARD ACCEPT [0:0]\nCOMMIT\n", RuleSet.LEGACY);
    assertThat(set.hasRules()).isFalse();
  }

  @Test
  void aLineOutsideATableIsNamed() {
    assertThatThrownBy(() -> IptablesSave.parse("# hi\n-A INPUT -j DROP\n", RuleSet.NFT))
        .hasMessageContaining("line 2")
        .hasMessageContaining("-A INPUT -j DROP");
    assertThatThrownBy(() -> IptablesSave.parse("*filter\nbogus\n", RuleSet.NFT))
        .hasMessageContaining("line 2: not a rule");
  }

  @Test
  void ruleSetSurvivesAJsonRoundTrip() throws Exception {
    ObjectMapper json = new ObjectMapper();
    RuleSet set = Samples.parse(Samples.DOCKER);
    String text = json.writeValueAsString(set);
    assertThat(text)
        .contains("\"policy\":\"DROP\",\"policyPackets\":0")
        .doesNotContain("builtIn")
        .doesNotContain("hasRules");
    assertThat(json.readValue(text, RuleSet.class)).isEqualTo(set);
  }
}

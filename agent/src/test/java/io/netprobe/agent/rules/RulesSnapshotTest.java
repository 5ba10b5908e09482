package io.netprobe.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RulesSnapshotTest {
  private static RulesSnapshot of(Chain... chains) {
    return new RulesSnapshot(
        List.of(new RuleSet(RuleSet.NFT, List.of(new Table("filter", List.of(chains))))),
        List.of(),
        1);
  }

  @Test
  void onlyADropOrRejectRuleOrADropPolicyCanDrop() {
    Chain accepting = new Chain("INPUT", "ACCEPT", 0L, 0L, List.of());
    Chain counting =
        new Chain("FORWARD", "ACCEPT", 0L, 0L, List.of(new Rule(1, "-j LOG", "LOG", 0, 0)));
    assertThat(of(accepting, counting).canDrop()).as("accept and log only").isFalse();
    assertThat(of(new Chain("INPUT", "DROP", 0L, 0L, List.of())).canDrop()).isTrue();
    assertThat(
            of(new Chain("np-sg", null, null, null, List.of(new Rule(4, "-j DROP", "DROP", 0, 0))))
                .canDrop())
        .isTrue();
    assertThat(
            of(new Chain(
                    "INPUT",
                    "ACCEPT",
                    0L,
                    0L,
                    List.of(new Rule(1, "-p tcp -j REJECT", "REJECT", 0, 0))))
                .canDrop())
        .isTrue();
    assertThat(new RulesSnapshot(List.of(), List.of("iptables-save not found"), 0).canDrop())
        .isFalse();
  }
}

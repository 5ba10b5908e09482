package io.netprobe.agent.rules;

import static io.netprobe.agent.rules.Match.MAYBE;
import static io.netprobe.agent.rules.Match.NO;
import static io.netprobe.agent.rules.Match.YES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlowMatchTest {
  private static final Flow WEB = Flow.tcp("10.1.5.90", "192.168.1.2", 50000);

  @Test
  void protocolAndPortDecide() {
    assertThat(FlowMatch.match("-p tcp -m tcp --dport 50000 -j DROP", WEB)).isEqualTo(YES);
    assertThat(FlowMatch.match("-p tcp -m tcp --dport 22 -j DROP", WEB)).isEqualTo(NO);
    assertThat(FlowMatch.match("-p udp -m udp --dport 50000 -j DROP", WEB)).isEqualTo(NO);
    assertThat(FlowMatch.match("-p 6 -j DROP", WEB)).as("protocol by number").isEqualTo(YES);
    assertThat(FlowMatch.match("-p all -j DROP", WEB)).isEqualTo(YES);
    assertThat(FlowMatch.match("-j DROP", WEB)).as("no match at all: every packet").isEqualTo(YES);
    assertThat(FlowMatch.match("! -p tcp -j DROP", WEB)).isEqualTo(NO);
  }

  @Test
  void portRangesListsAndNegation() {
    assertThat(FlowMatch.match("-p tcp -m tcp --dport 49000:51000 -j DROP", WEB)).isEqualTo(YES);
    assertThat(FlowMatch.match("-p tcp -m tcp --dport 50001: -j DROP", WEB)).isEqualTo(NO);
    assertThat(FlowMatch.match("-p tcp -m tcp --dport :1023 -j DROP", WEB)).isEqualTo(NO);
    assertThat(FlowMatch.match("-p tcp -m tcp ! --dport 22 -j DROP", WEB)).isEqualTo(YES);
    assertThat(FlowMatch.match("-p tcp -m multiport --dports 80,443,49000:50000 -j REJECT", WEB))
        .isEqualTo(YES);
    assertThat(FlowMatch.match("-p tcp -m multiport --dports 80,443 -j REJECT", WEB)).isEqualTo(NO);
    assertThat(FlowMatch.match("-p tcp -m multiport --ports 40000,50000 -j DROP", WEB))
        .as("--ports: either port")
        .isEqualTo(YES);
    assertThat(FlowMatch.match("-p tcp -m tcp --sport 53 -j DROP", WEB))
        .as("source port unknown")
        .isEqualTo(MAYBE);
    assertThat(FlowMatch.match("-p tcp -m tcp --sport 53 -j DROP", WEB.withSrcPort(40112)))
        .isEqualTo(NO);
  }

  @Test
  void addressesWithPrefixesMasksAndNegation() {
    assertThat(FlowMatch.match("-s 10.0.0.0/8 -j DROP", WEB)).isEqualTo(YES);
    assertThat(FlowMatch.match("-s 10.1.5.90/32 -j DROP", WEB)).isEqualTo(YES);
    assertThat(FlowMatch.match("-s 10.1.5.91 -j DROP", WEB)).isEqualTo(NO);
    assertThat(FlowMatch.match("! -s 10.0.0.0/8 -j DROP", WEB)).isEqualTo(NO);
    assertThat(FlowMatch.match("-d 192.168.0.0/255.255.0.0 -j DROP", WEB)).isEqualTo(YES);
    assertThat(FlowMatch.match("-d 192.168.2.0/24,192.168.1.0/24 -j DROP", WEB)).isEqualTo(YES);
    assertThat(FlowMatch.match("-s 0.0.0.0/0 -j DROP", WEB)).isEqualTo(YES);
    Flow unknownSource = new Flow("tcp", null, "192.168.1.2", null, 50000, null, null, null);
    assertThat(FlowMatch.match("-s 10.0.0.0/8 -j DROP", unknownSource)).isEqualTo(MAYBE);
    assertThat(FlowMatch.match("-d 10.0.0.0/8 -j DROP", unknownSource)).isEqualTo(NO);
    // a list with a name in it: the name cannot be checked, another member may still match
    assertThat(FlowMatch.match("-d db.lab,192.168.1.0/24 -j DROP", WEB)).isEqualTo(YES);
    assertThat(FlowMatch.match("-d db.lab,192.168.9.0/24 -j DROP", WEB)).isEqualTo(MAYBE);
  }

  @Test
  void ipv4LiteralsOnly() {
    assertThat(FlowMatch.ipv4("10.1.5.90")).isEqualTo(0x0a01055a);
    assertThat(FlowMatch.ipv4("255.255.255.255")).isEqualTo(-1);
    assertThat(FlowMatch.ipv4("0.0.0.0")).isZero();
    for (String bad :
        new String[] {
          "",
          "1.2.3",
          "1.2.3.4.5",
          "256.1.1.1",
          "1..2.3",
          "1234.1.1.1",
          "a.b.c.d",
          "10.0.0.1/8",
          "::1",
          "1.2.3.4."
        }) {
      assertThat(FlowMatch.ipv4(bad)).as(bad).isNull();
    }
  }

  @Test
  void ipv6AddressesPrefixesAndIcmpv6Types() {
    Flow ssh = Flow.tcp("fd00:1::21", "fd00:1::5b", 22);
    assertThat(FlowMatch.match("-s fd00:1::21/128 -p tcp -m tcp --dport 22 -j DROP", ssh))
        .isEqualTo(YES);
    assertThat(FlowMatch.match("-s fd00:1::/64 -j DROP", ssh)).isEqualTo(YES);
    assertThat(FlowMatch.match("-s fd00:1:0:0:0:0:0:21 -j DROP", ssh))
        .as("written in full: the same address")
        .isEqualTo(YES);
    assertThat(FlowMatch.match("-s fd00:2::/64 -j DROP", ssh)).isEqualTo(NO);
    assertThat(FlowMatch.match("-s fd00:1::20/127 -j DROP", ssh)).as("odd prefix").isEqualTo(YES);
    assertThat(FlowMatch.match("-s fd00:1::22/127 -j DROP", ssh)).isEqualTo(NO);
    assertThat(FlowMatch.match("! -d fd00:1::5b/128 -j DROP", ssh)).isEqualTo(NO);
    assertThat(FlowMatch.match("-s 10.0.0.0/8 -j DROP", ssh))
        .as("an IPv4 network never holds an IPv6 address")
        .isEqualTo(NO);
    assertThat(FlowMatch.match("-s fd00:1::/64 -j DROP", WEB)).isEqualTo(NO);
    assertThat(FlowMatch.match("-s ::/0 -j DROP", ssh)).isEqualTo(YES);

    Flow echo = Flow.echo("fd00:1::21", "fd00:1::5b");
    assertThat(FlowMatch.match("-p ipv6-icmp -m icmp6 --icmpv6-type 128 -j DROP", echo))
        .isEqualTo(YES);
    assertThat(FlowMatch.match("-p ipv6-icmp -m icmp6 --icmpv6-type echo-request -j DROP", echo))
        .isEqualTo(YES);
    assertThat(FlowMatch.match("-p ipv6-icmp -m icmp6 --icmpv6-type 135 -j DROP", echo))
        .as("neighbour solicitation")
        .isEqualTo(NO);
    assertThat(FlowMatch.match("-p 58 -j DROP", echo)).isEqualTo(YES);
    assertThat(FlowMatch.match("-p ipv6-icmp -j DROP", ssh)).isEqualTo(NO);
  }

  @Test
  void aFlowMeetsOnlyTheRulesOfItsFamily() {
    String before = "*filter\n:INPUT ACCEPT [0:0]\n[0:0] -A INPUT -p tcp -j DROP\nCOMMIT\n";
    String after = "*filter\n:INPUT ACCEPT [0:0]\n[1:60] -A INPUT -p tcp -j DROP\nCOMMIT\n";
    RuleDiff diff =
        RuleDiff.between(
            List.of(
                IptablesSave.parse(before, RuleSet.NFT), IptablesSave.parse(before, RuleSet.NFT6)),
            List.of(
                IptablesSave.parse(after, RuleSet.NFT), IptablesSave.parse(after, RuleSet.NFT6)));
    assertThat(FlowMatch.drops(Flow.tcp("fd00:1::21", "fd00:1::5b", 22), diff))
        .extracting(s -> s.delta().backend(), s -> RuleText.describe(s.delta()))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                RuleSet.NFT6, "ip6tables INPUT rule 1 `-p tcp -j DROP` (+1 packet)"));
    assertThat(FlowMatch.drops(WEB, diff))
        .extracting(s -> s.delta().backend())
        .containsExactly(RuleSet.NFT);
  }

  @Test
  void interfacesWithWildcard() {
    Flow routed = WEB.through("eth0", "np-compose");
    assertThat(FlowMatch.match("-i eth0 -o np-+ -j DROP", routed)).isEqualTo(YES);
    assertThat(FlowMatch.match("-i np-compose ! -o np-compose -j ACCEPT", routed)).isEqualTo(NO);
    assertThat(FlowMatch.match("-o docker0 -j DROP", routed)).isEqualTo(NO);
    assertThat(FlowMatch.match("-o docker0 -j DROP", WEB)).as("interface unknown").isEqualTo(MAYBE);
  }

  @Test
  void icmpTypes() {
    Flow echo = Flow.echo("10.1.5.90", "192.168.1.2");
    assertThat(FlowMatch.match("-p icmp -m icmp --icmp-type 8 -j DROP", echo)).isEqualTo(YES);
    assertThat(FlowMatch.match("-p icmp -m icmp --icmp-type echo-request -j DROP", echo))
        .isEqualTo(YES);
    assertThat(FlowMatch.match("-p icmp -m icmp --icmp-type 0 -j DROP", echo)).isEqualTo(NO);
    assertThat(FlowMatch.match("-p icmp -m icmp --icmp-type 3/13 -j DROP", echo)).isEqualTo(NO);
    assertThat(FlowMatch.match("-p icmp -m icmp --icmp-type any -j DROP", echo)).isEqualTo(YES);
    assertThat(FlowMatch.match("-p icmp -j DROP", WEB)).isEqualTo(NO);
  }

  @Test
  void matchesNotUnderstoodGiveMaybeAndSayWhich() {
    FlowMatch.Verdict set = FlowMatch.check("-m set --match-set blocked src -j DROP", WEB);
    assertThat(set.match()).isEqualTo(MAYBE);
    assertThat(set.unchecked()).containsExactly("-m set --match-set blocked src");
    FlowMatch.Verdict state =
        FlowMatch.check("-o np-compose -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", WEB);
    assertThat(state.match()).isEqualTo(MAYBE);
    assertThat(state.unchecked())
        .containsExactly("-o np-compose", "-m conntrack --ctstate RELATED,ESTABLISHED");
    assertThat(FlowMatch.match("-m conntrack ! --ctstate NEW -p udp -j DROP", WEB))
        .as("a match found false still rules the flow out")
        .isEqualTo(NO);
    assertThat(FlowMatch.match("-p tcp -m tcp --tcp-flags SYN,ACK SYN -j DROP", WEB))
        .isEqualTo(MAYBE);
    assertThat(FlowMatch.match("-m addrtype --dst-type LOCAL -j DOCKER", WEB)).isEqualTo(MAYBE);
  }

  @Test
  void commentsAndTargetOptionsDoNotRestrict() {
    assertThat(
            FlowMatch.match(
                "-p tcp -m comment --comment \"--dport 22 -s 1.2.3.4\" -j DNAT --to-destination"
                    + " 10.1.1.5:22",
                WEB))
        .isEqualTo(YES);
    assertThat(FlowMatch.match("-p tcp -j REJECT --reject-with tcp-reset", WEB)).isEqualTo(YES);
  }

  @Test
  void dockerSampleRulesAgainstAFlowToThePublishedPort() {
    Flow published = WEB.through("eth0", "np-compose");
    List<Rule> docker =
        Samples.parse(Samples.DOCKER)
            .table("filter")
            .orElseThrow()
            .chain("DOCKER")
            .orElseThrow()
            .rules();
    assertThat(FlowMatch.match(docker.get(0), published)).isEqualTo(YES);
    assertThat(FlowMatch.match(docker.get(0), published.through("np-compose", "np-compose")))
        .isEqualTo(NO);
  }

  @Test
  void dropsThatMatchComeFirstAndOthersAreLeftOut() {
    RuleSet before =
        IptablesSave.parse(
            "*filter\n:INPUT DROP [0:0]\n"
                + "[0:0] -A INPUT -m set --match-set blocked src -j DROP\n"
                + "[0:0] -A INPUT -p tcp -m tcp --dport 50000 -j DROP\n"
                + "[0:0] -A INPUT -p tcp -m tcp --dport 50001 -j REJECT\n"
                + "[0:0] -A INPUT -p tcp -j ACCEPT\n"
                + "COMMIT\n",
            RuleSet.NFT);
    RuleSet after =
        IptablesSave.parse(
            "*filter\n:INPUT DROP [2:80]\n"
                + "[3:180] -A INPUT -m set --match-set blocked src -j DROP\n"
                + "[1:60] -A INPUT -p tcp -m tcp --dport 50000 -j DROP\n"
                + "[1:60] -A INPUT -p tcp -m tcp --dport 50001 -j REJECT\n"
                + "[9:540] -A INPUT -p tcp -j ACCEPT\n"
                + "COMMIT\n",
            RuleSet.NFT);
    List<FlowMatch.Suspect> suspects =
        FlowMatch.drops(WEB, RuleDiff.between(List.of(before), List.of(after)));
    assertThat(suspects)
        .extracting(s -> RuleText.describe(s.delta()), FlowMatch.Suspect::match)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "INPUT rule 2 `-p tcp --dport 50000 -j DROP` (+1 packet)", YES),
            org.assertj.core.groups.Tuple.tuple(
                "INPUT rule 1 `-m set --match-set blocked src -j DROP` (+3 packets)", MAYBE),
            org.assertj.core.groups.Tuple.tuple("INPUT policy DROP (+2 packets)", MAYBE));
  }

  @Test
  void flowFieldsAreChecked() {
    assertThatThrownBy(() -> new Flow("sctp", null, null, null, null, null, null, null))
        .hasMessageContaining("sctp");
    assertThatThrownBy(() -> Flow.tcp("a", "b", 70000))
        .hasMessageContaining("dstPort")
        .hasMessageContaining("70000");
    assertThat(new Flow("TCP", null, null, null, null, null, null, null).protocol())
        .isEqualTo("tcp");
  }
}

package io.netprobe.matrix;

import static io.netprobe.matrix.Yamls.load;
import static io.netprobe.matrix.Yamls.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Dual stack: an address's ip6 twin, and family: ipv4, ipv6 or both on checks and defaults. */
class FamilyTest {
  private static final String LAB =
      """
      name: dual stack
      defaults: { timeout: 1s }
      nodes:
        pc: { kind: netns, netns: np-pc, addresses: { lan: { ip: 10.1.5.90, ip6: "fd00:1::5a" } } }
        vm: { kind: netns, netns: np-vm, addresses: { lan: { ip: 10.1.5.91, ip6: "fd00:1::5b" } } }
        old: { kind: address, addresses: { lan: 10.1.5.99 } }
      checks:
      """;

  @Test
  void bothMakesACheckPerFamilySideBySide() throws MatrixException {
    Matrix m =
        load(
            LAB
                + "  - { from: pc, to: vm, probe: icmp, expect: pass, family: both, title: ping }\n"
                + "  - { from: pc, to: vm, probe: tcp:22, expect: pass, family: ipv6 }\n"
                + "  - { from: pc, to: vm, probe: ssh, expect: pass }\n");
    assertThat(m.checks())
        .extracting(Check::id, c -> c.to().ip(), Check::displayTitle)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("pc->vm icmp", "10.1.5.91", "ping"),
            org.assertj.core.groups.Tuple.tuple("pc->vm icmp v6", "fd00:1::5b", "ping (IPv6)"),
            org.assertj.core.groups.Tuple.tuple(
                "pc->vm tcp:22 v6", "fd00:1::5b", "pc->vm tcp:22 (IPv6)"),
            org.assertj.core.groups.Tuple.tuple("pc->vm ssh", "10.1.5.91", "pc->vm ssh"));
    assertThat(m.checks().get(1).to().node()).contains("vm");
  }

  @Test
  void defaultsMayAskForBoth() throws MatrixException {
    Matrix m =
        load(
            LAB.replace("defaults: { timeout: 1s }", "defaults: { timeout: 1s, family: both }")
                + "  - { from: pc, to: vm, probe: icmp, expect: pass }\n"
                + "  - { from: vm, to: pc, probe: icmp, expect: pass, family: ipv4 }\n");
    assertThat(m.checks())
        .extracting(Check::id)
        .containsExactly("pc->vm icmp", "pc->vm icmp v6", "vm->pc icmp");
  }

  @Test
  void anAddressWithoutATwinOrABadIp6IsNamed() {
    assertThat(
            problems(LAB + "  - { from: pc, to: old, probe: icmp, expect: pass, family: both }\n"))
        .containsExactly(
            "labs/t.yaml:8:21: check 'pc->old icmp' asks for family both, but 'old' has no IPv6"
                + " twin: give its address an ip6 (e.g. lan: { ip: 10.1.5.90, ip6: fd00:1::5a }),"
                + " or drop family");
    assertThat(
            problems(
                LAB.replace("ip6: \"fd00:1::5b\"", "ip6: 10.1.5.92")
                    + "  - { from: pc, to: vm, probe: icmp, expect: pass }\n"))
        .singleElement()
        .asString()
        .contains("'10.1.5.92' is not an IPv6 address");
    assertThat(problems(LAB + "  - { from: pc, to: vm, probe: icmp, expect: pass, family: v6 }\n"))
        .singleElement()
        .asString()
        .contains("unknown family 'v6'; write ipv4 (the address's ip), ipv6 (its ip6) or both");
  }

  @Test
  void aHostNameIsResolvedToEachFamilyByTheAgent() throws MatrixException {
    Matrix m =
        load(
            LAB.replace(
                    "old: { kind: address, addresses: { lan: 10.1.5.99 } }",
                    "web: { kind: address, addresses: { www: { host: www.example.net } } }")
                + "  - { from: pc, to: web, probe: tcp:80, expect: pass, family: both }\n"
                + "  - { from: pc, to: web, probe: icmp, expect: pass, family: ipv6 }\n"
                + "  - { from: pc, to: web, probe: ssh, expect: pass }\n");
    assertThat(m.checks())
        .extracting(Check::id, c -> c.to().ip(), c -> c.to().family(), Check::probeLabel)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "pc->web tcp:80", "www.example.net", "ipv4", "tcp:80"),
            org.assertj.core.groups.Tuple.tuple(
                "pc->web tcp:80 v6", "www.example.net", "ipv6", "tcp:80 v6"),
            org.assertj.core.groups.Tuple.tuple(
                "pc->web icmp v6", "www.example.net", "ipv6", "icmp v6"),
            org.assertj.core.groups.Tuple.tuple("pc->web ssh", "www.example.net", null, "ssh"));
  }
}

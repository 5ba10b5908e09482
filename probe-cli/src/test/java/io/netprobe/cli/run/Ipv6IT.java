package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IPv6 in a lab of its own (ULA fd00:247::/32): a client {@code np-s6-a}, a router {@code np-s6-r}
 * and a server {@code np-s6-b} with a service on tcp/8080, OpenSSH's sshd on 22, busybox httpd on
 * 80 and a slow UDP service on 5354. Every disposition is made by breaking the lab that way (as
 * DispositionsIT does for IPv4): a firewall drop at the target and on the router (named by their
 * ip6tables rules), an admin-prohibited reject, a route removed there and back, an address nobody
 * has, a wrong password and host key, a web page gone, TLS asked of a plain server, a name with no
 * IPv6 address, a late answer; and each is explained from the packets of both ends.
 */
class Ipv6IT {
  private static final String SETUP =
      """
      set -e
      ip -6 route add unreachable fd00:247::/32 metric 4247
      for ns in np-s6-a np-s6-r np-s6-b; do
        ip netns add $ns; ip -n $ns link set lo up
        # no duplicate address detection, link-local addresses included: an address still
        # tentative when the first check runs would delay neighbour discovery past its timeout
        ip netns exec $ns sysctl -qw net.ipv4.ping_group_range="0 2147483647" \
          net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
      done
      ip -n np-s6-a link add eth0 type veth peer name eth0 netns np-s6-r
      ip -n np-s6-b link add eth0 type veth peer name eth1 netns np-s6-r
      ip -n np-s6-a addr add fd00:247:1::2/64 dev eth0 nodad
      ip -n np-s6-r addr add fd00:247:1::1/64 dev eth0 nodad
      ip -n np-s6-r addr add fd00:247:2::1/64 dev eth1 nodad
      ip -n np-s6-b addr add fd00:247:2::2/64 dev eth0 nodad
      ip -n np-s6-a link set eth0 up; ip -n np-s6-r link set eth0 up
      ip -n np-s6-r link set eth1 up; ip -n np-s6-b link set eth0 up
      ip -n np-s6-a -6 route add fd00:247:2::/64 via fd00:247:1::1
      ip -n np-s6-b -6 route add default via fd00:247:2::1
      ip netns exec np-s6-r sysctl -qw net.ipv6.conf.all.forwarding=1
      # names for the client only: a v6 name, a name with no IPv6 address, and a resolver in the
      # lab (b, where nothing serves DNS: a query is refused at once, never sent off the machine)
      mkdir -p /etc/netns/np-s6-a /run/sshd
      printf 'fd00:247:2::2 b.v6.test\n10.247.99.2 old.v6.test\n' > /etc/netns/np-s6-a/hosts
      printf 'nameserver fd00:247:2::2\n' > /etc/netns/np-s6-a/resolv.conf
      """;
  private static final String TEARDOWN =
      """
      for ns in np-s6-a np-s6-r np-s6-b; do
        pids=$(ip netns pids $ns 2>/dev/null); [ -n "$pids" ] && kill $pids 2>/dev/null
        ip netns del $ns 2>/dev/null
      done
      ip -6 route del unreachable fd00:247::/32 metric 4247 2>/dev/null
      rm -rf /etc/netns/np-s6-a
      exit 0
      """;
  private static final String MATRIX =
      """
      name: ipv6 lab
      defaults: { timeout: 1s, retries: 0 }
      nodes:
        a: { kind: netns, netns: np-s6-a, addresses: { lan: "fd00:247:1::2" } }
        r: { kind: netns, netns: np-s6-r, addresses: { a-side: "fd00:247:1::1" } }
        b: { kind: netns, netns: np-s6-b, addresses: { lan: "fd00:247:2::2" } }
      watch: [r]
      checks:
        - { from: a, to: b, probe: icmp, expect: pass }
        - { from: a, to: b, probe: "tcp:8080", expect: pass }
        - { from: a, to: b, probe: "tcp:8081", expect: refused }
        - { from: a, to: "[fd00:247:2::2]:8080", probe: "tcp:8080", expect: pass }
        - { from: a, to: r, probe: icmp, expect: pass }
      """;

  private static final List<Process> servers = new ArrayList<>();
  private static Path dir;

  @BeforeAll
  static void up() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
    LabFixture.sh("bash", "-c", SETUP);
    dir = Files.createTempDirectory("np-s6-");
    Path www = Files.createDirectories(dir.resolve("www"));
    Files.writeString(www.resolve("index.html"), "hello over six\n");
    LabFixture.sh(
        "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host").toString());
    LabFixture.sh(
        "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("other").toString());
    Files.writeString(dir.resolve("wrong-password"), "not-the-password\n");
    String otherKey = Files.readString(dir.resolve("other.pub")).trim();
    Files.writeString(
        dir.resolve("wrong-known-hosts"),
        "fd00:247:2::2 " + otherKey.substring(0, otherKey.lastIndexOf(' ')) + "\n");
    servers.add(inServer("socat", "TCP6-LISTEN:8080,reuseaddr,fork", "SYSTEM:true"));
    servers.add(
        inServer(
            "socat",
            "-T",
            "5",
            "-t",
            "3", // the child keeps the datagram's peer for 3 s, not socat's 0.5 s
            "UDP6-RECVFROM:5354,fork,reuseaddr",
            "SYSTEM:dd bs=65536 count=1 2>/dev/null >/dev/null; sleep 1.5; echo pong"));
    servers.add(inServer("busybox", "httpd", "-f", "-p", "[::]:80", "-h", www.toString()));
    servers.add(
        inServer(
            "/usr/sbin/sshd",
            "-D",
            "-e",
            "-p",
            "22",
            "-h",
            dir.resolve("host").toString(),
            "-o",
            "PidFile=none",
            "-o",
            "UsePAM=no",
            "-o",
            "ListenAddress=[fd00:247:2::2]:22"));
    for (int i = 0; i < 100; i++) {
      Process ss =
          new ProcessBuilder("ip", "netns", "exec", "np-s6-b", "ss", "-Hltn")
              .redirectErrorStream(true)
              .start();
      String out = new String(ss.getInputStream().readAllBytes());
      ss.waitFor();
      if (out.contains(":8080 ") && out.contains(":80 ") && out.contains(":22 ")) {
        // one run first, its result unread: in CI the first run after the lab's set-up lost a
        // SYN now and then (neighbour discovery on a fresh router under load); the tests are
        // about what a broken lab does, not a lab still settling
        LabRun.run(MATRIX);
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the servers of np-s6-b did not listen; see " + dir);
  }

  private static Process inServer(String... command) throws Exception {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", "np-s6-b"));
    c.addAll(List.of(command));
    return new ProcessBuilder(c)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(
            dir.resolve(Path.of(command[0]).getFileName() + "-" + servers.size() + ".log").toFile())
        .start();
  }

  @AfterAll
  static void down() throws Exception {
    for (Process p : servers) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    LabFixture.sh("bash", "-c", TEARDOWN);
    if (dir != null) {
      LabFixture.sh("rm", "-rf", dir.toString());
    }
  }

  @AfterEach
  void noFirewall() throws Exception {
    for (String ns : new String[] {"np-s6-b", "np-s6-r"}) {
      LabFixture.sh("ip", "netns", "exec", ns, "ip6tables", "-F");
    }
  }

  @Test
  void thePathsWorkOverIpv6AndARefusalIsTheTargets() throws Exception {
    RunResult run = LabRun.run(MATRIX);
    assertThat(run.checks())
        .allSatisfy(
            c ->
                assertThat(c.outcome())
                    .as(c.id() + ": " + said(c))
                    .isEqualTo(io.netprobe.report.model.Outcome.OK));
    assertThat(cell(run, "a->b icmp").address()).isEqualTo("fd00:247:2::2");
    assertThat(said(cell(run, "a->b icmp")))
        .contains("echo reply 1 from fd00:247:2::2")
        .contains("sent from fd00:247:1::2 to fd00:247:2::2");
    assertThat(said(cell(run, "a->b tcp:8081")))
        .contains("SYN sent from [fd00:247:1::2]:")
        .contains("b capture:");
  }

  @Test
  void aDropAtTheTargetIsSeenArriving() throws Exception {
    LabFixture.sh(
        "ip",
        "netns",
        "exec",
        "np-s6-b",
        "ip6tables",
        "-A",
        "INPUT",
        "-p",
        "ipv6-icmp",
        "--icmpv6-type",
        "echo-request",
        "-j",
        "DROP");
    RunResult run = LabRun.run(MATRIX);
    var ping = cell(run, "a->b icmp");
    assertThat(ping.verdict().disposition()).isEqualTo(Disposition.DROPPED_AT_TARGET);
    assertThat(said(ping)).contains("b capture: ").contains("in fd00:247:1::2 > fd00:247:2::2");
    assertThat(ping.verdict().reason())
        .as("the rule that counted it, from ip6tables' counters")
        .contains("dropped by b: ip6tables INPUT rule 1", "--icmpv6-type 128 -j DROP");
  }

  @Test
  void anAdminProhibitedRejectIsUnreachable() throws Exception {
    LabFixture.sh(
        "ip",
        "netns",
        "exec",
        "np-s6-b",
        "ip6tables",
        "-A",
        "INPUT",
        "-p",
        "tcp",
        "--dport",
        "8080",
        "-j",
        "REJECT",
        "--reject-with",
        "adm-prohibited");
    RunResult run = LabRun.run(MATRIX);
    var tcp = cell(run, "a->b tcp:8080");
    assertThat(tcp.verdict().disposition()).isEqualTo(Disposition.UNREACHABLE);
    assertThat(tcp.verdict().reason()).contains("administratively prohibited");
  }

  @Test
  void aDropOnTheRouterIsLostOnTheWay() throws Exception {
    LabFixture.sh(
        "ip",
        "netns",
        "exec",
        "np-s6-r",
        "ip6tables",
        "-A",
        "FORWARD",
        "-d",
        "fd00:247:2::2",
        "-j",
        "DROP");
    RunResult run = LabRun.run(MATRIX);
    var ping = cell(run, "a->b icmp");
    assertThat(ping.verdict().disposition()).isEqualTo(Disposition.DROPPED_ON_PATH);
    assertThat(said(ping)).contains("b capture: no packet of this check arrived");
    assertThat(ping.verdict().reason()).contains("r: ip6tables FORWARD rule 1");
    assertThat(cell(run, "a->r icmp").outcome()).isEqualTo(io.netprobe.report.model.Outcome.OK);

    // the same drop seen by a client alone, the target an address no agent watches: the path
    // trace over IPv6 says where the packets stop
    RunResult alone =
        LabRun.run(
            """
            name: ipv6 trace
            defaults: { timeout: 1s, retries: 0 }
            nodes:
              a: { kind: netns, netns: np-s6-a, addresses: { lan: "fd00:247:1::2" } }
              far: { kind: address, addresses: { lan: "fd00:247:2::2" } }
            checks:
              - { from: a, to: far, probe: icmp, expect: fail }
            """);
    var traced = cell(alone, "a->far icmp");
    assertThat(traced.verdict().disposition())
        .as(said(traced))
        .isEqualTo(Disposition.DROPPED_ON_PATH);
    assertThat(said(traced)).contains("fd00:247:1::1").contains("hop 2");
  }

  @Test
  void aSilentTargetNoAgentWatchesIsTimedOut() throws Exception {
    // the router's own address, firewalled: nothing watches it, and the trace's every hop is it
    LabFixture.sh(
        "ip",
        "netns",
        "exec",
        "np-s6-r",
        "ip6tables",
        "-A",
        "INPUT",
        "-d",
        "fd00:247:1::1",
        "-p",
        "ipv6-icmp",
        "--icmpv6-type",
        "echo-request",
        "-j",
        "DROP");
    RunResult run =
        LabRun.run(
            """
            name: ipv6 silence
            defaults: { timeout: 1s, retries: 0 }
            nodes:
              a: { kind: netns, netns: np-s6-a, addresses: { lan: "fd00:247:1::2" } }
              gw: { kind: address, addresses: { lan: "fd00:247:1::1" } }
            checks:
              - { from: a, to: gw, probe: icmp, expect: fail }
            """);
    var ping = cell(run, "a->gw icmp");
    assertThat(ping.verdict().disposition()).as(said(ping)).isEqualTo(Disposition.TIMED_OUT);
    assertThat(ping.verdict().reason()).contains("no capture at");
  }

  @Test
  void noRouteBackIsNoReturnRoute() throws Exception {
    LabFixture.sh("ip", "-n", "np-s6-b", "-6", "route", "del", "default");
    try {
      var ping = cell(LabRun.run(MATRIX), "a->b icmp");
      assertThat(ping.verdict().disposition())
          .as(said(ping))
          .isEqualTo(Disposition.NO_RETURN_ROUTE);
      assertThat(said(ping)).contains("arrived at b from fd00:247:1::2", "route back");
    } finally {
      LabFixture.sh(
          "ip", "-n", "np-s6-b", "-6", "route", "replace", "default", "via", "fd00:247:2::1");
    }
  }

  private static final String SERVICES =
      """
      name: ipv6 services
      defaults: { timeout: 2s, retries: 0 }
      nodes:
        a: { kind: netns, netns: np-s6-a, addresses: { lan: "fd00:247:1::2" } }
        b: { kind: netns, netns: np-s6-b, addresses: { lan: "fd00:247:2::2" } }
        b-pw:
          kind: address
          addresses: { lan: "fd00:247:2::2" }
          login: { user: np-nobody, password-file: %s }
        b-key:
          kind: address
          addresses: { lan: "fd00:247:2::2" }
          login: { user: np-nobody, password-file: %s, known-hosts: %s }
        web6: { kind: address, addresses: { www: { host: b.v6.test } } }
        old: { kind: address, addresses: { www: { host: old.v6.test } } }
      checks:
      """;

  private static String services() {
    String pw = dir.resolve("wrong-password").toString();
    return SERVICES.formatted(pw, pw, dir.resolve("wrong-known-hosts"));
  }

  @Test
  void sshHttpNamesAndLateAnswersOverIpv6() throws Exception {
    RunResult run =
        LabRun.run(
            services(),
            "{ from: a, to: b, probe: ssh, expect: pass }",
            "{ from: a, to: b-pw, probe: ssh, expect: auth-failed }",
            "{ from: a, to: b-key, probe: ssh, expect: hostkey-mismatch }",
            "{ from: a, to: \"[fd00:247:2::2]:80\", probe: ssh, expect: not-ssh }",
            "{ from: a, to: b, probe: http:80, body: over six, expect: pass }",
            "{ from: a, to: b, probe: http:80/gone.html, expect: http-status }",
            "{ from: a, to: b, probe: http:80/index.html, body: nowhere, expect: body-mismatch }",
            "{ from: a, to: b, probe: https:80, expect: tls-failed }",
            "{ from: a, to: b, probe: http:22, expect: not-http }",
            "{ from: a, to: web6, probe: icmp, family: ipv6, expect: pass }",
            "{ from: a, to: old, probe: icmp, family: ipv6, expect: name-unresolved }",
            "{ from: a, to: b, probe: udp:5354, timeout: 1s, expect: fail }",
            // a cell that waits for the kernel's neighbour discovery (3 s) keeps the captures on to
            // see the late answer come
            "{ from: a, to: \"fd00:247:1::99\", probe: icmp, timeout: 4s, expect: fail }");
    assertThat(run.checks())
        .allSatisfy(
            c ->
                assertThat(c.outcome())
                    .as(c.id() + ": " + c.verdict().disposition() + ": " + said(c))
                    .isEqualTo(io.netprobe.report.model.Outcome.OK));
    assertThat(cell(run, "a->b-pw ssh").verdict().reason()).contains("fd00:247:2::2");
    assertThat(cell(run, "a->b-key ssh").verdict().hint()).contains("known_hosts");
    var named = cell(run, "a->web6 icmp v6");
    assertThat(named.verdict().reason()).contains("fd00:247:2::2");
    assertThat(said(named)).contains("b.v6.test is fd00:247:2::2 in /etc/netns/np-s6-a/hosts");
    assertThat(said(cell(run, "a->old icmp v6")))
        .contains("old.v6.test is not in /etc/netns/np-s6-a/hosts as IPv6");
    var late = cell(run, "a->b udp:5354");
    assertThat(late.verdict().disposition()).as(said(late)).isEqualTo(Disposition.LATE);
  }

  @Test
  void anAddressNobodyHasOnTheLanIsUnansweredNeighbourDiscovery() throws Exception {
    RunResult run =
        LabRun.run(MATRIX + "  - { from: a, to: \"fd00:247:1::99\", probe: icmp, expect: fail }\n");
    var ping = cell(run, "a->fd00:247:1::99 icmp");
    assertThat(ping.verdict().disposition()).isEqualTo(Disposition.UNREACHABLE);
    assertThat(ping.verdict().reason())
        .isEqualTo(
            "no host on a's LAN answers neighbour discovery for fd00:247:1::99: it is down or the"
                + " address is unused");
    assertThat(said(ping)).contains("a neighbours: NDP: fd00:247:1::99 (on eth0) did not answer");
  }

  @Test
  void aRouteRemovedIsNoRoute() throws Exception {
    try {
      String withFacts =
          MATRIX
              + "facts:\n"
              + "  - { node: a, route: \"fd00:247:2::/64 via fd00:247:1::1\" }\n"
              + "  - { node: b, address: \"fd00:247:2::2/64 on eth0\" }\n";
      RunResult healthy = LabRun.run(withFacts);
      assertThat(cell(healthy, "a route fd00:247:2::/64 via fd00:247:1::1").verdict().disposition())
          .isEqualTo(Disposition.HOLDS);
      assertThat(cell(healthy, "b address fd00:247:2::2/64 on eth0").verdict().disposition())
          .isEqualTo(Disposition.HOLDS);
      LabFixture.sh("ip", "-n", "np-s6-a", "-6", "route", "del", "fd00:247:2::/64");
      RunResult run = LabRun.run(withFacts);
      var ping = cell(run, "a->b icmp");
      assertThat(ping.verdict().disposition()).isEqualTo(Disposition.NO_ROUTE);
      assertThat(ping.verdict().reason()).contains("fd00:247:2::2");
      var route = cell(run, "a route fd00:247:2::/64 via fd00:247:1::1");
      assertThat(route.verdict().disposition()).as(said(route)).isEqualTo(Disposition.DIFFERS);
      assertThat(route.verdict().reason()).startsWith("a has no route to fd00:247:2::/64");
      assertThat(route.verdict().hint()).contains("add it: ip -6 route add fd00:247:2::/64");
      assertThat(ping.cause()).as("the missing route explains the cell").isEqualTo(route.id());
    } finally {
      LabFixture.sh(
          "ip",
          "-n",
          "np-s6-a",
          "-6",
          "route",
          "replace",
          "fd00:247:2::/64",
          "via",
          "fd00:247:1::1");
    }
  }
}

package io.netprobe.agent.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFactsTest {
  @TempDir Path proc;

  private ProcFacts fake() throws Exception {
    Files.createDirectories(proc.resolve("net"));
    Files.createDirectories(proc.resolve("sys/net/ipv4"));
    Files.writeString(proc.resolve("sys/net/ipv4/ip_forward"), "1\n");
    Files.writeString(
        proc.resolve("net/route"),
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
            + "eth0\t00000000\tFE00010A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
            + "eth0\t0000010A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n"
            + "*\t0002000A\t00000000\t0201\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
    Files.writeString(
        proc.resolve("net/tcp"),
        "  sl  local_address rem_address   st\n"
            + "   0: 0100007F:0016 00000000:0000 0A 0\n"
            + "   1: 00000000:C350 00000000:0000 0A 0\n"
            + "   2: 5A05010A:9C40 0A05010A:0016 01 0\n");
    Files.writeString(
        proc.resolve("net/udp"),
        "  sl  local_address rem_address   st\n   0: 00000000:0035 00000000:0000 07 0\n");
    return new ProcFacts(proc);
  }

  @Test
  void connectionsAreReadOnlyWhereTheNamespaceTracksSome() throws Exception {
    ProcFacts facts = fake();
    Files.writeString(
        proc.resolve("net/nf_conntrack"),
        "ipv4     2 tcp      6 42 TIME_WAIT src=10.0.2.15 dst=203.0.113.10 sport=40000"
            + " dport=80 src=203.0.113.10 dst=203.0.113.2 sport=80 dport=40000 [ASSURED] use=2\n");
    assertThat(facts.translations()).as("no count: the table is read").hasSize(1);
    Files.createDirectories(proc.resolve("sys/net/netfilter"));
    Files.writeString(proc.resolve("sys/net/netfilter/nf_conntrack_count"), "1\n");
    assertThat(facts.translations()).hasSize(1);
    Files.writeString(proc.resolve("sys/net/netfilter/nf_conntrack_count"), "0\n");
    assertThat(facts.translations()).as("none tracked: the table is not walked").isEmpty();
  }

  @Test
  void routesAreDecodedWithGatewayAndRejectType() throws Exception {
    List<Facts.Route> routes = fake().routes();
    assertThat(routes)
        .containsExactly(
            new Facts.Route("0.0.0.0/0", "10.1.0.254", "eth0", 0, "unicast"),
            new Facts.Route("10.1.0.0/16", null, "eth0", 0, "unicast"),
            new Facts.Route("10.0.2.0/24", null, null, 0, "reject"));
  }

  @Test
  void routeChoiceIsTheLongestPrefix() throws Exception {
    List<Facts.Route> routes = fake().routes();
    assertThat(ProcFacts.choose("10.1.5.91", routes).route().destination())
        .isEqualTo("10.1.0.0/16");
    assertThat(ProcFacts.choose("10.0.2.15", routes).route().type()).isEqualTo("reject");
  }

  @Test
  void theKernelsNoRouteEntryLosesToARealIpv6Default() throws Exception {
    ProcFacts facts = fake();
    // what /proc/net/ipv6_route lists: the real default, then the kernel's "no route" sentinel
    Files.writeString(
        proc.resolve("net/ipv6_route"),
        "00000000000000000000000000000000 00 00000000000000000000000000000000 00"
            + " fd000247000200000000000000000001 00000400 00000001 00000000 00000003 eth0\n"
            + "00000000000000000000000000000000 00 00000000000000000000000000000000 00"
            + " 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200 lo\n");
    Facts.RouteChoice choice = ProcFacts.choose("fd00:247:1::2", facts.routes6());
    assertThat(choice.route())
        .isEqualTo(new Facts.Route("::/0", "fd00:247:2::1", "eth0", 1024, "unicast"));
    assertThat(facts.routes6()).as("the kernel's no-route entry is no route").hasSize(1);
  }

  @Test
  void anOwnAddressGoesOverLoNotTheMainTablesDefault() throws Exception {
    // the main table's longest match for 127.0.0.1 is the default route; the kernel's is local
    Facts.RouteChoice choice = ProcFacts.choose("127.0.0.1", fake().routes());
    assertThat(choice.route()).isEqualTo(new Facts.Route("127.0.0.1/32", null, "lo", 0, "local"));
    assertThat(choice.source()).isEqualTo("127.0.0.1");
  }

  @Test
  void listeningSocketsKeepTheirBoundAddress() throws Exception {
    assertThat(fake().listening())
        .containsExactly(
            new Facts.Listener("tcp", "127.0.0.1", 22),
            new Facts.Listener("tcp", "0.0.0.0", 50000),
            new Facts.Listener("udp", "0.0.0.0", 53));
    assertThat(new Facts.Listener("tcp", "127.0.0.1", 22).loopbackOnly()).isTrue();
  }

  @Test
  void ipForwardIsRead() throws Exception {
    assertThat(fake().ipForward()).isTrue();
  }

  @Test
  void ipv6AddressesAreDecoded() {
    assertThat(ProcFacts.ipv6("00000000000000000000000001000000")).isEqualTo("::1");
  }
}

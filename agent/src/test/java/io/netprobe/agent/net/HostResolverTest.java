package io.netprobe.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Literals, files and their choice; no DNS query leaves this test (no nameserver anywhere). */
class HostResolverTest {
  @Test
  void namedNamespaceReadsEtcNetnsLikeIpNetnsExec() {
    assertThat(HostResolver.etcOf(Path.of("/run/netns/np-vm-nat")))
        .isEqualTo(Path.of("/etc/netns/np-vm-nat"));
    assertThat(HostResolver.etcOf(Path.of("/proc/42/ns/net"))).isNull();
    assertThat(HostResolver.etcOf(null)).isNull();
    assertThat(NetNamespace.process().resolver().hostsFile()).isEqualTo(Path.of("/etc/hosts"));
    assertThat(NetNamespace.process().resolver().resolvConf())
        .isEqualTo(Path.of("/etc/resolv.conf"));
  }

  @Test
  void namespaceFilesWinWhereTheyExistEtcOtherwise(@TempDir Path dir) throws Exception {
    Path nsEtc = Files.createDirectories(dir.resolve("netns/np-x"));
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(nsEtc.resolve("hosts"), "10.0.0.1 a.test\n");
    HostResolver resolver = new HostResolver(NetNamespace.process(), nsEtc, etc);
    assertThat(resolver.hostsFile()).isEqualTo(nsEtc.resolve("hosts"));
    assertThat(resolver.resolvConf()).isEqualTo(etc.resolve("resolv.conf"));
  }

  @Test
  void ipLiteralIsItselfWithNoEvidence(@TempDir Path dir) {
    HostResolver resolver = new HostResolver(NetNamespace.process(), null, dir);
    HostResolver.Answer v4 = resolver.resolve("10.1.2.3", 1000).join();
    assertThat(v4.address().getHostAddress()).isEqualTo("10.1.2.3");
    assertThat(v4.literal()).isTrue();
    assertThat(resolver.resolve("[fd00::1]", 1000).join().address().getHostAddress())
        .isEqualTo("fd00:0:0:0:0:0:0:1");
  }

  @Test
  void nameInHostsFileSaysWhichFile(@TempDir Path dir) throws Exception {
    Path nsEtc = Files.createDirectories(dir.resolve("np-x"));
    Files.writeString(nsEtc.resolve("hosts"), "fd00::5 www.x.test\n10.0.0.5 www.x.test\n");
    HostResolver.Answer a =
        new HostResolver(NetNamespace.process(), nsEtc, dir).resolve("www.x.test", 1000).join();
    assertThat(a.address().getHostAddress()).isEqualTo("10.0.0.5");
    assertThat(a.evidence()).containsExactly("www.x.test is 10.0.0.5 in " + nsEtc.resolve("hosts"));
  }

  @Test
  void aFamilyTakesOnlyItsAddressOfTheName(@TempDir Path dir) throws Exception {
    Path nsEtc = Files.createDirectories(dir.resolve("np-x"));
    Files.writeString(
        nsEtc.resolve("hosts"), "fd00::5 www.x.test\n10.0.0.5 www.x.test v4.x.test\n");
    Files.writeString(nsEtc.resolve("resolv.conf"), "# no nameserver\n");
    HostResolver resolver = new HostResolver(NetNamespace.process(), nsEtc, dir);
    assertThat(resolver.resolve("www.x.test", 1000, "ipv6").join().address().getHostAddress())
        .isEqualTo("fd00:0:0:0:0:0:0:5");
    assertThat(resolver.resolve("www.x.test", 1000, "ipv4").join().address().getHostAddress())
        .isEqualTo("10.0.0.5");
    HostResolver.Answer none = resolver.resolve("v4.x.test", 1000, "ipv6").join();
    assertThat(none.resolved()).isFalse();
    assertThat(none.evidence())
        .singleElement()
        .asString()
        .contains("v4.x.test is not in " + nsEtc.resolve("hosts") + " as IPv6");
  }

  @Test
  void noNameserverAndNotInHostsIsUnresolvedNamingBothFiles(@TempDir Path dir) throws Exception {
    Path nsEtc = Files.createDirectories(dir.resolve("np-x"));
    Files.writeString(nsEtc.resolve("hosts"), "10.0.0.5 other.x.test\n");
    Files.writeString(nsEtc.resolve("resolv.conf"), "search x.test\n# nameserver 10.0.0.53\n");
    HostResolver.Answer a =
        new HostResolver(NetNamespace.process(), nsEtc, dir).resolve("www.x", 1000).join();
    assertThat(a.resolved()).isFalse();
    assertThat(a.evidence())
        .containsExactly(
            "no nameserver in "
                + nsEtc.resolve("resolv.conf")
                + " and www.x is not in "
                + nsEtc.resolve("hosts"));
  }
}

package io.netprobe.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsFileTest {
  private static final HostsFile HOSTS =
      HostsFile.parse(
          List.of(
              "# a comment line",
              "127.0.0.1\tlocalhost",
              "  ",
              "fd00::10  web.lab.test   www.lab.test # IPv6 first in the file",
              "10.0.0.10 web.lab.test www.lab.test  WWW2.Lab.Test  # several names",
              "10.0.0.11 web.lab.test",
              "not-an-ip  bogus.lab.test",
              "10.0.0.12",
              "10.0.0.13 #only.a.comment.test",
              "fe80::1%eth0 scoped.lab.test"));

  @Test
  void ipv4IsPreferredOverAnEarlierIpv6Entry() {
    assertThat(HOSTS.preferred("web.lab.test").getHostAddress()).isEqualTo("10.0.0.10");
    assertThat(HOSTS.addresses("web.lab.test"))
        .extracting(InetAddress::getHostAddress)
        .containsExactly("fd00:0:0:0:0:0:0:10", "10.0.0.10", "10.0.0.11");
  }

  @Test
  void everyNameOnALineMapsToItsAddressWithoutRegardToCase() {
    assertThat(HOSTS.preferred("www.lab.test").getHostAddress()).isEqualTo("10.0.0.10");
    assertThat(HOSTS.preferred("www2.lab.test").getHostAddress()).isEqualTo("10.0.0.10");
    assertThat(HOSTS.preferred("WWW2.LAB.TEST.").getHostAddress()).isEqualTo("10.0.0.10");
    assertThat(HOSTS.preferred("localhost").getHostAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void commentsBadAddressesAndBareAddressesGiveNoEntries() {
    assertThat(HOSTS.preferred("bogus.lab.test")).isNull();
    assertThat(HOSTS.preferred("only.a.comment.test")).isNull();
    assertThat(HOSTS.preferred("#only.a.comment.test")).isNull();
    assertThat(HOSTS.preferred("10.0.0.12")).isNull();
    assertThat(HOSTS.preferred("scoped.lab.test")).as("scoped IPv6 is skipped").isNull();
  }

  @Test
  void ipv6OnlyNameGivesItsIpv6Address(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("hosts"), "fd00::53 six.lab.test\n");
    assertThat(HostsFile.read(file).preferred("six.lab.test").getHostAddress())
        .isEqualTo("fd00:0:0:0:0:0:0:53");
  }

  @Test
  void missingFileHasNoEntries(@TempDir Path dir) throws Exception {
    assertThat(HostsFile.read(dir.resolve("nope")).preferred("localhost")).isNull();
  }
}

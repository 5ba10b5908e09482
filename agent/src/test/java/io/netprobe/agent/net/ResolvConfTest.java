package io.netprobe.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvConfTest {
  @Test
  void nameserversInOrderOnPort53SkippingCommentsAndOtherLines() {
    List<InetSocketAddress> servers =
        ResolvConf.nameservers(
            List.of(
                "# generated",
                "search lab.test example.test",
                "options ndots:5 timeout:1",
                "nameserver 10.0.0.53",
                "; nameserver 10.0.0.99",
                "#nameserver 10.0.0.98",
                "nameserver   fd00::53   ",
                "nameserver fe80::1%eth0",
                "nameserver dns.lab.test",
                "nameserver",
                "nameserver 10.0.0.54 # trailing comment",
                "nameserver 10.0.0.53"));
    assertThat(servers)
        .extracting(DnsQueries::text)
        .containsExactly("10.0.0.53:53", "[fd00::53]:53", "[fe80::1]:53", "10.0.0.54:53");
  }

  @Test
  void missingFileHasNoNameserver(@TempDir Path dir) throws Exception {
    assertThat(ResolvConf.read(dir.resolve("resolv.conf"))).isEmpty();
  }
}

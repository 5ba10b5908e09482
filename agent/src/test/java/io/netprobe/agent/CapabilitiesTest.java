package io.netprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {
  @Test
  void freshNamespaceRangeRefusesEvenRootAndSaysHowToFixIt() {
    Capabilities.Capability ping = Capabilities.pingAllowed("1\t0", 0);
    assertThat(ping.allowed()).isFalse();
    assertThat(ping.reason()).contains("\"1 0\"", "0 2147483647");
  }

  @Test
  void widenedRangeAllowsPingSockets() {
    assertThat(Capabilities.pingAllowed("0 2147483647", 1000).allowed()).isTrue();
  }

  @Test
  void netRawIsBitThirteenOfCapEff() {
    assertThat(Capabilities.netRawIn(0x000001ffffffffffL)).isTrue();
    assertThat(Capabilities.netRawIn(1L << 13)).isTrue();
    assertThat(Capabilities.netRawIn(0x0000000000000000L)).isFalse();
    assertThat(Capabilities.netRawIn(1L << 12 | 1L << 21)).isFalse();
  }

  @Test
  void rulesNeedNetAdminAndIptablesAndSayWhichIsMissing() {
    assertThat(Capabilities.rulesAllowed(1L << 12, "/usr/sbin/iptables-save"))
        .isEqualTo(
            new Capabilities.Capability(true, "CAP_NET_ADMIN held, /usr/sbin/iptables-save"));
    assertThat(Capabilities.rulesAllowed(1L << 13, "/usr/sbin/iptables-save").reason())
        .isEqualTo(
            "found /usr/sbin/iptables-save but no CAP_NET_ADMIN: run as root or with"
                + " cap_net_admin");
    assertThat(Capabilities.rulesAllowed(-1L, null).reason()).startsWith("iptables-save not found");
  }
}

package io.netprobe.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.probe.ProbeOptions;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.probe.ProbeTarget;
import io.netprobe.agent.probe.SshLogin;
import org.junit.jupiter.api.Test;

class ProbeArgsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ProbeArgs overTheWire(ProbeArgs request) throws Exception {
    return ProbeArgs.parse(new Args(JSON.readTree(JSON.writeValueAsString(request.toWire()))));
  }

  @Test
  void everyKindReadsBackAsItWasSent() throws Exception {
    ProbeTarget target = new ProbeTarget("10.0.0.2", 1500, 0, "a->b icmp");
    ProbeArgs icmp = new ProbeArgs(new ProbeSpec.Icmp(2), target, new ProbeOptions(50, null, null));
    ProbeArgs tcp =
        new ProbeArgs(
            new ProbeSpec.Tcp(8080),
            new ProbeTarget("10.0.0.2", 900, 40000, null),
            ProbeOptions.DEFAULT);
    ProbeArgs udp =
        new ProbeArgs(new ProbeSpec.Udp(53), target, new ProbeOptions(100, "hello", null));
    ProbeArgs ssh =
        new ProbeArgs(
            new ProbeSpec.Ssh(2222),
            target,
            new ProbeOptions(
                100, null, new SshLogin("student", "s3cret", null, "/k", true, "hostname")));
    ProbeArgs http =
        new ProbeArgs(new ProbeSpec.Http(5000, false, "/hello"), target, ProbeOptions.DEFAULT);
    ProbeArgs https =
        new ProbeArgs(
            new ProbeSpec.Http(8443, true, "/a?b=c", 200, "{\"hello\":\"world\"}"),
            target,
            ProbeOptions.DEFAULT);
    ProbeArgs rr =
        new ProbeArgs(
            new ProbeSpec.Rr(ProbeSpec.Transport.UDP, 5001, 2000, 128),
            target,
            ProbeOptions.DEFAULT);
    ProbeArgs bulk = new ProbeArgs(new ProbeSpec.Bulk(5002, 500), target, ProbeOptions.DEFAULT);
    for (ProbeArgs request : new ProbeArgs[] {icmp, tcp, udp, ssh, http, https, rr, bulk}) {
      assertThat(overTheWire(request)).isEqualTo(request);
    }
  }

  @Test
  void sshWithoutAPasswordOrKeyChecksTheTransportInProcessAsOnTheWire() throws Exception {
    ProbeArgs bare =
        new ProbeArgs(new ProbeSpec.Ssh(22), ProbeTarget.of("h", 1000), ProbeOptions.DEFAULT);
    assertThat(bare.options().ssh()).isNull();
    ProbeArgs read = overTheWire(bare);
    assertThat(read.options().ssh().logsIn()).isFalse();
    assertThat(read.options().ssh().authMethod()).isEqualTo("none");
  }

  @Test
  void itsTextNeverShowsThePassword() {
    ProbeArgs ssh =
        new ProbeArgs(
            new ProbeSpec.Ssh(22),
            ProbeTarget.of("h", 1000),
            new ProbeOptions(100, null, new SshLogin("u", "s3cret", null, null, false, null)));
    assertThat(ssh.toString()).doesNotContain("s3cret").contains("auth=password");
  }
}

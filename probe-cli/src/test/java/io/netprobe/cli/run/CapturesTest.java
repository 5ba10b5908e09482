package io.netprobe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netprobe.agent.Capabilities;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import java.net.Inet4Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/** The one capture filter of a run: what a verdict reads, and nothing libpcap cannot compile. */
class CapturesTest {
  private static final String MATRIX =
      """
      name: filter
      nodes:
        pc: { kind: netns, netns: np-pc }
        vm: { kind: netns, netns: np-vm, addresses: { lan: 10.1.5.91, fwd: { ip: 127.0.0.1, port-map: { 22: 1234 } } } }
      checks:
        - { from: pc, to: vm.lan, probe: "tcp:80", expect: pass }
        - { from: pc, to: vm.lan, probe: "udp:53", expect: pass }
        - { from: pc, to: vm.fwd, probe: ssh, expect: pass }
        - { from: pc, to: vm.lan, probe: icmp, expect: pass }
      """;

  @Test
  void keepsIcmpUdpAndOnlyTheTcpHandshakeAndResets() throws Exception {
    Matrix m = MatrixLoader.load(MATRIX, "filter.yaml");
    String filter = Captures.filter(m.checks());
    assertThat(filter)
        .isEqualTo(
            "icmp or icmp6 or (udp and (port 22 or port 53 or port 80 or port 1234)) or (tcp and (port 22 or"
                + " port 53 or port 80 or port 1234) and (ip6 or tcp[tcpflags] & (tcp-syn|tcp-rst)"
                + " != 0))");
  }

  @Test
  void libpcapCompilesItForACaptureOnAnyInterface() throws Exception {
    String lib = Capabilities.libpcap();
    assumeTrue(lib != null, "no libpcap here (scripts/setup installs libpcap0.8)");
    System.setProperty("org.pcap4j.core.pcapLibName", lib);
    Matrix m = MatrixLoader.load(MATRIX, "filter.yaml");
    BpfProgram program =
        Pcaps.compileFilter(
            128,
            DataLinkType.LINUX_SLL,
            Captures.filter(m.checks()),
            BpfProgram.BpfCompileMode.OPTIMIZE,
            (Inet4Address) InetAddress.getByName("255.255.255.255")); // netmask unknown
    assertThat(program).isNotNull();
    program.free();
  }
}

package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.facts.ProcFacts;
import io.netprobe.agent.net.NetNamespace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The translations the facts read from ctnetlink (a namespace that tracks many connections) are the
 * ones /proc/net/nf_conntrack lists (one that tracks few), in a namespace whose OUTPUT chain
 * redirects a TCP port (answered) and a UDP one (not answered), and nothing of another namespace's.
 */
class ConntrackIT {
  @Test
  void ctnetlinkSeesWhatProcSees() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("ct")) {
      String ns = lab.create("a");
      lab.create("b"); // tracks nothing: its entries must not show in a's
      dnat(lab, ns, "tcp", "127.0.0.2", "80", "127.0.0.1:8081");
      dnat(lab, ns, "udp", "127.0.0.3", "53", "127.0.0.1:5353");
      NetNamespace netns = NetNamespace.enter(NetNamespace.named(ns));
      try {
        List<List<Facts.Translation>> read =
            netns.call(
                () -> {
                  try (ServerSocket server = new ServerSocket()) {
                    server.bind(new InetSocketAddress("127.0.0.1", 8081));
                    try (Socket answered = new Socket("127.0.0.2", 80);
                        Socket accepted = server.accept()) {
                      assertThat(accepted.getLocalPort()).isEqualTo(8081);
                    }
                  }
                  try (DatagramSocket udp = new DatagramSocket()) {
                    udp.send(
                        new DatagramPacket(new byte[4], 4, InetAddress.getByName("127.0.0.3"), 53));
                  }
                  return List.of(
                      ProcFacts.system().translations(0),
                      new ProcFacts(Path.of("/proc/thread-self")).translations(),
                      ProcFacts.system().translations());
                });
        List<Facts.Translation> viaNetlink = read.get(0);
        List<Facts.Translation> viaProc = read.get(1);
        assertThat(viaNetlink)
            .extracting(
                t ->
                    t.protocol()
                        + " "
                        + t.dst()
                        + ":"
                        + t.dstPort()
                        + " -> "
                        + t.toAddress()
                        + ":"
                        + t.toPort())
            .containsExactlyInAnyOrder(
                "tcp 127.0.0.2:80 -> 127.0.0.1:8081", "udp 127.0.0.3:53 -> 127.0.0.1:5353");
        assertThat(viaNetlink).containsExactlyInAnyOrderElementsOf(viaProc);
        // the facts' own choice for two tracked connections (the /proc file) finds the same
        assertThat(read.get(2)).containsExactlyInAnyOrderElementsOf(viaProc);
        assertThat(viaNetlink)
            .filteredOn(t -> t.protocol().equals("udp"))
            .singleElement()
            .satisfies(t -> assertThat(t.replied()).isFalse());
      } finally {
        netns.close();
      }
    }
  }

  private static void dnat(
      NetnsFixture lab, String ns, String proto, String to, String port, String at) {
    lab.exec(
        ns,
        "iptables",
        "-t",
        "nat",
        "-A",
        "OUTPUT",
        "-p",
        proto,
        "-d",
        to,
        "--dport",
        port,
        "-j",
        "DNAT",
        "--to-destination",
        at);
  }
}

package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.facts.ProcFacts;
import io.netprobe.agent.net.NetNamespace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A namespace's listening sockets as the facts read them from netlink (sock_diag) are the ones
 * /proc/net/{tcp,udp}[6] lists: TCP and UDP, IPv4 and IPv6, wildcard and loopback, and nothing of
 * another namespace's.
 */
class ListeningSocketsIT {
  @Test
  void netlinkSeesWhatProcSeesAndOnlyThisNamespace() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("ls")) {
      String ns = lab.create("a");
      String[][] listeners = {
        {"TCP4-LISTEN:7101,bind=127.0.0.1,reuseaddr,fork", "tcp 127.0.0.1 7101"},
        {"TCP6-LISTEN:7102,reuseaddr,fork", "tcp :: 7102"},
        {"UDP4-RECV:7103", "udp 0.0.0.0 7103"},
        {"UDP6-RECV:7104,bind=[::1]", "udp ::1 7104"},
      };
      for (String[] l : listeners) {
        new ProcessBuilder("ip", "netns", "exec", ns, "socat", "-u", l[0], "/dev/null")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
      }
      NetNamespace netns = NetNamespace.enter(NetNamespace.named(ns));
      try {
        List<Facts.Listener> viaNetlink = List.of();
        List<Facts.Listener> viaProc = List.of();
        for (int i = 0; i < 50 && viaNetlink.size() < listeners.length; i++) {
          Thread.sleep(100);
          List<List<Facts.Listener>> read =
              netns.call(
                  () ->
                      List.of(
                          ProcFacts.system().listening(),
                          new ProcFacts(Path.of("/proc/thread-self")).listening()));
          viaNetlink = read.get(0);
          viaProc = read.get(1);
        }
        assertThat(viaNetlink)
            .extracting(l -> l.protocol() + " " + l.address() + " " + l.port())
            .containsExactlyInAnyOrder(
                listeners[0][1], listeners[1][1], listeners[2][1], listeners[3][1]);
        assertThat(viaNetlink).isEqualTo(viaProc);
      } finally {
        netns.close();
      }
    }
  }
}

package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.net.NetNamespace;
import io.netprobe.agent.probe.IcmpProbe;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.agent.probe.ProbeTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Echoes of two namespaces on the JVM's shared reactors: each echo's socket is its namespace's (the
 * same address answers in one and is dropped in the other), the reactors' threads stay in the
 * process's own namespace, and closing one namespace ends its echoes in flight, not the other's.
 */
class SharedEchoesIT {

  @Test
  void eachEchoRunsInItsOwnNamespaceAndClosingOneLeavesTheOther() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("se")) {
      String one = lab.create("one");
      String peer1 = lab.create("p1");
      String two = lab.create("two");
      String peer2 = lab.create("p2");
      lab.link(one, "10.89.21.1/24", peer1, "10.89.21.2/24");
      lab.link(two, "10.89.21.1/24", peer2, "10.89.21.2/24"); // the same addresses, elsewhere
      lab.exec(peer2, "iptables", "-A", "INPUT", "-p", "icmp", "-j", "DROP");
      NetNamespace a = NetNamespace.enter(NetNamespace.named(one));
      NetNamespace b = NetNamespace.enter(NetNamespace.named(two));
      try {
        List<CompletableFuture<ProbeResult>> fromA = new ArrayList<>();
        List<CompletableFuture<ProbeResult>> fromB = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          fromA.add(new IcmpProbe(1, 100, a).run(new ProbeTarget("10.89.21.2", 1000, 0, "a" + i)));
          fromB.add(new IcmpProbe(1, 100, b).run(new ProbeTarget("10.89.21.2", 300, 0, "b" + i)));
        }
        for (CompletableFuture<ProbeResult> r : fromA) {
          ProbeResult got = r.get(10, TimeUnit.SECONDS);
          assertThat(got.status())
              .as(String.join("\n", got.evidence()))
              .isEqualTo(ProbeStatus.REPLY);
        }
        for (CompletableFuture<ProbeResult> r : fromB) {
          ProbeResult got = r.get(10, TimeUnit.SECONDS);
          assertThat(got.status())
              .as(String.join("\n", got.evidence()))
              .isEqualTo(ProbeStatus.TIMEOUT);
        }
        assertThat(JvmThreads.namespacesOf("np-icmp-echo-"))
            .as("the echo reactors' namespaces")
            .isNotEmpty()
            .hasSizeLessThanOrEqualTo(2)
            .containsOnly(JvmThreads.own());

        // b's echo waits out a long timeout; b's agent closes; a's echo meanwhile is answered
        CompletableFuture<ProbeResult> waiting =
            new IcmpProbe(1, 100, b).run(new ProbeTarget("10.89.21.2", 8000, 0, "b-late"));
        Thread.sleep(200);
        b.close();
        ProbeResult ended = waiting.get(3, TimeUnit.SECONDS);
        assertThat(ended.evidence()).anyMatch(l -> l.contains("the agent closed"));
        ProbeResult stillThere =
            new IcmpProbe(1, 100, a)
                .run(new ProbeTarget("10.89.21.2", 1000, 0, "a-after"))
                .get(10, TimeUnit.SECONDS);
        assertThat(stillThere.status()).isEqualTo(ProbeStatus.REPLY);
      } finally {
        a.close();
        b.close();
      }
    }
  }
}

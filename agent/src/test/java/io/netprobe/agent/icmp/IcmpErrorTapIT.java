package io.netprobe.agent.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.lab.NetnsFixture;
import io.netprobe.agent.net.NetNamespace;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeTarget;
import io.netprobe.agent.probe.TcpProbe;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class IcmpErrorTapIT {
  /**
   * A run decides a silently dropped cell from the target's capture and closes its namespaces while
   * that probe's connect is still pending: the namespace's ICMP error tap must go with it, or a JVM
   * that runs many commands (the daemon, a graded class) keeps a raw socket per namespace, and
   * through its watches the probes, for its life.
   */
  @Test
  void aClosedNamespaceTakesItsTapWithItThoughAProbeIsStillInFlight() throws Exception {
    try (NetnsFixture lab = new NetnsFixture("tp")) {
      String ns = lab.create("a");
      lab.exec(ns, "iptables", "-A", "OUTPUT", "-p", "tcp", "--dport", "9", "-j", "DROP");
      NetNamespace a = NetNamespace.enter(NetNamespace.named(ns));
      CompletableFuture<ProbeResult> inFlight;
      try {
        inFlight = new TcpProbe(9, a).run(ProbeTarget.of("127.0.0.1", 30_000));
        awaitUntil(() -> !lab.exec(ns, "ss", "-Hwan").isBlank(), "the tap's raw socket");
        assertThat(inFlight).as("the SYN was dropped: the connect waits").isNotDone();
      } finally {
        a.close();
      }
      awaitUntil(() -> lab.exec(ns, "ss", "-Hwan").isBlank(), "no raw socket left in " + ns);
    }
  }

  private static void awaitUntil(BooleanSupplier done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(20);
    }
  }
}

package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.icmp.EchoReactor;
import io.netprobe.agent.net.NetNamespace;
import io.netprobe.agent.probe.IcmpProbe;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.agent.probe.ProbeTarget;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An echo reply that waited on the socket while the namespace's echo thread was held up (a
 * collector's pause, a starved thread on a busy machine) is a reply, read late, not a lost echo:
 * the reactor is held on purpose past the probe's timeout, and the loopback's reply must still
 * count. Without it, a big run on two cores called a handful of answered pings LATE.
 */
class LateEchoIT {
  /** Holds the reactor's thread for as long as {@code hold} runs. */
  private static EchoReactor.Exchange holding(Runnable hold) {
    return new EchoReactor.Exchange() {
      private boolean done;

      @Override
      public void start(long nowNanos) {
        hold.run();
        done = true;
      }

      @Override
      public int fd() {
        return -1;
      }

      @Override
      public void ready(short revents) {}

      @Override
      public long wakeAt() {
        return Long.MAX_VALUE;
      }

      @Override
      public void tick(long nowNanos) {}

      @Override
      public boolean done() {
        return done;
      }

      @Override
      public void abort(String why) {
        done = true;
      }
    };
  }

  @Test
  void aReplyThatWaitedOnTheSocketPastTheTimeoutIsAReply() throws Exception {
    NetNamespace here = NetNamespace.process();
    CountDownLatch gate = new CountDownLatch(1);
    here.echoes()
        .submit(
            holding(
                () -> {
                  try {
                    gate.await(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    // queued behind the gate: the echo goes out, then the reactor sleeps past the 300 ms timeout
    CompletableFuture<ProbeResult> probe =
        new IcmpProbe(1, 100, here).run(new ProbeTarget("127.0.0.1", 300, 0, "np-late-echo"));
    here.echoes()
        .submit(
            holding(
                () -> {
                  try {
                    Thread.sleep(1000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    gate.countDown();
    ProbeResult r = probe.get(10, TimeUnit.SECONDS);
    assertThat(r.status()).as(String.join("\n", r.evidence())).isEqualTo(ProbeStatus.REPLY);
    assertThat(r.evidence())
        .anyMatch(l -> l.contains("after the timeout: it was waiting on the socket"));
  }
}

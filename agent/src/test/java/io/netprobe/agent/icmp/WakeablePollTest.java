package io.netprobe.agent.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class WakeablePollTest {
  @Test
  void aPollerBlockedWithoutTimeoutLeavesPollAndParksWhenQuiesced() throws Exception {
    WakeablePoll poll = new WakeablePoll();
    CountDownLatch turns = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              while (true) {
                poll.poll(0, i -> -1, LibC.POLLIN, -1); // no socket: only a wake-up ends it
                turns.countDown();
              }
            },
            "np-test-poller");
    reader.setDaemon(true);
    reader.start();
    awaitUntil(poll::polling, "the reader to block in poll(2)");

    WakeablePoll.quiesce(List.of(poll));

    assertThat(poll.polling()).as("out of poll(2) when quiesce returns").isFalse();
    assertThat(turns.getCount()).as("the wake-up ended its poll").isZero();
    awaitUntil(
        () -> reader.getState() == Thread.State.WAITING,
        "the reader to park in Java (HotSpot's exit waits for threads in native code)");
    assertThat(poll.polling()).isFalse();
  }

  private static void awaitUntil(java.util.function.BooleanSupplier done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}

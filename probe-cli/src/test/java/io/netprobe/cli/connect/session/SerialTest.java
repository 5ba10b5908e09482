package io.netprobe.cli.connect.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An agent's calls run one at a time, in order, on a shared pool's threads. */
class SerialTest {
  @Test
  void tasksRunOneAtATimeInTheOrderGivenOnThePoolsThreads() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      InProcessAgents.Serial serial = new InProcessAgents.Serial(pool);
      List<Integer> order = java.util.Collections.synchronizedList(new ArrayList<>());
      AtomicInteger running = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  most.accumulateAndGet(running.incrementAndGet(), Math::max);
                  order.add(n);
                  Thread.onSpinWait();
                  running.decrementAndGet();
                },
                serial));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(most.get()).isEqualTo(1);
      assertThat(order).hasSize(200).isSorted();
      // a failing task does not stop the ones after it
      CompletableFuture<Object> failed =
          CompletableFuture.supplyAsync(
              () -> {
                throw new IllegalStateException("no");
              },
              serial);
      CompletableFuture<String> after = CompletableFuture.supplyAsync(() -> "yes", serial);
      assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("yes");
      assertThat(failed).isCompletedExceptionally();
    } finally {
      pool.shutdownNow();
    }
    // a closed pool refuses, and the executor is not left thinking it drains
    InProcessAgents.Serial closed = new InProcessAgents.Serial(pool);
    assertThatThrownBy(() -> closed.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> closed.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
  }
}

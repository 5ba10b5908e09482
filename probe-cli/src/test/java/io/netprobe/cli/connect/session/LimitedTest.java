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

/** Tasks run in order, at most so many at a time, on a shared pool's threads. */
class LimitedTest {
  @Test
  void tasksRunOneAtATimeInTheOrderGivenOnThePoolsThreads() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      Limited serial = new Limited(pool, 1);
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
    // a bound of 3: three at a time at most, and three do run at once
    ExecutorService wide = Executors.newCachedThreadPool();
    try {
      Limited three = new Limited(wide, 3);
      AtomicInteger running = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(3);
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  most.accumulateAndGet(running.incrementAndGet(), Math::max);
                  together.countDown();
                  try {
                    together.await(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  running.decrementAndGet();
                },
                three));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(most.get()).isEqualTo(3);
    } finally {
      wide.shutdownNow();
    }
    // a closed pool refuses, and the executor is not left thinking it drains
    Limited closed = new Limited(pool, 1);
    assertThatThrownBy(() -> closed.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(() -> closed.execute(() -> {}))
        .isInstanceOf(RejectedExecutionException.class);
  }
}

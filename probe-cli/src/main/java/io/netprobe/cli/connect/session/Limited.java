package io.netprobe.cli.connect.session;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs its tasks in the order given, at most {@code most} at a time, on a shared pool's threads:
 * bounded like a pool of its own, without starting threads of its own (the serial executor of
 * {@link Executor}'s documentation, with a bound). With a bound of 1 the tasks run one after the
 * other, as on a single thread.
 */
public final class Limited implements Executor {
  private final Executor pool;
  private final int most;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private int draining;

  public Limited(Executor pool, int most) {
    if (most < 1) {
      throw new IllegalArgumentException("most must be at least 1: " + most);
    }
    this.pool = pool;
    this.most = most;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      tasks.add(task);
      if (draining >= most) {
        return;
      }
      draining++;
    }
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        draining--;
        tasks.remove(task);
      }
      throw e;
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          draining--;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        // the tasks are CompletableFuture tasks, which keep their failure: the next one runs
      }
    }
  }
}

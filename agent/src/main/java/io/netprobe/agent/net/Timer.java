package io.netprobe.agent.net;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for the agents' short deadlines (a command's kill at its timeout, a listener's
 * end), cancelled when they are no longer needed. {@code CompletableFuture.delayedExecutor} without
 * an executor hands each due task to the common pool, and where that pool has one thread (two
 * cores) it starts a thread per task: one per iptables-save a run starts, even when the process had
 * long ended. Tasks must be short: they share the thread.
 */
public final class Timer {
  private static final ScheduledThreadPoolExecutor TIMER =
      new ScheduledThreadPoolExecutor(
          1, r -> NetNamespace.threadInOwn("np-agent-timer", r)); // made by a namespace's thread

  static {
    TIMER.setRemoveOnCancelPolicy(true);
  }

  private Timer() {}

  /** Runs {@code task} once after {@code delayMs}, unless the returned future is cancelled. */
  public static ScheduledFuture<?> after(long delayMs, Runnable task) {
    return TIMER.schedule(task, delayMs, TimeUnit.MILLISECONDS);
  }
}

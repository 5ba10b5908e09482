package io.netprobe.agent.net;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A namespace's workers for blocking work (ops, SSH and UDP probes, rule reads), on threads every
 * namespace of the JVM shares: a task enters its namespace with setns(2) first and goes back to the
 * process's own after (two system calls, a few microseconds), instead of each namespace starting
 * and keeping threads of its own (a third of a graded student's thread starts, and hundreds of idle
 * threads for every collection to scan). A thread holds the namespace it is in, so no idle thread
 * stays in one: a deleted lab's namespace and links go when its last task ends.
 *
 * <p>Whatever a task starts (JSch's threads, a listener's) is born in the task's namespace, as on a
 * namespace's own thread. Closing rejects new tasks and interrupts the running ones.
 */
final class Workers implements Executor {
  private static final AtomicInteger NUMBER = new AtomicInteger();

  /**
   * Threads made when every pooled one is busy, kept 30 s idle. A thread is made by whichever
   * thread submits (maybe one inside a namespace), so it first moves to the process's own.
   */
  private static final ThreadPoolExecutor POOL =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          30,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          task -> NetNamespace.threadInOwn("np-worker-" + NUMBER.incrementAndGet(), task));

  private final NetNamespace ns;
  private final Set<Thread> running = new HashSet<>();
  private boolean closed;

  Workers(NetNamespace ns) {
    this.ns = ns;
  }

  @Override
  public void execute(Runnable task) {
    submit(task, e -> {}); // a task that cannot enter is dropped, as a thread that cannot was
  }

  /** Calls {@code task} in the namespace; the future fails when it cannot be entered. */
  <T> CompletableFuture<T> supply(Callable<T> task) {
    CompletableFuture<T> done = new CompletableFuture<>();
    submit(
        () -> {
          try {
            done.complete(task.call());
          } catch (Exception | Error e) {
            done.completeExceptionally(e);
          }
        },
        done::completeExceptionally);
    return done;
  }

  private void submit(Runnable task, Consumer<RuntimeException> cannotEnter) {
    synchronized (this) {
      if (closed) {
        throw new RejectedExecutionException(ns + " is closed");
      }
    }
    POOL.execute(() -> run(task, cannotEnter));
  }

  private void run(Runnable task, Consumer<RuntimeException> cannotEnter) {
    Thread self = Thread.currentThread();
    synchronized (this) {
      if (closed) {
        return;
      }
      running.add(self);
    }
    try {
      boolean[] entered = {false};
      try {
        ns.inside(
            () -> {
              entered[0] = true;
              task.run();
            });
      } catch (RuntimeException e) {
        if (entered[0]) {
          throw e;
        }
        cannotEnter.accept(e);
      }
    } finally {
      synchronized (this) {
        running.remove(self);
        Thread.interrupted(); // close()'s interrupt was for this task, not the thread's next one
      }
    }
  }

  /** Rejects new tasks; interrupts the running ones. */
  void close() {
    synchronized (this) {
      closed = true;
      running.forEach(Thread::interrupt);
    }
  }
}

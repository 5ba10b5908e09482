package io.netprobe.agent.probe;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads for the blocking probes (ICMP, UDP, SSH); created on first use. */
public final class Workers {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "np-worker-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  private Workers() {}

  public static ExecutorService pool() {
    return POOL;
  }
}

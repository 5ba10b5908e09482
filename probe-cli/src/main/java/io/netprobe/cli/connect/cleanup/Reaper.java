package io.netprobe.cli.connect.cleanup;

import io.netprobe.cli.connect.session.AgentSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a run started that must not outlive it (agent sessions, with their child processes,
 * sidecars and uploads): closed in {@code finally} by its owner, and by a JVM shutdown hook on
 * Ctrl-C or SIGTERM. What a SIGKILL leaves behind, {@code netprobe cleanup} finds by label and
 * argument ({@link Cleanup}).
 */
public final class Reaper {
  private static final Reaper INSTANCE = new Reaper();
  private final Set<AutoCloseable> open = Collections.synchronizedSet(new LinkedHashSet<>());
  private boolean hooked;

  private Reaper() {}

  public static Reaper instance() {
    return INSTANCE;
  }

  public synchronized void register(AutoCloseable resource) {
    if (!hooked) {
      Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, "np-reaper"));
      hooked = true;
    }
    open.add(resource);
  }

  public void unregister(AutoCloseable resource) {
    open.remove(resource);
  }

  /** What is still open, for a test's failure message. */
  public String describeOpen() {
    synchronized (open) {
      return open.toString();
    }
  }

  /**
   * How many agent sessions are still open (tests). Other resources, such as an AppCDS training run
   * that a connect started in the background, may outlive a test's sessions by design.
   */
  public int openCount() {
    synchronized (open) {
      return (int) open.stream().filter(r -> r instanceof AgentSession).count();
    }
  }

  /** Closes everything still open, newest first, in parallel per resource. */
  public void closeAll() {
    List<AutoCloseable> all;
    synchronized (open) {
      all = new ArrayList<>(open);
    }
    Collections.reverse(all);
    all.parallelStream()
        .forEach(
            r -> {
              try {
                r.close();
              } catch (Exception e) {
                System.err.println("netprobe: cleanup of " + r + " failed: " + e.getMessage());
              }
            });
  }
}

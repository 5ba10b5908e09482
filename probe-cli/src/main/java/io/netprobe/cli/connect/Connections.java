package io.netprobe.cli.connect;

import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.connect.session.AgentSession;
import io.netprobe.cli.connect.session.Limited;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The agents of one run: every node connected in parallel; a node that cannot be reached becomes an
 * error saying what was tried and why, and the others go on. Closing closes every session.
 */
public final class Connections implements AutoCloseable {
  /**
   * The threads that connect and close agents, for the JVM's life: idle ones end after 30 s. A run
   * used to start a pool of 16 and a thread per node to close it.
   */
  private static final ExecutorService THREADS =
      new java.util.concurrent.ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          30,
          java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "np-connect");
            t.setDaemon(true);
            return t;
          });

  private final Map<String, AgentSession> sessions;
  private final Map<String, AgentException> errors;
  private AutoCloseable owned = () -> {};

  private Connections(Map<String, AgentSession> sessions, Map<String, AgentException> errors) {
    this.sessions = sessions;
    this.errors = errors;
  }

  /** Connects all nodes (name -> target) at once, in the map's order for the results. */
  public static Connections open(
      Map<String, NodeTarget> nodes, ConnectOptions options, NodeConnectors connectors) {
    // at most 16 connects at once, on threads kept for the JVM: a class graded in one JVM
    // connects and closes forty nodes a student. An agent in this JVM waits for nothing: one
    // thread per core for those (16 threads for a mesh of 20 namespaces were 16 thread starts
    // and their switching, ~25 ms of a 1 s run)
    Executor pool = new Limited(THREADS, Math.max(1, Math.min(nodes.size(), 16)));
    Executor cpu =
        new Limited(
            THREADS,
            Math.max(1, Math.min(nodes.size(), Runtime.getRuntime().availableProcessors())));
    Map<String, CompletableFuture<AgentSession>> started = new LinkedHashMap<>();
    nodes.forEach(
        (name, target) ->
            started.put(
                name,
                CompletableFuture.supplyAsync(
                    () -> connectors.connect(name, target, options),
                    target.inThisJvm() ? cpu : pool)));
    Map<String, AgentSession> sessions = new LinkedHashMap<>();
    Map<String, AgentException> errors = new LinkedHashMap<>();
    started.forEach(
        (name, future) -> {
          try {
            sessions.put(name, future.join());
          } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            errors.put(
                name,
                cause instanceof AgentException ae
                    ? ae
                    : new AgentException(
                        "CONNECT_FAILED", nodes.get(name).describe() + ": " + cause, cause));
          }
        });
    return new Connections(sessions, errors);
  }

  /** Connects with connectors of its own, closed with the connections. */
  public static Connections open(Map<String, NodeTarget> nodes, ConnectOptions options) {
    NodeConnectors connectors = new NodeConnectors();
    Connections c = open(nodes, options, connectors);
    c.owned = connectors;
    return c;
  }

  /** The sessions of the nodes reached, by node name. */
  public Map<String, AgentSession> sessions() {
    return Map.copyOf(sessions);
  }

  /** Why each node that could not be reached was not, by node name. */
  public Map<String, AgentException> errors() {
    return Map.copyOf(errors);
  }

  public AgentSession session(String node) {
    return sessions.get(node);
  }

  @Override
  public void close() {
    // every session at once (a remote agent's bye may wait for its process)
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (AgentSession s : sessions.values()) {
      closing.add(CompletableFuture.runAsync(s::close, THREADS));
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(15, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // a session that would not close in time: the run's results stand
    }
    try {
      owned.close();
    } catch (Exception e) {
      // the Docker client's pool: nothing of the run depends on it any more
    }
  }
}

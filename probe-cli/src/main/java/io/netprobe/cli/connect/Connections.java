package io.netprobe.cli.connect;

import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.connect.session.AgentSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The agents of one run: every node connected in parallel; a node that cannot be reached becomes an
 * error saying what was tried and why, and the others go on. Closing closes every session.
 */
public final class Connections implements AutoCloseable {
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
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(nodes.size(), 16)),
            r -> {
              Thread t = new Thread(r, "np-connect");
              t.setDaemon(true);
              return t;
            });
    try {
      Map<String, CompletableFuture<AgentSession>> started = new LinkedHashMap<>();
      nodes.forEach(
          (name, target) ->
              started.put(
                  name,
                  CompletableFuture.supplyAsync(
                      () -> connectors.connect(name, target, options), pool)));
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
    } finally {
      pool.shutdown();
    }
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
    List<Thread> closing = new ArrayList<>();
    for (AgentSession s : sessions.values()) {
      Thread t = new Thread(s::close, "np-close-" + s.node());
      t.start();
      closing.add(t);
    }
    for (Thread t : closing) {
      try {
        t.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      owned.close();
    } catch (Exception e) {
      // the Docker client's pool: nothing of the run depends on it any more
    }
  }
}

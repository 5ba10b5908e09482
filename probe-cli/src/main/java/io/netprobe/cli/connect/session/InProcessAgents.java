package io.netprobe.cli.connect.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.Agent;
import io.netprobe.agent.StdioServer;
import io.netprobe.agent.capture.CaptureSession;
import io.netprobe.agent.net.NetNamespace;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.protocol.Args;
import io.netprobe.agent.protocol.ProbeArgs;
import io.netprobe.cli.connect.ConnectOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Starts an agent inside this JVM, on a pair of pipes, working in a network namespace of this
 * machine (its threads enter it with setns). One JVM then serves every local and netns node: no JVM
 * start, class loading or JIT per node (20 namespaces cost 20 JVMs, about 1.6 CPU-s each on two
 * cores, before; see bench/README.md). The session is the same as over a child's stdio.
 */
public final class InProcessAgents {
  /** One mapper for all of them: it learns each reply's shape once, not once per namespace. */
  private static final ObjectMapper JSON = new ObjectMapper();

  private InProcessAgents() {}

  public static AgentSession start(
      String node, String describe, NetNamespace netns, ConnectOptions options) {
    // the ops taken without JSON run one at a time, as request lines are, on the namespace's
    // worker threads: no thread of their own (one start per node and run, a tenth of a graded
    // student's thread starts)
    Executor calls = new Limited(netns.workers(), 1);
    Pipe toAgent = new Pipe();
    Pipe fromAgent = new Pipe();
    CompletableFuture<Agent> started = new CompletableFuture<>();
    Thread agent =
        netns.thread(
            "np-agent-inprocess-" + node,
            () -> {
              try (OutputStream out = fromAgent.out()) {
                new StdioServer(toAgent.in(), out).serve(JSON, netns, started::complete);
              } catch (IOException | RuntimeException e) {
                // the session sees the end of the agent's output
              }
            });
    AgentSession session =
        new AgentSession(
            node,
            describe,
            fromAgent.in(),
            toAgent.out(),
            () -> agent.join(2000),
            new StderrTail(),
            options.requestTimeout());
    session.direct(
        new AgentSession.Direct() {
          @Override
          public CompletableFuture<ProbeResult> probe(ProbeArgs request) {
            return InProcessAgents.probe(started, netns, request);
          }

          @Override
          public CompletableFuture<?> call(String op, Map<String, ?> args) {
            return InProcessAgents.call(started, calls, op, args);
          }

          @Override
          public CompletableFuture<CaptureSession.Peek> peek(String id, int since) {
            Agent agent = started.getNow(null);
            if (agent == null) {
              return CompletableFuture.failedFuture(
                  new IllegalStateException("the agent has not started"));
            }
            try {
              return CompletableFuture.completedFuture(agent.peek(id, since));
            } catch (RuntimeException e) {
              return CompletableFuture.failedFuture(e);
            }
          }
        });
    return Hello.await(session, options);
  }

  /**
   * An op without JSON; null (send it as JSON) before the agent started or for args it cannot take.
   */
  private static CompletableFuture<?> call(
      CompletableFuture<Agent> started, Executor calls, String op, Map<String, ?> args) {
    Agent agent = started.getNow(null);
    if (agent == null) {
      return null;
    }
    Args request;
    try {
      request = Args.of(args);
    } catch (IllegalArgumentException e) {
      return null;
    }
    try {
      return CompletableFuture.supplyAsync(() -> agent.call(op, request), calls)
          .thenCompose(result -> result);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the agent has stopped"));
    }
  }

  /**
   * A probe without JSON, the typed request as it is, started on the namespace's event loop (a
   * thread in the namespace: a TCP probe's socket is opened where it starts).
   */
  private static CompletableFuture<ProbeResult> probe(
      CompletableFuture<Agent> started, NetNamespace netns, ProbeArgs request) {
    Agent agent = started.getNow(null);
    if (agent == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the agent has not started"));
    }
    return CompletableFuture.supplyAsync(() -> agent.probe(request), netns.loop())
        .thenCompose(result -> result);
  }
}

package io.netprobe.cli.connect.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.Agent;
import io.netprobe.agent.capture.CaptureSession;
import io.netprobe.agent.net.NetNamespace;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.protocol.Args;
import io.netprobe.agent.protocol.ProbeArgs;
import io.netprobe.cli.connect.ConnectOptions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Starts an agent inside this JVM, working in a network namespace of this machine (its threads
 * enter it with setns). One JVM then serves every local and netns node: no JVM start, class loading
 * or JIT per node (20 namespaces cost 20 JVMs, about 1.6 CPU-s each on two cores, before; see
 * bench/README.md). The session pairs requests and replies, times them out and fails them as over a
 * child's stdio, but each request is a call of the agent: no pipes, no JSON and no thread for the
 * lines (two thread starts a node and run, a third of a graded student's).
 */
public final class InProcessAgents {
  /** One mapper for all of them: it learns each args shape once, not once per namespace. */
  private static final ObjectMapper JSON = new ObjectMapper();

  private InProcessAgents() {}

  public static AgentSession start(
      String node, String describe, NetNamespace netns, ConnectOptions options) {
    // ops run one at a time, as request lines are, on the namespace's worker threads
    Executor calls = new Limited(netns.workers(), 1);
    Agent agent = new Agent(JSON, line -> {}, () -> {}, netns);
    AgentSession session =
        AgentSession.inProcess(
            node,
            describe,
            new AgentSession.Direct() {
              @Override
              public CompletableFuture<ProbeResult> probe(ProbeArgs request) {
                return InProcessAgents.probe(agent, netns, request);
              }

              @Override
              public CompletableFuture<?> call(String op, Map<String, ?> args) {
                return InProcessAgents.call(agent, calls, op, args);
              }

              @Override
              public CompletableFuture<CaptureSession.Peek> peek(String id, int since) {
                try {
                  return CompletableFuture.completedFuture(agent.peek(id, since));
                } catch (RuntimeException e) {
                  return CompletableFuture.failedFuture(e);
                }
              }
            },
            agent,
            options.requestTimeout());
    return Hello.await(session, options);
  }

  /** An op as its request line would run it, on the namespace's threads, one at a time. */
  private static CompletableFuture<?> call(
      Agent agent, Executor calls, String op, Map<String, ?> args) {
    Args request;
    try {
      request = Args.of(args);
    } catch (IllegalArgumentException e) {
      request = new Args(JSON.valueToTree(args)); // a value Args.of does not take: as JSON would
    }
    Args checked = request;
    try {
      return CompletableFuture.supplyAsync(() -> agent.call(op, checked), calls)
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
      Agent agent, NetNamespace netns, ProbeArgs request) {
    try {
      return CompletableFuture.supplyAsync(() -> agent.probe(request), netns.loop())
          .thenCompose(result -> result);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("the agent has stopped"));
    }
  }
}

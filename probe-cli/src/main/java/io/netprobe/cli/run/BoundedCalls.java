package io.netprobe.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.agent.capture.CaptureSession;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.protocol.ProbeArgs;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** An agent with at most {@code limit} requests in flight; the rest wait their turn in order. */
final class BoundedCalls implements AgentCalls {
  private final AgentCalls agent;
  private final int limit;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;

  BoundedCalls(AgentCalls agent, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    this.agent = agent;
    this.limit = limit;
  }

  @Override
  public CompletableFuture<JsonNode> call(String op, Map<String, Object> args) {
    return bounded(() -> agent.call(op, args));
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeArgs request) {
    return bounded(() -> agent.probe(request));
  }

  /** Not counted against the limit: a peek must not wait behind the probes it looks at. */
  @Override
  public CompletableFuture<CaptureSession.Peek> peek(String id, int since) {
    return agent.peek(id, since);
  }

  /** Starts {@code request} now if fewer than the limit are in flight, else when one ends. */
  private <T> CompletableFuture<T> bounded(Supplier<CompletableFuture<T>> request) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable send =
        () ->
            request
                .get()
                .whenComplete(
                    (value, error) -> {
                      done();
                      if (error != null) {
                        result.completeExceptionally(error);
                      } else {
                        result.complete(value);
                      }
                    });
    boolean now;
    synchronized (this) {
      now = inFlight < limit;
      if (now) {
        inFlight++;
      } else {
        waiting.add(send);
      }
    }
    if (now) {
      send.run();
    }
    return result;
  }

  private void done() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inFlight--;
      }
    }
    if (next != null) {
      next.run();
    }
  }
}

package io.netprobe.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.agent.capture.CaptureSession;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.protocol.ProbeArgs;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What a run needs of one node's agent: a request, answered later with its result. */
@FunctionalInterface
public interface AgentCalls {
  /**
   * Sends {@code op} with {@code args}; the future completes with the reply's {@code result}, or
   * exceptionally with the agent's error (its code and message) or the connection's failure.
   */
  CompletableFuture<JsonNode> call(String op, Map<String, Object> args);

  /**
   * One probe and its result: over the wire as the {@code probe} op by default; an agent in this
   * JVM takes the typed request as it is, without JSON either way.
   */
  default CompletableFuture<ProbeResult> probe(ProbeArgs request) {
    return call("probe", request.toWire())
        .thenApply(json -> RunEngine.read(json, ProbeResult.class));
  }

  /**
   * What a running capture saw from its {@code since}-th packet on: the {@code capture.peek} op by
   * default; an agent in this JVM answers it directly.
   */
  default CompletableFuture<CaptureSession.Peek> peek(String id, int since) {
    return call("capture.peek", Map.of("id", id, "since", since))
        .thenApply(json -> RunEngine.read(json, CaptureSession.Peek.class));
  }
}

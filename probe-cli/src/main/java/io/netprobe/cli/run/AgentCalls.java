package io.netprobe.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
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
}

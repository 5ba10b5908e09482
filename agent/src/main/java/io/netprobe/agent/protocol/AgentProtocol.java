package io.netprobe.agent.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The agent protocol, independent of its transport: one JSON request per line in, one JSON reply
 * per line out. A request is {@code {"id":..,"op":..,"args":{..}}}; a reply {@code
 * {"id":..,"ok":true,"result":..}} or {@code {"id":..,"ok":false,"error":{"code","field",
 * "message"}}}. Replies may come back out of order (probes run concurrently); the id pairs them. No
 * request, however bad, stops the agent.
 */
public final class AgentProtocol {
  private final ObjectMapper json;
  private final Map<String, Operation> operations = new TreeMap<>();
  private final Consumer<String> out;
  private final java.util.concurrent.atomic.AtomicInteger pending =
      new java.util.concurrent.atomic.AtomicInteger();

  public AgentProtocol(ObjectMapper json, Consumer<String> out) {
    this.json = json;
    this.out = out;
  }

  public AgentProtocol register(String op, Operation operation) {
    operations.put(op, operation);
    return this;
  }

  public java.util.Set<String> operations() {
    return operations.keySet();
  }

  /** Handles one line; the reply (now or later) goes to the output consumer. */
  public void handle(String line) {
    JsonNode id = null;
    try {
      JsonNode request = parse(line);
      id = request.get("id");
      Operation operation = operationOf(request);
      CompletableFuture<?> running = operation.run(new Args(request.get("args")));
      JsonNode replyId = id;
      pending.incrementAndGet();
      running.whenComplete(
          (result, error) -> {
            try {
              if (error == null) {
                reply(replyId, result);
              } else {
                fail(replyId, error);
              }
            } finally {
              synchronized (pending) {
                pending.decrementAndGet();
                pending.notifyAll();
              }
            }
          });
    } catch (Exception | StackOverflowError e) {
      fail(id, e);
    }
  }

  /** Waits up to {@code millis} for the replies still owed; true when none is left. */
  public boolean awaitReplies(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    synchronized (pending) {
      while (pending.get() > 0) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        pending.wait(left);
      }
    }
    return true;
  }

  private JsonNode parse(String line) {
    JsonNode request;
    try {
      request = json.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadRequestException(
          "BAD_JSON",
          null,
          "request is not valid JSON: "
              + e.getOriginalMessage()
              + "; send one JSON object per line");
    }
    if (request == null || !request.isObject()) {
      throw new BadRequestException(
          "BAD_JSON", null, "request must be a JSON object {\"id\":..,\"op\":..,\"args\":{..}}");
    }
    return request;
  }

  private Operation operationOf(JsonNode request) {
    JsonNode op = request.get("op");
    if (op == null || op.isNull()) {
      throw BadRequestException.field("op", "op is missing: expected one of " + operations());
    }
    Operation operation = op.isTextual() ? operations.get(op.asText()) : null;
    if (operation == null) {
      throw new BadRequestException(
          "UNKNOWN_OP", "op", "unknown op " + op + ": expected one of " + operations());
    }
    return operation;
  }

  /** A successful reply, written in one pass (no intermediate tree of the result). */
  private record Reply(JsonNode id, boolean ok, Object result) {}

  private void reply(JsonNode id, Object result) {
    try {
      out.accept(json.writeValueAsString(new Reply(id, true, result)));
    } catch (JsonProcessingException e) {
      fail(id, e);
    }
  }

  private void fail(JsonNode id, Throwable error) {
    Failure failure = Failure.of(error);
    ObjectNode reply = json.createObjectNode();
    reply.set("id", id);
    reply.put("ok", false);
    ObjectNode body = reply.putObject("error");
    body.put("code", failure.code());
    if (failure.field() != null) {
      body.put("field", failure.field());
    }
    body.put("message", failure.message());
    send(reply);
  }

  /**
   * Runs {@code op} for a caller in this JVM: the same operation and the same checks of its args as
   * a request line gets, its result as the operation made it (no JSON either way). A failure is the
   * operation's exception; {@link Failure#of} says it as a failed reply would.
   */
  public CompletableFuture<?> call(String op, Args args) {
    Operation operation = operations.get(op);
    if (operation == null) {
      return CompletableFuture.failedFuture(
          new BadRequestException(
              "UNKNOWN_OP", "op", "unknown op " + op + ": expected one of " + operations()));
    }
    try {
      return operation.run(args);
    } catch (Exception | StackOverflowError e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** What a failed reply says: its code, the field at fault (or null) and the message. */
  public record Failure(String code, String field, String message) {
    public static Failure of(Throwable error) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      if (cause instanceof BadRequestException bad) {
        return new Failure(bad.code(), bad.field(), bad.getMessage());
      } else if (cause instanceof IllegalArgumentException) {
        return new Failure("BAD_REQUEST", null, cause.getMessage());
      }
      return new Failure(
          "INTERNAL", null, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
  }

  private void send(ObjectNode reply) {
    try {
      out.accept(json.writeValueAsString(reply));
    } catch (JsonProcessingException e) {
      out.accept(
          "{\"ok\":false,\"error\":{\"code\":\"INTERNAL\",\"message\":\"reply not serialisable\"}}");
    }
  }
}

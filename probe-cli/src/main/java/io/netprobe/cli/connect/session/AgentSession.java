package io.netprobe.cli.connect.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.netprobe.agent.capture.CaptureSession;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.protocol.AgentProtocol;
import io.netprobe.agent.protocol.ProbeArgs;
import io.netprobe.cli.connect.cleanup.Reaper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A client for one agent over a pair of streams (a child's stdio, an SSH exec channel, a Docker
 * attach): sends JSON-line requests with ids, pairs the replies with them (out of order, many in
 * flight), fails a request that gets no reply in time, and fails all pending ones, naming the node,
 * when the agent's output ends. Closing says {@code bye}, then closes the transport, which stops
 * the agent and removes what the connector made for it.
 *
 * <p>An agent in this JVM ({@link #inProcess}) gets the same requests, ids, timeouts and failures,
 * but every request is a call of the agent ({@link Direct}): no streams, no JSON on the way in, no
 * thread of the session's own.
 */
public final class AgentSession implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "np-agent-timeouts");
            t.setDaemon(true);
            return t;
          });
  private static final Duration BYE_WAIT = Duration.ofSeconds(2);

  private final String node;
  private final String describe;
  private final OutputStream out; // null for an agent in this JVM
  private final AutoCloseable transport;
  private final StderrTail stderr;
  private final Duration timeout;
  private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final List<String> notes = new CopyOnWriteArrayList<>();
  private volatile String closedBecause;

  /** Whether the node is still there, for an agent that outlives it (null: it ends with it). */
  private volatile BooleanSupplier nodeThere;

  private volatile String closedCode = "EOF";
  private volatile boolean closing;
  private volatile JsonNode hello;
  private final Direct direct; // null for an agent over a wire

  public AgentSession(
      String node,
      String describe,
      InputStream in,
      OutputStream out,
      AutoCloseable transport,
      StderrTail stderr,
      Duration timeout) {
    this(node, describe, in, out, null, transport, stderr, timeout);
  }

  private AgentSession(
      String node,
      String describe,
      InputStream in,
      OutputStream out,
      Direct direct,
      AutoCloseable transport,
      StderrTail stderr,
      Duration timeout) {
    this.node = node;
    this.describe = describe;
    this.out = out;
    this.direct = direct;
    this.transport = transport;
    this.stderr = stderr;
    this.timeout = timeout;
    if (in != null) {
      Thread reader = new Thread(() -> read(in), "np-agent-" + node);
      reader.setDaemon(true);
      reader.start();
    }
    Reaper.instance().register(this);
  }

  /**
   * A session with an agent in this JVM: every request is a call of {@code calls}; closing closes
   * {@code agent} (its captures, listeners and namespace threads). Two threads fewer per node than
   * a session over pipes (the agent's line reader and this reader), and no JSON for the requests.
   */
  static AgentSession inProcess(
      String node, String describe, Direct calls, AutoCloseable agent, Duration timeout) {
    return new AgentSession(node, describe, null, null, calls, agent, new StderrTail(), timeout);
  }

  /** A session over any streams; {@code transport} is closed last (may be a no-op). */
  public static AgentSession over(
      String node,
      String describe,
      InputStream in,
      OutputStream out,
      AutoCloseable transport,
      Duration timeout) {
    return new AgentSession(node, describe, in, out, transport, new StderrTail(), timeout);
  }

  /** The node's name in the run. */
  public String node() {
    return node;
  }

  /** How the agent was reached: "ip netns exec np-pc", "ssh lab@127.0.0.1:1234". */
  public String describe() {
    return describe;
  }

  /** What the connector did or could not do (uploads, cache hits, capture without sudo...). */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  public void note(String note) {
    notes.add(note);
  }

  /**
   * What an agent in this JVM answers without JSON: a probe, as the probe op runs it, a peek at a
   * running capture, and every op (the replies of {@link #TYPED_OPS} kept as the objects made).
   */
  public interface Direct {
    CompletableFuture<ProbeResult> probe(ProbeArgs request);

    CompletableFuture<CaptureSession.Peek> peek(String id, int since);

    /**
     * {@code op} run by the agent as its request would be, its result the object the operation made
     * (a failed future for a failure, as the failed reply would say it).
     */
    CompletableFuture<?> call(String op, Map<String, ?> args);
  }

  /**
   * The ops whose replies {@link #requestObject} takes from an agent in this JVM as the objects it
   * made, in a {@link POJONode} ({@code RunEngine.read} takes them as they are): the big ones of
   * every run. Writing and reading them as JSON cost about a fifth of the agents' CPU in the mesh
   * benchmark (Jackson learns each type's shape on a cold JVM).
   */
  static final Set<String> TYPED_OPS =
      Set.of("capture.start", "capture.stop", "facts", "rules", "trace");

  /** For an agent in this JVM: its direct calls; null for an agent over a wire. */
  public Direct direct() {
    return direct;
  }

  /**
   * True while the agent answers and its node is there: an agent in this JVM working in a
   * container's namespaces does not end when the container does, and would go on probing from an
   * empty namespace.
   */
  public boolean isOpen() {
    BooleanSupplier there = nodeThere;
    return closedBecause == null && (there == null || there.getAsBoolean());
  }

  /** Says how to tell that this session's node has gone (see {@link #isOpen}); this. */
  public AgentSession whileThere(BooleanSupplier there) {
    nodeThere = there;
    return this;
  }

  /** Sends one request; the future completes with the reply's {@code result}. */
  public CompletableFuture<JsonNode> request(String op, Map<String, ?> args) {
    return request(op, args, timeout, false);
  }

  public CompletableFuture<JsonNode> request(String op, Map<String, ?> args, Duration wait) {
    return request(op, args, wait, false);
  }

  /**
   * The same, but an agent in this JVM answers an op of {@link #TYPED_OPS} with the object it made,
   * in a {@link POJONode} whose fields cannot be read as JSON: for a caller that reads the reply
   * only as its type ({@code RunEngine.read}), as a run does.
   */
  public CompletableFuture<JsonNode> requestObject(String op, Map<String, ?> args) {
    return request(op, args, timeout, true);
  }

  private CompletableFuture<JsonNode> request(
      String op, Map<String, ?> args, Duration wait, boolean objects) {
    String id = Long.toString(ids.incrementAndGet());
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ScheduledFuture<?> timer =
        TIMER.schedule(() -> timedOut(id, op, wait), wait.toMillis(), TimeUnit.MILLISECONDS);
    reply.whenComplete((result, error) -> timer.cancel(false));
    if (closedBecause == null) {
      if (direct != null) {
        directly(id, op, args, objects);
      } else {
        send(id, op, args);
      }
    }
    if (closedBecause != null) { // closed before or while sending: the reader has failed the rest
      failPending(id);
    }
    return reply;
  }

  /**
   * Writes one request. A write that fails means the agent is gone: its output will end too, and
   * the reader then fails the request with the agent's last words (or the timer does).
   */
  private void send(String id, String op, Map<String, ?> args) {
    ObjectNode request = JSON.createObjectNode();
    request.put("id", Long.parseLong(id));
    request.put("op", op);
    request.set("args", JSON.valueToTree(args == null ? Map.of() : args));
    try {
      synchronized (out) {
        out.write(JSON.writeValueAsBytes(request));
        out.write('\n');
        out.flush();
      }
    } catch (IOException e) {
      stderr.add("(netprobe could not send " + op + ": " + e.getMessage() + ")");
    }
  }

  /**
   * Hands {@code op} to the agent in this JVM. The reply is the tree its JSON would have been, or,
   * for {@code objects} and an op of {@link #TYPED_OPS}, the object itself.
   */
  private void directly(String id, String op, Map<String, ?> args, boolean objects) {
    CompletableFuture<?> running;
    try {
      running = direct.call(op, args == null ? Map.of() : args);
    } catch (RuntimeException e) {
      running = CompletableFuture.failedFuture(e);
    }
    running.whenComplete(
        (result, error) -> {
          CompletableFuture<JsonNode> reply = pending.remove(id);
          if (reply == null) {
            return; // timed out, or the session closed
          }
          if (error == null) {
            try {
              reply.complete(
                  objects && TYPED_OPS.contains(op)
                      ? JsonNodeFactory.instance.pojoNode(result)
                      : result == null
                          ? JsonNodeFactory.instance.nullNode()
                          : JSON.valueToTree(result));
            } catch (IllegalArgumentException e) {
              reply.completeExceptionally(
                  new AgentException("INTERNAL", where() + ": reply not serialisable: " + e));
            }
          } else {
            AgentProtocol.Failure failure = AgentProtocol.Failure.of(error);
            reply.completeExceptionally(
                new AgentException(failure.code(), where() + ": " + failure.message()));
          }
        });
  }

  private void failPending(String id) {
    CompletableFuture<JsonNode> f = pending.remove(id);
    if (f != null) {
      f.completeExceptionally(new AgentException(closedCode, where() + ": " + closedBecause));
    }
  }

  /** The agent's {@code hello} (asked once, then remembered): version, java, capabilities. */
  public JsonNode hello() {
    return hello(timeout);
  }

  public JsonNode hello(Duration wait) {
    if (hello == null) {
      hello = await(request("hello", Map.of(), wait), "hello");
    }
    return hello;
  }

  /** Waits for a reply, unwrapping the failure to the AgentException that says why. */
  public static JsonNode await(CompletableFuture<JsonNode> reply, String what) {
    try {
      return reply.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentException("INTERRUPTED", "interrupted while waiting for " + what);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AgentException ae) {
        throw ae;
      }
      throw new AgentException("FAILED", what + " failed: " + e.getCause(), e.getCause());
    }
  }

  private void timedOut(String id, String op, Duration wait) {
    CompletableFuture<JsonNode> reply = pending.remove(id);
    if (reply != null) {
      reply.completeExceptionally(
          new AgentException(
              "TIMEOUT", where() + ": no reply to " + op + " within " + wait.toMillis() + " ms"));
    }
  }

  private void read(InputStream in) {
    String why = "the agent's output ended";
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        dispatch(line);
      }
    } catch (IOException e) {
      why = "reading the agent's output failed: " + e.getMessage();
    }
    failAll(why);
  }

  private void dispatch(String line) {
    JsonNode reply;
    try {
      reply = JSON.readTree(line);
    } catch (IOException e) {
      stderr.add("not a reply: " + line);
      return;
    }
    JsonNode id = reply == null ? null : reply.get("id");
    CompletableFuture<JsonNode> future = id == null ? null : pending.remove(id.asText());
    if (future == null) {
      return; // late reply to a request that timed out, or noise
    }
    if (reply.path("ok").asBoolean(false)) {
      future.complete(reply.path("result"));
    } else {
      JsonNode error = reply.path("error");
      future.completeExceptionally(
          new AgentException(
              error.path("code").asText("AGENT_ERROR"),
              where() + ": " + error.path("message").asText("the agent reported an error")));
    }
  }

  private void failAll(String why) {
    stderr.awaitEnd(500);
    closedCode = closing ? "CLOSED" : "EOF";
    String tail = stderr.text();
    closedBecause = why + (tail.isEmpty() ? "" : " (agent stderr: " + tail + ")");
    for (String id : List.copyOf(pending.keySet())) {
      failPending(id);
    }
  }

  private String where() {
    return "agent on " + node + " (" + describe + ")";
  }

  /** Says bye (briefly), then closes the transport: the agent stops, its leftovers go. */
  @Override
  public void close() {
    closing = true;
    Reaper.instance().unregister(this);
    if (closedBecause == null && direct == null) { // an agent in this JVM stops with its close
      try {
        Duration wait = timeout.compareTo(BYE_WAIT) < 0 ? timeout : BYE_WAIT;
        request("bye", Map.of(), wait).get(wait.toMillis() + 100, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // an agent that cannot say bye is stopped by the transport below
      }
    }
    if (out != null) {
      try {
        synchronized (out) {
          out.close();
        }
      } catch (IOException e) {
        // already closed
      }
    }
    try {
      transport.close();
    } catch (Exception e) {
      notes.add("cleanup on " + node + " incomplete: " + e.getMessage());
    }
    if (closedBecause == null) {
      failAll("the session was closed");
    }
  }

  @Override
  public String toString() {
    return "AgentSession[" + node + " via " + describe + "]";
  }
}

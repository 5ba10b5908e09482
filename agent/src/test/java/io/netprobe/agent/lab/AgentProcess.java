package io.netprobe.agent.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shaded agent jar running in a namespace ({@code ip netns exec NS java -jar ... --stdio}),
 * spoken to over its stdin/stdout exactly as a coordinator would.
 */
public final class AgentProcess implements AutoCloseable {
  public static final Path JAR = Path.of("target/netprobe-agent.jar");
  private final ObjectMapper json = new ObjectMapper();
  private final Process process;
  private final Writer in;
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  private AgentProcess(Process process) {
    this.process = process;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readReplies, "np-at-agent-reader");
    reader.setDaemon(true);
    reader.start();
  }

  public static AgentProcess startIn(String ns) throws IOException {
    return startIn(ns, List.of());
  }

  /**
   * The agent in {@code ns}, started through {@code wrapper} (a command that runs the rest of its
   * command line: {@code setpriv --bounding-set=-net_raw} for an agent without CAP_NET_RAW).
   */
  public static AgentProcess startIn(String ns, List<String> wrapper) throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " missing: run mvn package first");
    }
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    command.addAll(wrapper);
    command.addAll(
        List.of(
            "java",
            "-Xmx32m",
            "-XX:+UseSerialGC",
            "-jar",
            JAR.toAbsolutePath().toString(),
            "--stdio"));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new AgentProcess(p);
  }

  private void readReplies() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode reply = json.readTree(line);
        CompletableFuture<JsonNode> f = pending.remove(reply.path("id").asInt(-1));
        if (f != null) {
          f.complete(reply);
        }
      }
    } catch (IOException e) {
      pending.values().forEach(f -> f.completeExceptionally(e));
    }
  }

  /** Sends a request and waits for its whole reply. */
  public JsonNode request(String op, Map<String, ?> args) throws Exception {
    return send(op, args).get(60, TimeUnit.SECONDS);
  }

  /** Sends a request; the reply comes later. */
  public CompletableFuture<JsonNode> send(String op, Map<String, ?> args) throws IOException {
    int id = ids.incrementAndGet();
    ObjectNode request = json.createObjectNode();
    request.put("id", id);
    request.put("op", op);
    request.set("args", json.valueToTree(args));
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    synchronized (in) {
      in.write(json.writeValueAsString(request) + "\n");
      in.flush();
    }
    return reply;
  }

  /** The result of a request that must succeed. */
  public JsonNode result(String op, Map<String, ?> args) throws Exception {
    JsonNode reply = request(op, args);
    if (!reply.path("ok").asBoolean()) {
      throw new AssertionError(op + " failed: " + reply);
    }
    return reply.get("result");
  }

  /** Closes stdin, as a coordinator that goes away does, and waits for the agent to exit. */
  public boolean closeAndWait(long millis) throws InterruptedException {
    try {
      in.close();
    } catch (IOException ignored) {
      // already gone
    }
    return process.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (!closeAndWait(3000)) {
      process.destroyForcibly();
    }
  }
}

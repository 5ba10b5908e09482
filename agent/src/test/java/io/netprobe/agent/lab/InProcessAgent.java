package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.Agent;
import io.netprobe.agent.net.NetNamespace;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agent in this JVM whose protocol thread is in a namespace entered with setns, as the
 * coordinator runs it: requests and replies go through the protocol's JSON, one at a time.
 */
final class InProcessAgent implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final NetNamespace netns;
  private final ExecutorService protocolThread;
  private final Agent agent;
  private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
  private final AtomicInteger ids = new AtomicInteger();

  InProcessAgent(String ns) {
    netns = NetNamespace.enter(NetNamespace.named(ns));
    protocolThread = Executors.newSingleThreadExecutor(netns.threads("np-at-proto"));
    agent =
        new Agent(
            JSON,
            line -> {
              try {
                replies.add(JSON.readTree(line));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            () -> {},
            netns);
  }

  /** The result of a request that must succeed. */
  synchronized JsonNode request(String op, Map<String, ?> args) throws Exception {
    int id = ids.incrementAndGet();
    String line = JSON.writeValueAsString(Map.of("id", id, "op", op, "args", args));
    protocolThread.submit(() -> agent.handle(line)).get();
    JsonNode reply = replies.poll(30, TimeUnit.SECONDS);
    assertThat(reply).as("reply to " + line).isNotNull();
    assertThat(reply.get("ok").asBoolean()).as(reply.toString()).isTrue();
    return reply.get("result");
  }

  @Override
  public void close() {
    agent.close();
    protocolThread.shutdownNow();
    netns.close();
  }
}

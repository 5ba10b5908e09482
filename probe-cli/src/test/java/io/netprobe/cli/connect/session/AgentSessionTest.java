package io.netprobe.cli.connect.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AgentSession against a fake agent on the other end of two in-memory pipes. */
class AgentSessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Pipe toAgent = new Pipe();
  private final Pipe fromAgent = new Pipe();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final AtomicBoolean transportClosed = new AtomicBoolean();
  private AgentSession session;

  @AfterEach
  void closeSession() {
    if (session != null) {
      session.close();
    }
  }

  /** A fake agent: answers each request line with what {@code reply} returns (null = silence). */
  private AgentSession sessionWith(Function<JsonNode, String> reply, Duration timeout) {
    Thread agent =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(toAgent.in(), StandardCharsets.UTF_8));
                  OutputStream out = fromAgent.out()) {
                String line;
                while ((line = in.readLine()) != null) {
                  JsonNode request = JSON.readTree(line);
                  received.add(request);
                  String answer = reply.apply(request);
                  if (answer != null) {
                    synchronized (out) {
                      out.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                  }
                }
              } catch (IOException e) {
                // the test is over
              }
            });
    agent.setDaemon(true);
    agent.start();
    StderrTail tail = new StderrTail();
    tail.add("fake agent: last words");
    session =
        new AgentSession(
            "vm",
            "ssh lab@127.0.0.1:1234",
            fromAgent.in(),
            toAgent.out(),
            () -> transportClosed.set(true),
            tail,
            timeout);
    return session;
  }

  private static String ok(JsonNode request, String result) {
    return "{\"id\":" + request.get("id") + ",\"ok\":true,\"result\":" + result + "}";
  }

  @Test
  void replyResultIsMatchedToItsRequest() {
    sessionWith(r -> ok(r, "{\"op\":\"" + r.get("op").asText() + "\"}"), Duration.ofSeconds(5));

    JsonNode hello = session.hello();

    assertThat(hello.get("op").asText()).isEqualTo("hello");
    assertThat(received.get(0).get("args").isObject()).isTrue();
  }

  @Test
  void manyRequestsInFlightAreAnsweredOutOfOrder() {
    List<JsonNode> held = new CopyOnWriteArrayList<>();
    sessionWith(
        r -> {
          held.add(r);
          if (held.size() < 20) {
            return null;
          }
          StringBuilder all = new StringBuilder();
          for (int i = held.size() - 1; i >= 0; i--) { // newest first
            JsonNode h = held.get(i);
            all.append(ok(h, h.path("args").path("n").toString())).append(i > 0 ? "\n" : "");
          }
          return all.toString();
        },
        Duration.ofSeconds(5));
    List<CompletableFuture<JsonNode>> replies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(session.request("probe", Map.of("n", i)));
    }

    for (int i = 0; i < 20; i++) {
      assertThat(AgentSession.await(replies.get(i), "probe").asInt()).isEqualTo(i);
    }
  }

  @Test
  void requestWithoutReplyTimesOutNamingNodeAndOp() {
    sessionWith(r -> null, Duration.ofMillis(200));

    assertThatThrownBy(() -> AgentSession.await(session.request("facts", Map.of()), "facts"))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.code()).isEqualTo("TIMEOUT"))
        .hasMessageContaining("agent on vm (ssh lab@127.0.0.1:1234)")
        .hasMessageContaining("no reply to facts within 200 ms");
  }

  @Test
  void endOfOutputFailsEveryPendingRequestWithTheAgentsLastWords() {
    sessionWith(r -> null, Duration.ofSeconds(30));
    CompletableFuture<JsonNode> a = session.request("probe", Map.of());
    CompletableFuture<JsonNode> b = session.request("facts", Map.of());

    fromAgent.end();

    for (CompletableFuture<JsonNode> f : List.of(a, b)) {
      assertThatThrownBy(() -> AgentSession.await(f, "x"))
          .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo("EOF"))
          .hasMessageContaining("agent on vm")
          .hasMessageContaining("output ended")
          .hasMessageContaining("fake agent: last words");
    }
    assertThat(session.isOpen()).isFalse();
  }

  @Test
  void agentErrorBecomesAnExceptionWithItsCode() {
    sessionWith(
        r ->
            "{\"id\":"
                + r.get("id")
                + ",\"ok\":false,\"error\":{\"code\":\"BAD_REQUEST\",\"message\":\"port 0\"}}",
        Duration.ofSeconds(5));

    assertThatThrownBy(() -> AgentSession.await(session.request("probe", Map.of()), "probe"))
        .isInstanceOfSatisfying(
            AgentException.class, e -> assertThat(e.code()).isEqualTo("BAD_REQUEST"))
        .hasMessageContaining("port 0");
  }

  @Test
  void noiseAndLateRepliesAreIgnored() {
    sessionWith(
        r -> "not json\n{\"id\":999,\"ok\":true,\"result\":1}\n" + ok(r, "2"),
        Duration.ofSeconds(5));

    assertThat(AgentSession.await(session.request("hello", Map.of()), "hello").asInt())
        .isEqualTo(2);
  }

  @Test
  void closeSaysByeThenClosesTheTransport() {
    sessionWith(r -> ok(r, "{}"), Duration.ofSeconds(5));

    session.close();

    assertThat(received).extracting(r -> r.get("op").asText()).containsExactly("bye");
    assertThat(transportClosed).isTrue();
    assertThat(session.isOpen()).isFalse();
    assertThatThrownBy(() -> AgentSession.await(session.request("hello", Map.of()), "hello"))
        .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.code()).isEqualTo("CLOSED"))
        .hasMessageContaining("agent on vm");
  }
}

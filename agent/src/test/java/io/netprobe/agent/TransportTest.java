package io.netprobe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TransportTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void stdioAnswersEveryRequestIncludingProbesInFlightWhenStdinCloses() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String requests =
        "{\"id\":1,\"op\":\"hello\"}\nbad\n"
            + "{\"id\":3,\"op\":\"probe\",\"args\":{\"type\":\"tcp\",\"host\":\"127.0.0.1\",\"port\":"
            + closed
            + "}}\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int read =
        new StdioServer(new ByteArrayInputStream(requests.getBytes(StandardCharsets.UTF_8)), out)
            .serve(json);
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(read).isEqualTo(3);
    assertThat(lines).hasSize(3);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"status\":\"REFUSED\"");
  }

  @Test
  void stdioStopsReadingAfterBye() throws Exception {
    String requests = "{\"id\":1,\"op\":\"bye\"}\n{\"id\":2,\"op\":\"hello\"}\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new StdioServer(new ByteArrayInputStream(requests.getBytes(StandardCharsets.UTF_8)), out)
        .serve(json);
    assertThat(out.toString(StandardCharsets.UTF_8).trim().split("\n")).hasSize(1);
  }

  @Test
  void tcpServerRefusesAWrongTokenAndServesTheRightOne() throws Exception {
    String token = "0123456789abcdef-token";
    try (TcpAgentServer server = TcpAgentServer.start("127.0.0.1", 0, token, json)) {
      int port = server.address().getPort();
      try (Socket s = new Socket("127.0.0.1", port)) {
        JsonNode reply = exchange(s, "{\"id\":1,\"op\":\"hello\"}");
        assertThat(reply.at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(reply.toString()).doesNotContain(token);
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        JsonNode auth =
            exchange(s, "{\"id\":1,\"op\":\"auth\",\"args\":{\"token\":\"" + token + "\"}}");
        assertThat(auth.get("ok").asBoolean()).isTrue();
        JsonNode hello = exchange(s, "{\"id\":2,\"op\":\"hello\"}");
        assertThat(hello.at("/result/agent").asText()).isEqualTo("netprobe-agent");
      }
    }
  }

  private JsonNode exchange(Socket s, String line) throws Exception {
    s.setSoTimeout(5000);
    PrintWriter w = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
    w.println(line);
    BufferedReader r =
        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    return json.readTree(r.readLine());
  }
}

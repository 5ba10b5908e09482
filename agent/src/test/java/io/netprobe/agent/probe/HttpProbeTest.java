package io.netprobe.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.net.NetNamespace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The http probe against small servers on loopback, each answering one way. */
class HttpProbeTest {
  private final List<ServerSocket> servers = new ArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (ServerSocket s : servers) {
      s.close();
    }
  }

  /** What the server does with one connection. */
  private interface Answer {
    void on(Socket s) throws Exception;
  }

  private int serve(ServerSocket server, Answer answer) {
    servers.add(server);
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                  answer.on(s);
                } catch (Exception e) {
                  // the next connection, or the end of the test
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return server.getLocalPort();
  }

  private int serve(Answer answer) throws Exception {
    return serve(new ServerSocket(0), answer);
  }

  /** Reads the request's head, then answers {@code response}. */
  private Answer http(String response) {
    return s -> {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        head.append(line).append('\n');
      }
      requests.add(head.toString());
      OutputStream out = s.getOutputStream();
      out.write(response.getBytes(StandardCharsets.UTF_8));
      out.flush();
    };
  }

  private static String ok(String body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length()
        + "\r\nConnection: close\r\n\r\n"
        + body;
  }

  private static ProbeResult probe(ProbeSpec.Http spec, int timeoutMs) throws Exception {
    return new HttpProbe(spec, NetNamespace.process())
        .run(ProbeTarget.of("127.0.0.1", timeoutMs))
        .get();
  }

  @Test
  void theExpectedStatusAndBodyAreAReply() throws Exception {
    int port = serve(http(ok("{\"hello\":\"world\"}")));
    ProbeResult r = probe(new ProbeSpec.Http(port, false, "/hello", 200, "world"), 1000);
    assertThat(r.status()).as(r.evidence().toString()).isEqualTo(ProbeStatus.REPLY);
    assertThat(r.probe()).isEqualTo("http:" + port + "/hello");
    assertThat(requests.get(0))
        .startsWith("GET /hello HTTP/1.1")
        .contains("host: 127.0.0.1:" + port)
        .containsIgnoringCase("user-agent: netprobe");
    assertThat(r.evidence())
        .anyMatch(e -> e.startsWith("HTTP/1.1 200 OK") && e.contains("{\"hello\":\"world\"}"));
    assertThat(r.timings()).extracting(Timing::step).contains("handshake", "request", "response");
  }

  @Test
  void anotherStatusThanTheExpectedOneIsHttpStatusWithTheStatusLine() throws Exception {
    int port = serve(http("HTTP/1.0 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found"));
    ProbeResult r = probe(new ProbeSpec.Http(port, false, "/missing"), 1000);
    assertThat(r.status()).isEqualTo(ProbeStatus.HTTP_STATUS);
    assertThat(r.evidence())
        .anyMatch(e -> e.startsWith("HTTP/1.0 404 Not Found") && e.contains("'not found'"))
        .anyMatch(e -> e.contains("expects status 2xx or 3xx, not 404"));
  }

  @Test
  void aRedirectPassesByDefaultAndNotWhenAStatusIsAsked() throws Exception {
    int port = serve(http("HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n"));
    assertThat(probe(new ProbeSpec.Http(port, false, "/"), 1000).status())
        .isEqualTo(ProbeStatus.REPLY);
    ProbeResult strict = probe(new ProbeSpec.Http(port, false, "/", 200, null), 1000);
    assertThat(strict.status()).isEqualTo(ProbeStatus.HTTP_STATUS);
    assertThat(strict.evidence()).anyMatch(e -> e.contains("Location: /login"));
  }

  @Test
  void aBodyWithoutTheExpectedTextIsBodyMismatch() throws Exception {
    int port = serve(http(ok("{\"hello\":\"moon\"}")));
    ProbeResult r = probe(new ProbeSpec.Http(port, false, "/", 0, "world"), 1000);
    assertThat(r.status()).isEqualTo(ProbeStatus.BODY_MISMATCH);
    assertThat(r.evidence()).anyMatch(e -> e.contains("does not hold the expected text 'world'"));
  }

  @Test
  void anSshServerIsNotHttpAndItsFirstBytesAreQuoted() throws Exception {
    int port =
        serve(
            s -> {
              s.getOutputStream()
                  .write("SSH-2.0-OpenSSH_9.2p1\r\n".getBytes(StandardCharsets.US_ASCII));
              s.getOutputStream().flush();
              s.getInputStream().read(new byte[256]);
              Thread.sleep(100);
            });
    ProbeResult r = probe(new ProbeSpec.Http(port, false, "/"), 1000);
    assertThat(r.status()).as(r.evidence().toString()).isEqualTo(ProbeStatus.NOT_HTTP);
    assertThat(r.evidence()).anyMatch(e -> e.contains("'SSH-2.0-OpenSSH_9.2p1\\r\\n'"));
  }

  @Test
  void aPortThatAcceptsAndStaysSilentIsNotHttpAfterTheTimeout() throws Exception {
    int port = serve(s -> Thread.sleep(2000));
    ProbeResult r = probe(new ProbeSpec.Http(port, false, "/"), 300);
    assertThat(r.status()).isEqualTo(ProbeStatus.NOT_HTTP);
    assertThat(r.evidence()).anyMatch(e -> e.contains("no byte came back within 300 ms"));
  }

  @Test
  void aFarEndThatClosesBeforeAByteIsClosedAsForTcp() throws Exception {
    int port = serve(s -> {});
    ProbeResult r = probe(new ProbeSpec.Http(port, false, "/"), 1000);
    assertThat(r.status()).isEqualTo(ProbeStatus.CLOSED);
    assertThat(r.evidence()).anyMatch(e -> e.contains("closed the connection"));
  }

  @Test
  void nothingListeningIsRefusedAsForTcp() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertThat(probe(new ProbeSpec.Http(closed, false, "/"), 1000).status())
        .isEqualTo(ProbeStatus.REFUSED);
  }

  @Test
  void httpsRecordsTheCertificateAndReadsTheResponse(@TempDir Path dir) throws Exception {
    int port = serve(tlsServer(dir), http(ok("secure")));
    ProbeResult r = probe(new ProbeSpec.Http(port, true, "/", 200, "secure"), 3000);
    assertThat(r.status()).as(r.evidence().toString()).isEqualTo(ProbeStatus.REPLY);
    assertThat(r.probe()).isEqualTo("https:" + port);
    assertThat(r.evidence())
        .anyMatch(e -> e.startsWith("TLS handshake: TLSv1.") && e.contains("CN=np-lab"));
  }

  @Test
  void httpsToAPlainHttpServerIsTlsFailed() throws Exception {
    // busybox httpd's way with a request it cannot read: 400 at once
    int port =
        serve(
            s -> {
              s.getInputStream().read(new byte[512]);
              s.getOutputStream()
                  .write("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            });
    ProbeResult r = probe(new ProbeSpec.Http(port, true, "/"), 1000);
    assertThat(r.status()).as(r.evidence().toString()).isEqualTo(ProbeStatus.TLS_FAILED);
    assertThat(r.evidence())
        .anyMatch(e -> e.startsWith("TLS handshake failed"))
        .anyMatch(e -> e.contains("'HTTP/1.0 400 Bad Request"));
  }

  @Test
  void httpsToAPortThatStaysSilentIsTlsFailedAfterTheTimeout() throws Exception {
    int port = serve(s -> Thread.sleep(2000));
    ProbeResult r = probe(new ProbeSpec.Http(port, true, "/"), 300);
    assertThat(r.status()).isEqualTo(ProbeStatus.TLS_FAILED);
    assertThat(r.evidence()).anyMatch(e -> e.contains("had not completed 300 ms"));
  }

  @Test
  void theLabelIsTheProbeAsWritten() {
    assertThat(new ProbeSpec.Http(80, false, "/").label()).isEqualTo("http:80");
    assertThat(new ProbeSpec.Http(5000, false, "/a/B?x=1").label()).isEqualTo("http:5000/a/B?x=1");
    assertThat(new ProbeSpec.Http(8443, true, "/").toPort(443).label()).isEqualTo("https:443");
  }

  /** A TLS server socket with a fresh self-signed key (keytool, the JDK's own). */
  private static ServerSocket tlsServer(Path dir) throws Exception {
    Path store = dir.resolve("lab.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "lab",
                "-keyalg",
                "EC",
                "-dname",
                "CN=np-lab",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    SSLServerSocket s = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0);
    return s;
  }
}

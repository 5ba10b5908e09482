package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The http probe against real servers in a lab of its own: a client namespace and a server
 * namespace on one link, the server running busybox httpd (plain HTTP on 8080), openssl s_server
 * (HTTPS on 8443, a fresh self-signed certificate) and OpenSSH's sshd (2222). Each test breaks the
 * server one way (a page changed or removed, TLS asked of a plain server, a port that speaks SSH,
 * the server stopped) and sees the disposition name the layer that failed.
 */
class HttpIT {
  private static final String SETUP =
      """
      set -e
      ip route add unreachable 10.248.0.0/24 metric 4248
      ip netns add np-ht-cl
      ip netns add np-ht-srv
      ip -n np-ht-cl link add eth0 type veth peer name eth0 netns np-ht-srv
      ip -n np-ht-cl addr add 10.248.0.1/24 dev eth0
      ip -n np-ht-srv addr add 10.248.0.2/24 dev eth0
      for ns in np-ht-cl np-ht-srv; do
        ip -n $ns link set eth0 up
        ip -n $ns link set lo up
        ip netns exec $ns sysctl -qw net.ipv4.ping_group_range="0 2147483647"
      done
      """;
  private static final String TEARDOWN =
      """
      for ns in np-ht-cl np-ht-srv; do
        pids=$(ip netns pids $ns 2>/dev/null); [ -n "$pids" ] && kill $pids 2>/dev/null
        ip netns del $ns 2>/dev/null
      done
      ip route del unreachable 10.248.0.0/24 metric 4248 2>/dev/null
      exit 0
      """;
  private static final String NODES =
      """
      name: http lab
      defaults: { timeout: 2s, retries: 0 }
      nodes:
        cl: { kind: netns, netns: np-ht-cl, addresses: { lan: 10.248.0.1 } }
        srv: { kind: netns, netns: np-ht-srv, addresses: { lan: 10.248.0.2 } }
      checks:
      """;

  private static Path dir;
  private static final List<Process> servers = new ArrayList<>();
  private static Process httpd;

  @BeforeAll
  static void up() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
    LabFixture.sh("bash", "-c", SETUP);
    dir = Files.createTempDirectory("np-ht-");
    Path www = Files.createDirectories(dir.resolve("www"));
    Files.writeString(www.resolve("index.html"), "hello world\n");
    Files.writeString(www.resolve("page.html"), "a page\n");
    LabFixture.sh(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=np-ht-srv",
        "-keyout",
        dir.resolve("key.pem").toString(),
        "-out",
        dir.resolve("cert.pem").toString());
    LabFixture.sh(
        "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host").toString());
    httpd = startHttpd();
    servers.add(
        inServer(
            "openssl",
            "s_server",
            "-quiet",
            "-accept",
            "8443",
            "-www",
            "-cert",
            dir.resolve("cert.pem").toString(),
            "-key",
            dir.resolve("key.pem").toString()));
    servers.add(
        inServer(
            "/usr/sbin/sshd",
            "-D",
            "-e",
            "-p",
            "2222",
            "-h",
            dir.resolve("host").toString(),
            "-o",
            "PidFile=none",
            "-o",
            "UsePAM=no"));
    waitForListeners(8080, 8443, 2222);
  }

  @AfterAll
  static void down() throws Exception {
    for (Process p : servers) {
      p.destroy();
    }
    if (httpd != null) {
      httpd.destroy();
    }
    LabFixture.sh("bash", "-c", TEARDOWN);
    if (dir != null) {
      LabFixture.sh("rm", "-rf", dir.toString());
    }
  }

  private static Process startHttpd() throws Exception {
    return inServer("busybox", "httpd", "-f", "-p", "8080", "-h", dir.resolve("www").toString());
  }

  private static Process inServer(String... command) throws Exception {
    List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", "np-ht-srv"));
    c.addAll(List.of(command));
    return new ProcessBuilder(c)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(Path.of(command[0]).getFileName() + ".log").toFile())
        .start();
  }

  private static void waitForListeners(int... ports) throws Exception {
    for (int i = 0; i < 100; i++) {
      Process ss = new ProcessBuilder("ip", "netns", "exec", "np-ht-srv", "ss", "-ltnH").start();
      String listening = new String(ss.getInputStream().readAllBytes());
      ss.waitFor();
      boolean all = true;
      for (int port : ports) {
        all &= listening.contains(":" + port + " ");
      }
      if (all) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the servers of the http lab did not start; see " + dir);
  }

  private static RunResult run(String... checks) throws Exception {
    return LabRun.run(NODES, checks);
  }

  private static void is(CheckResult c, Disposition d) {
    assertThat(c.verdict().disposition()).as(said(c)).isEqualTo(d);
  }

  @Test
  void aPageWhoseTextChangesGoesFromReachedToBodyMismatch() throws Exception {
    String check = "{ from: cl, to: srv, probe: http:8080, body: world, expect: pass }";
    CheckResult before = cell(run(check), "cl->srv http:8080");
    is(before, Disposition.REACHED);
    assertThat(before.verdict().reason()).contains("answered GET / with 200 OK");
    Path index = dir.resolve("www/index.html");
    Files.writeString(index, "goodbye moon\n");
    try {
      CheckResult after = cell(run(check), "cl->srv http:8080");
      is(after, Disposition.BODY_MISMATCH);
      assertThat(after.outcome()).isEqualTo(Outcome.UNEXPECTED);
      assertThat(after.verdict().reason())
          .contains("answered 200 OK to GET /", "does not hold 'world'", "it begins 'goodbye moon");
    } finally {
      Files.writeString(index, "hello world\n");
    }
  }

  @Test
  void aPageRemovedIsHttpStatusWithTheStatusLine() throws Exception {
    String check = "{ from: cl, to: srv, probe: http:8080/page.html, expect: pass }";
    is(cell(run(check), "cl->srv http:8080/page.html"), Disposition.REACHED);
    Path page = dir.resolve("www/page.html");
    Files.delete(page);
    try {
      CheckResult gone = cell(run(check), "cl->srv http:8080/page.html");
      is(gone, Disposition.HTTP_STATUS);
      assertThat(gone.verdict().reason())
          .contains("answered 404 Not Found to GET /page.html", "expects 2xx or 3xx");
      assertThat(gone.verdict().hint()).contains("has no /page.html");
    } finally {
      Files.writeString(page, "a page\n");
    }
  }

  @Test
  void httpsReachesTheTlsServerAndFailsAtTlsOnThePlainOne() throws Exception {
    RunResult r =
        run(
            "{ from: cl, to: srv, probe: https:8443, expect: pass }",
            "{ from: cl, to: srv, probe: https:8080, expect: pass }");
    CheckResult tls = cell(r, "cl->srv https:8443");
    is(tls, Disposition.REACHED);
    assertThat(said(tls)).contains("TLS handshake: TLSv1.3", "CN=np-ht-srv", "not verified");
    CheckResult plain = cell(r, "cl->srv https:8080");
    is(plain, Disposition.TLS_FAILED);
    assertThat(plain.verdict().reason()).contains("was accepted, but the TLS handshake failed");
    assertThat(plain.verdict().hint()).contains("a plain HTTP server answers", "http:8080");
  }

  @Test
  void anSshServerIsNotHttp() throws Exception {
    CheckResult c =
        cell(run("{ from: cl, to: srv, probe: http:2222, expect: pass }"), "cl->srv http:2222");
    is(c, Disposition.NOT_HTTP);
    assertThat(c.verdict().reason())
        .contains("not an HTTP server", "'SSH-2.0-OpenSSH", "an SSH server");
  }

  @Test
  void theServerStoppedIsRefusedAtTheTcpLayer() throws Exception {
    String check = "{ from: cl, to: srv, probe: http:8080, expect: pass }";
    httpd.destroy();
    assertThat(httpd.waitFor(5, TimeUnit.SECONDS)).isTrue();
    try {
      CheckResult c = cell(run(check), "cl->srv http:8080");
      is(c, Disposition.REFUSED);
      assertThat(c.verdict().reason()).contains("nothing listens on port 8080");
    } finally {
      httpd = startHttpd();
      waitForListeners(8080);
    }
  }
}

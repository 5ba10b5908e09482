package io.netprobe.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.cli.lab.DemoLab;
import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.Options;
import io.netprobe.report.ReportFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package, started here on loopback with a configuration of its own)
 * scrapes a watch of the demo lab's bridged VM every second: it sees both cells up, then, once the
 * VM's firewall drops ping, the ping cell down and its flip counted.
 */
class WatchPrometheusIT {
  private static final String MATRIX =
      """
      name: bridged VM, watched
      defaults: { timeout: 1s, retries: 0 }
      nodes:
        pc: { kind: netns, netns: np-pc, addresses: { lan: { ip: 10.1.5.90, path: direct } } }
        vm-br: { kind: netns, netns: np-vm-br, addresses: { lan: { ip: 10.1.5.91, path: bridged } } }
      checks:
        - { from: pc, to: vm-br, probe: icmp, expect: pass }
        - { from: pc, to: vm-br, probe: "tcp:22", expect: pass }
      """;
  private static final String[] DROP = {
    "ip",
    "netns",
    "exec",
    "np-vm-br",
    "iptables",
    "-I",
    "INPUT",
    "-p",
    "icmp",
    "--icmp-type",
    "echo-request",
    "-j",
    "DROP"
  };

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @BeforeAll
  static void labUp() {
    new DemoLab(new PrintWriter(System.err, true)).up();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Asks Prometheus until {@code done} holds for the query's result vector (30 s at most). */
  private JsonNode query(int port, String promql, Predicate<JsonNode> done) throws Exception {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        var r =
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        last = new ObjectMapper().readTree(r.body()).path("data").path("result");
        if (done.test(last)) {
          return last;
        }
      } catch (java.io.IOException e) {
        // Prometheus still starting
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Prometheus never answered '" + promql + "' as expected: " + last);
  }

  private static double value(JsonNode sample) {
    return Double.parseDouble(sample.path("value").path(1).asText("NaN"));
  }

  @Test
  void prometheusScrapesTheWatchAndSeesTheFlip() throws Exception {
    Matrix matrix = MatrixLoader.load(MATRIX, "watched.yaml");
    var settings =
        new Watcher.Settings(
            Duration.ofMillis(500),
            0,
            dir.resolve("out"),
            EnumSet.of(ReportFormat.JSON),
            Options.INSTRUCTOR);
    int promPort = freePort();
    Process prometheus = null;
    try (Watcher watcher =
            new Watcher(
                matrix, "watched.yaml", false, settings, new PrintWriter(new StringWriter()));
        MetricsServer metrics =
            MetricsServer.start(
                new InetSocketAddress("127.0.0.1", 0), watcher.state()::prometheus)) {
      try (Watching running = new Watching(watcher)) {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
            config,
            "global: { scrape_interval: 1s, evaluation_interval: 1s }\n"
                + "scrape_configs:\n"
                + "  - job_name: netprobe\n"
                + "    static_configs: [ { targets: ['127.0.0.1:"
                + metrics.address().getPort()
                + "'] } ]\n");
        prometheus =
            new ProcessBuilder(
                    "prometheus",
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + promPort,
                    "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        query(promPort, "up{job=\"netprobe\"}", r -> r.size() == 1 && value(r.get(0)) == 1);
        query(
            promPort,
            "netprobe_cell_up",
            r -> r.size() == 2 && value(r.get(0)) == 1 && value(r.get(1)) == 1);
        LabFixture.sh(DROP);
        try {
          JsonNode flips =
              query(
                  promPort,
                  "netprobe_cell_flips_total{check=\"pc->vm-br icmp\"}",
                  r -> r.size() == 1 && value(r.get(0)) >= 1);
          assertThat(flips.get(0).path("metric").path("to").asText()).isEqualTo("vm-br");
          query(
              promPort,
              "netprobe_cell_disposition{check=\"pc->vm-br icmp\",disposition=\"DROPPED_AT_TARGET\"}",
              r -> r.size() == 1 && value(r.get(0)) == 1);
          query(
              promPort,
              "netprobe_cell_up{check=\"pc->vm-br tcp:22\"}",
              r -> r.size() == 1 && value(r.get(0)) == 1);
        } finally {
          DROP[5] = "-D";
          LabFixture.sh(DROP);
          DROP[5] = "-I";
        }
        JsonNode rtt =
            query(
                promPort,
                "netprobe_cell_rtt_seconds_count{check=\"pc->vm-br tcp:22\"}",
                r -> r.size() == 1 && value(r.get(0)) >= 2);
        assertThat(value(rtt.get(0))).isGreaterThanOrEqualTo(2);
      }
    } finally {
      if (prometheus != null) {
        prometheus.destroy();
        prometheus.waitFor();
      }
    }
  }
}

package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.cli.docker.DockerClients;
import io.netprobe.cli.lab.DemoLab;
import io.netprobe.cli.lab.DockerLab;
import io.netprobe.matrix.Address;
import io.netprobe.matrix.Disposition;
import io.netprobe.matrix.Expectation;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code netprobe discover docker} on the real dockerd, against the demo lab's containers: np-ct1
 * and np-ct2 on docker0, np-front (publishes 50000) and np-back (exposes 50000 only) on np-compose.
 * The discovered expectations are Docker's rules, and running them shows the network agrees.
 *
 * <p>The lab is brought up if it is down and left as it is at the end (LabFixture's convention: the
 * suite takes it down once, at its end), since other lab tests may use it meanwhile. This test
 * creates no container and no network of its own.
 */
class DiscoverDockerIT {
  private static final Expectation DROPPED = new Expectation.Exactly(Disposition.DROPPED_ON_PATH);

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void labUp() {
    new DemoLab(new PrintWriter(System.err, true)).up(); // does little when it is up
  }

  private int netprobe(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void theDemoLabsContainersGetDockersRules(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("docker.yaml");
    assertThat(netprobe("discover", "docker", "--name-prefix", "np-", "-o", file.toString()))
        .as(err.toString())
        .isZero();
    Matrix m = MatrixLoader.load(file);
    String yaml = Files.readString(file);

    assertThat(m.node("front").orElseThrow().addresses().get("np-compose").ip())
        .isEqualTo("192.168.1.2");
    try (var docker = DockerClients.connect()) {
      String ct1 = new DockerLab(docker, new PrintWriter(System.err, true)).address("np-ct1");
      assertThat(m.node("np-ct1").orElseThrow().addresses().get("docker0").ip()).isEqualTo(ct1);
    }

    assertThat(m.check("front->back.np-compose tcp:50000").orElseThrow().expect())
        .isEqualTo(Expectation.PASS);
    assertThat(yaml).contains("  # same network np-compose: containers of one network reach");

    for (String probe : List.of("icmp", "tcp:50000")) {
      assertThat(m.check("np-ct1->front.np-compose " + probe).orElseThrow().expect())
          .as("docker0 -> np-compose: Docker's isolation")
          .isEqualTo(DROPPED);
    }

    assertThat(m.check("local->front.published tcp:50000").orElseThrow().expect())
        .isEqualTo(Expectation.PASS);
    Address published = m.node("front").orElseThrow().addresses().get("published");
    assertThat(published.ip()).isEqualTo("127.0.0.1");
    assertThat(published.wirePort(50000)).isEqualTo(50000);

    assertThat(m.check("local->np-ct1.unpublished tcp:80").orElseThrow().expect())
        .as("np-ct1 exposes 80 and publishes nothing")
        .isEqualTo(Expectation.FAIL);
    assertThat(m.check("local->back.unpublished tcp:50000"))
        .as("the host's 50000 is front's: a check there would reach front, not back")
        .isEmpty();
    assertThat(yaml).contains("# - np-back exposes tcp/50000 and does not publish it");

    assertThat(yaml)
        .as("no --internet-target: nothing leaves the machine")
        .doesNotContain("internet");
  }

  @Test
  void aComposeProjectIsDiscoveredByItsLabelsWithItsServicesAsNodes(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("demo.yaml");
    assertThat(netprobe("discover", "docker", "--project", "demo", "-o", file.toString()))
        .as(err.toString())
        .isZero();
    Matrix m = MatrixLoader.load(file);
    assertThat(m.nodes().keySet()).contains("front", "back", "db", "cache", "worker");
    assertThat(m.nodes().keySet()).doesNotContain("np-ct1", "np-ct2");
    assertThat(m.node("worker").orElseThrow().addresses().get("np-compose").ip())
        .isEqualTo("192.168.1.6");
    assertThat(m.check("db->cache.np-compose tcp:50000").orElseThrow().expect())
        .isEqualTo(Expectation.PASS);
  }

  @Test
  void runningTheDiscoveredMatrixFindsEveryExpectationMet(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("docker.yaml");
    Path reports = dir.resolve("reports");
    List<String> args =
        new ArrayList<>(
            List.of(
                "discover",
                "docker",
                "--name-prefix",
                "np-",
                "-o",
                file.toString(),
                "--run",
                "--format",
                "json",
                "--out",
                reports.toString(),
                "--no-progress"));
    boolean labInternet = labInternetIsRouted();
    if (labInternet) {
      // the demo lab's simulated internet server, routed into the lab's np-inet namespace only
      args.addAll(List.of("--internet-target", "203.0.113.10:80"));
    }
    int exit = netprobe(args.toArray(String[]::new));

    JsonNode run = new ObjectMapper().readTree(reports.resolve("run.json").toFile());
    List<String> notOk = new ArrayList<>();
    for (JsonNode c : run.get("checks")) {
      if (!c.get("outcome").asText().equals("OK")) {
        notOk.add(c.get("id").asText() + ": " + c.get("outcome").asText() + " " + c.get("reason"));
      }
    }
    assertThat(notOk).as("cells whose expectation the network did not meet").isEmpty();
    assertThat(exit).as(err.toString()).isZero();
    assertThat(disposition(run, "np-ct1->front.np-compose tcp:50000")).isEqualTo("DROPPED_ON_PATH");
    assertThat(disposition(run, "local->front.published tcp:50000")).isEqualTo("REACHED");
    assertThat(disposition(run, "local->np-ct1.unpublished tcp:80")).isEqualTo("REFUSED");
    assertThat(disposition(run, "front->back.np-compose tcp:50000")).isEqualTo("REACHED");
    if (labInternet) {
      assertThat(disposition(run, "np-ct1->internet.target tcp:80")).isEqualTo("REACHED");
    }
  }

  private static String disposition(JsonNode run, String id) {
    for (JsonNode c : run.get("checks")) {
      if (c.get("id").asText().equals(id)) {
        return c.get("disposition").asText();
      }
    }
    throw new AssertionError("no check " + id + " in the run");
  }

  /** True when this machine routes 203.0.113.10 into the lab (np-inet), never out of it. */
  private static boolean labInternetIsRouted() throws Exception {
    Process p = new ProcessBuilder("ip", "route", "get", "203.0.113.10").start();
    String route = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0 && route.contains(" dev np-inet ");
  }
}

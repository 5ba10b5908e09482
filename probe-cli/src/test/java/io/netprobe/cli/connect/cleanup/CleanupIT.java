package io.netprobe.cli.connect.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.netprobe.cli.CleanupCommand;
import io.netprobe.cli.connect.ConnectLab;
import io.netprobe.cli.connect.ConnectOptions;
import io.netprobe.cli.connect.DockerNodeConnector;
import io.netprobe.cli.connect.HoldConnections;
import io.netprobe.cli.connect.NetnsNodeConnector;
import io.netprobe.cli.connect.NodeTarget;
import io.netprobe.cli.connect.artefact.AgentImage;
import io.netprobe.cli.connect.artefact.RuntimeImage;
import io.netprobe.cli.connect.session.AgentSession;
import io.netprobe.cli.docker.DockerClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A run killed with SIGINT removes its agents itself (shutdown hook); after a SIGKILL, {@code
 * netprobe cleanup} does. Either way nothing of the run is left: no agent process, no sidecar, no
 * half-uploaded file.
 */
class CleanupIT {
  private static DockerClient docker;

  @BeforeAll
  static void labUp() {
    ConnectLab.ensureUp();
    docker = DockerClients.connect();
  }

  @AfterAll
  static void close() throws IOException {
    docker.close();
  }

  /** What a run left: agent processes, sidecars, half uploads, local runtime build dirs. */
  private record Left(long processes, long containers, long tempFiles) {
    long total() {
      return processes + containers + tempFiles;
    }
  }

  private static Left left(String runId) throws IOException {
    long processes;
    try (Stream<ProcessHandle> ps = ProcessHandle.allProcesses()) {
      processes =
          ps.filter(p -> Cleanup.cmdline(p.pid()).contains("-Dnetprobe.run=" + runId)).count();
    }
    long containers =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(DockerNodeConnector.RUN_LABEL, runId))
            .exec()
            .size();
    long temp = 0;
    for (Path root : List.of(ConnectLab.STATE.resolve("home"), RuntimeImage.cacheRoot())) {
      if (Files.exists(root)) {
        try (Stream<Path> all = Files.walk(root)) {
          temp +=
              all.filter(
                      p ->
                          p.toString().contains(".np-part-" + runId)
                              || p.getFileName().toString().startsWith("np-runtime-"))
                  .count();
        }
      }
    }
    return new Left(processes, containers, temp);
  }

  private static Process startRun(String runId) throws IOException {
    Process run =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HoldConnections.class.getName(),
                runId)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(run.getInputStream()));
    String ready = out.readLine();
    assertThat(ready).as("the run connected its 4 nodes").startsWith("READY 4 {}");
    return run;
  }

  private static Left awaitNothingLeft(String runId) throws Exception {
    Left now = left(runId);
    for (int i = 0; i < 100 && now.total() > 0; i++) {
      Thread.sleep(100);
      now = left(runId);
    }
    return now;
  }

  @Test
  void runInterruptedWithSigintLeavesNothing() throws Exception {
    String runId = "it-sigint";
    assertThat(left(runId).total()).isZero();
    Process run = startRun(runId);
    Left during = left(runId);
    assertThat(during.processes()).as("local, netns and ssh agents").isGreaterThanOrEqualTo(3);
    assertThat(during.containers()).as("the sidecar").isEqualTo(1);

    new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();

    assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(awaitNothingLeft(runId)).isEqualTo(new Left(0, 0, 0));
  }

  @Test
  void cleanupAfterSigkillLeavesNothing() throws Exception {
    String runId = "it-sigkill";
    assertThat(left(runId).total()).isZero();
    Process run = startRun(runId);
    assertThat(left(runId).total()).isGreaterThanOrEqualTo(4);

    run.destroyForcibly().waitFor();
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new CleanupCommand());
    cli.setOut(new PrintWriter(out));
    int exit = cli.execute();

    assertThat(exit).isZero();
    System.err.println("cleanup said: " + out);
    assertThat(awaitNothingLeft(runId)).isEqualTo(new Left(0, 0, 0));
  }

  @Test
  void cleanupRemovesOrphanAgentsAndSidecarsButNotLiveOnes() throws Exception {
    String runId = "it-orphan";
    ConnectOptions o = ConnectLab.options(runId);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    new ProcessBuilder(
            "sh",
            "-c",
            "sleep 60 | "
                + java
                + " -Dnetprobe.run="
                + runId
                + " -jar "
                + o.jar()
                + " --stdio >/dev/null 2>&1 &")
        .start()
        .waitFor();
    String image = AgentImage.ensure(docker, o);
    String sidecar =
        docker
            .createContainerCmd(image)
            .withName(DockerNodeConnector.PREFIX + "orphan-" + runId)
            .withCmd(AgentImage.JAVA, "-Dnetprobe.run=" + runId, "-jar", AgentImage.JAR, "--stdio")
            .withLabels(
                Map.of(
                    DockerNodeConnector.RUN_LABEL,
                    runId,
                    DockerNodeConnector.OWNER_LABEL,
                    "999999999@0"))
            .withStdinOpen(true)
            .withHostConfig(
                com.github.dockerjava.api.model.HostConfig.newHostConfig()
                    .withNetworkMode("none")
                    .withReadonlyRootfs(true)
                    .withTmpFs(Map.of("/tmp", "rw,exec,size=64m")))
            .exec()
            .getId();
    docker.startContainerCmd(sidecar).exec();
    try (AgentSession live =
        new NetnsNodeConnector()
            .connect("pc", new NodeTarget.Netns("np-pc", false), ConnectLab.options("it-live"))) {
      Left before = left(runId);
      assertThat(before.processes())
          .as("the orphan agent (and the sidecar's)")
          .isGreaterThanOrEqualTo(1);
      assertThat(before.containers()).isEqualTo(1);

      StringWriter out = new StringWriter();
      CommandLine cli = new CommandLine(new CleanupCommand());
      cli.setOut(new PrintWriter(out));
      assertThat(cli.execute()).isZero();

      assertThat(out.toString())
          .contains("removed process")
          .contains("removed container")
          .contains(DockerNodeConnector.PREFIX + "orphan-" + runId);
      assertThat(awaitNothingLeft(runId)).isEqualTo(new Left(0, 0, 0));
      assertThat(live.isOpen()).as("a run still going is left alone").isTrue();
      assertThat(AgentSession.await(live.request("hello", Map.of()), "hello").path("pid").asLong())
          .isPositive();
      assertThat(left("it-live").processes()).isEqualTo(1);
    }
  }
}

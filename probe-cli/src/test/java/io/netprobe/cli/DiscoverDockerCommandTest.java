package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.discover.DiscoverSamples;
import io.netprobe.cli.discover.DockerSetup;
import io.netprobe.cli.error.UserException;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code netprobe discover docker} on a setup built by hand (no Docker engine needed). */
class DiscoverDockerCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Supplier<DockerSetup> engine, String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    DiscoverDockerCommand docker =
        cli.getSubcommands().get("discover").getSubcommands().get("docker").getCommand();
    docker.engine = engine;
    return cli.execute(args);
  }

  @Test
  void writesTheMatrixToStandardOutput() throws Exception {
    assertThat(run(DiscoverSamples::demoLab, "discover", "docker", "--name-prefix", "np-"))
        .isZero();
    Matrix m = MatrixLoader.load(out.toString(), "stdout.yaml", Map.of());
    assertThat(m.check("np-front->np-back.np-compose tcp:50000")).isPresent();
    assertThat(out.toString())
        .startsWith("# Written by `netprobe discover docker --name-prefix np-`.\n");
    assertThat(err.toString()).startsWith("discovered 4 containers on 2 networks: ");
  }

  @Test
  void writesTheMatrixToAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/docker.yaml");
    assertThat(run(DiscoverSamples::demoLab, "discover", "docker", "-o", file.toString())).isZero();
    assertThat(out.toString()).isEmpty();
    assertThat(MatrixLoader.load(file).checks()).isNotEmpty();
    assertThat(err.toString()).contains("written to " + file);
    assertThat(Files.readString(file)).doesNotContain("internet");
  }

  @Test
  void noContainerMatchedIsABadInvocationNamingTheFilters() {
    assertThat(run(DiscoverSamples::demoLab, "discover", "docker", "--project", "shop"))
        .isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString())
        .startsWith("netprobe: no running container matched --project shop; running: np-back");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void noDockerEngineIsOneLineThatSaysHowToStartIt() {
    Supplier<DockerSetup> none =
        () -> {
          throw new UserException(
              "no Docker engine answers at unix:///var/run/docker.sock (RuntimeException); run"
                  + " scripts/setup, which starts dockerd, or set DOCKER_HOST",
              ExitCode.ERROR);
        };
    assertThat(run(none, "discover", "docker")).isEqualTo(ExitCode.ERROR.code());
    assertThat(err.toString().strip()).doesNotContain("\n").contains("starts dockerd");
  }

  @Test
  void aBadInternetTargetIsABadInvocationBeforeDockerIsAsked() {
    Supplier<DockerSetup> unused =
        () -> {
          throw new AssertionError("the engine must not be read");
        };
    assertThat(run(unused, "discover", "docker", "--internet-target", "example.com"))
        .isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString()).contains("--internet-target example.com: give an IPv4 address");
  }

  @Test
  void discoverAloneShowsItsUsage() {
    assertThat(run(DiscoverSamples::demoLab, "discover")).isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString()).contains("docker");
  }
}

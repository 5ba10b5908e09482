package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher at the repository's root, as a user runs it: its JVM options start a JVM (a flag
 * this JDK or kernel refused would fail every command), the first command that probes writes the
 * class archive beside the jar, and the next one starts from it. Probes only this machine's
 * loopback.
 */
class LauncherIT {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path CDS = ROOT.resolve("probe-cli/target/cds");

  @Test
  void theLauncherRunsACheckWritesItsArchiveBesideTheJarAndStartsFromIt() throws Exception {
    deleteArchives();
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String target = "127.0.0.1:" + listening.getLocalPort();
      Result first = launch("check", "local", target, "tcp", "--no-progress");
      assertThat(first.code()).as(first.text()).isZero();
      assertThat(first.text()).contains("local -> " + target + " tcp:").contains(": reached");
      assertThat(archives()).as("written at the first check's exit").hasSize(1);

      Result second = launch("check", "local", target, "tcp", "--no-progress");
      assertThat(second.code()).as(second.text()).isZero();
      assertThat(second.text()).contains(": reached").doesNotContainIgnoringCase("warning");
      assertThat(archives()).as("the same archive, kept").hasSize(1);
    }
  }

  private record Result(int code, String text) {}

  private static Result launch(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("netprobe").toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("np-launcher", ".txt");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the launcher did not finish in 120 s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static List<Path> archives() throws IOException {
    if (!Files.isDirectory(CDS)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(CDS)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
    }
  }

  private static void deleteArchives() throws IOException {
    for (Path archive : archives()) {
      Files.delete(archive);
    }
  }
}

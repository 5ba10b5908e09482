package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The launcher at the repository's root, as a user runs it: it picks a JVM (25 or later when the
 * machine has one, for its AOT cache; else java on the PATH, or $NETPROBE_JAVA), its JVM options
 * start it (a flag this JDK or kernel refused would fail every command), the first command that
 * probes writes the class cache beside the jar, and the next one starts from it. Probes only this
 * machine's loopback.
 */
class LauncherIT {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path CDS = ROOT.resolve("probe-cli/target/cds");

  @Test
  void theLauncherRunsACheckWritesItsCacheBesideTheJarAndStartsFromIt() throws Exception {
    deleteArchives();
    String kind = newestJdk() >= 25 ? ".aot" : ".jsa"; // as the launcher picks, the PATH's or newer
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String target = "127.0.0.1:" + listening.getLocalPort();
      Result first = launch(Map.of(), "check", "local", target, "tcp", "--no-progress");
      assertThat(first.code()).as(first.text()).isZero();
      assertThat(first.text())
          .contains("local -> " + target + " tcp:")
          .contains(": reached")
          .as("the JVM's notes on its cache stay out of the output")
          .doesNotContain("AOTConfiguration")
          .doesNotContainIgnoringCase("warning");
      assertThat(archives(kind)).as("written after the first check").hasSize(1);

      Result second = launch(Map.of(), "check", "local", target, "tcp", "--no-progress");
      assertThat(second.code()).as(second.text()).isZero();
      assertThat(second.text()).contains(": reached").doesNotContainIgnoringCase("warning");
      assertThat(archives(kind)).as("the same cache, kept").hasSize(1);
    }
  }

  @Test
  void netprobeJavaPicksTheJvmAndEachJdkKeepsItsOwnCache() throws Exception {
    deleteArchives();
    // the JVM that runs this test (Maven's, 17 here): an AppCDS archive before 25, else an AOT
    // cache
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    String kind = Runtime.version().feature() >= 25 ? ".aot" : ".jsa";
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String target = "127.0.0.1:" + listening.getLocalPort();
      Map<String, String> env = Map.of("NETPROBE_JAVA", java.toString());
      Result first = launch(env, "check", "local", target, "tcp", "--no-progress");
      assertThat(first.code()).as(first.text()).isZero();
      assertThat(first.text()).contains(": reached").doesNotContainIgnoringCase("warning");
      assertThat(archives(kind)).as("written for " + java).hasSize(1);

      Result other = launch(Map.of(), "check", "local", target, "tcp", "--no-progress");
      assertThat(other.code()).as(other.text()).isZero();
      Result again = launch(env, "check", "local", target, "tcp", "--no-progress");
      assertThat(again.code()).as(again.text()).isZero();
      assertThat(archives(kind)).as("not thrown away by the other JVM's run").hasSize(1);
    }
  }

  /**
   * A cache a {@code check} recorded has the classes of a check or two, and a big run started from
   * it was half again as slow: the next {@code run} records it again, once.
   */
  @Test
  void aCacheACheckRecordedIsRecordedAgainByTheNextRunOnce() throws Exception {
    deleteArchives();
    String kind = newestJdk() >= 25 ? ".aot" : ".jsa";
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String target = "127.0.0.1:" + listening.getLocalPort();
      Result check = launch(Map.of(), "check", "local", target, "tcp", "--no-progress");
      assertThat(check.code()).as(check.text()).isZero();
      assertThat(archives(kind)).hasSize(1);
      Path cache = archives(kind).get(0);
      Path marker = cache.resolveSibling(cache.getFileName() + ".check");
      assertThat(marker).as("marked as a check's").exists();

      Path matrix = Files.createTempFile("np-launcher", ".yaml");
      try {
        Files.writeString(
            matrix,
            "name: small\nnodes: { pc: { kind: local } }\nchecks:\n"
                + "  - { from: pc, to: 127.0.0.1, probe: \"tcp:"
                + listening.getLocalPort()
                + "\", expect: pass }\n"
                + "  - { from: pc, to: 127.0.0.1, probe: icmp, expect: pass }\n");
        var before = Files.getLastModifiedTime(cache);
        Thread.sleep(1100); // a later modification time, even on a coarse clock
        Result run = launch(Map.of(), "run", matrix.toString(), "--no-progress");
        assertThat(run.code()).as(run.text()).isZero();
        assertThat(marker).as("recorded by the run").doesNotExist();
        assertThat(archives(kind)).hasSize(1);
        var recorded = Files.getLastModifiedTime(archives(kind).get(0));
        assertThat(recorded).isNotEqualTo(before);

        Result again = launch(Map.of(), "run", matrix.toString(), "--no-progress");
        assertThat(again.code()).as(again.text()).isZero();
        assertThat(Files.getLastModifiedTime(archives(kind).get(0)))
            .as("kept from then on")
            .isEqualTo(recorded);
      } finally {
        Files.deleteIfExists(matrix);
      }
    }
  }

  /** The newest JDK the launcher would find: the PATH's java, or one under /usr/lib/jvm. */
  private static int newestJdk() throws IOException {
    int newest = Runtime.version().feature();
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> homes = Files.list(jvms)) {
        for (Path home : homes.toList()) {
          Path release = home.resolve("release");
          if (Files.isExecutable(home.resolve("bin/java")) && Files.isReadable(release)) {
            java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)")
                    .matcher(Files.readString(release));
            if (m.find()) {
              newest = Math.max(newest, Integer.parseInt(m.group(1)));
            }
          }
        }
      }
    }
    return newest;
  }

  private record Result(int code, String text) {}

  private static Result launch(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("netprobe").toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("np-launcher", ".txt");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile());
      builder.environment().remove("NETPROBE_JAVA");
      builder.environment().put("NETPROBE_DAEMON", "0"); // a daemon of this checkout's: not here
      builder.environment().putAll(env);
      Process p = builder.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the launcher did not finish in 120 s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static List<Path> archives(String kind) throws IOException {
    if (!Files.isDirectory(CDS)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(CDS)) {
      return files.filter(f -> f.getFileName().toString().endsWith(kind)).toList();
    }
  }

  private static void deleteArchives() throws IOException {
    for (Path archive : archives("")) {
      Files.delete(archive);
    }
  }
}

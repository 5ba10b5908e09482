package io.netprobe.cli.connect.artefact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java runtime netprobe copies to a node without Java: built with jlink, with its class-data
 * archive, and without a word on netprobe's stdout (which holds the report).
 */
class RuntimeImageIT {
  @TempDir Path cache;

  @Test
  void buildsARuntimeWithItsArchiveAndPrintsNothing() throws Exception {
    Path dir = cache.resolve("runtime");
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      RuntimeImage.ensure(dir, (node, event) -> {});
    } finally {
      System.setOut(stdout);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(dir.resolve("lib/server/classes.jsa")).isNotEmptyFile();
    Process java =
        new ProcessBuilder(dir.resolve("bin/java").toString(), "-Xshare:on", "-version")
            .redirectErrorStream(true)
            .start();
    String version = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(java.exitValue()).as(version).isZero();
    assertThat(Files.isDirectory(dir.resolve("lib"))).isTrue();
  }
}

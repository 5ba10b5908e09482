package io.netprobe.cli.connect.artefact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agent archives of earlier builds go when a new one is made; nothing else in the cache does. */
class ClassDataArchiveTest {
  @TempDir Path cds;

  @Test
  void aNewAgentArchiveRemovesTheOlderOnesOnly() throws Exception {
    Path kept = Files.writeString(cds.resolve("1111111111111111.jsa"), "new");
    Path older = Files.writeString(cds.resolve("2222222222222222.jsa"), "old");
    Path launchers = Files.writeString(cds.resolve("cli-1-2-3.jsa"), "coordinator");
    Path training = Files.writeString(cds.resolve("3333333333333333.jsa.np-part-r1"), "half");

    assertThat(ClassDataArchive.removeOlder(kept)).containsExactly(older);
    assertThat(kept).exists();
    assertThat(older).doesNotExist();
    assertThat(launchers).as("the launcher replaces its own").exists();
    assertThat(training).as("another run's training in progress").exists();
  }
}

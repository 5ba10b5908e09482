package io.netprobe.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonAddressTest {
  @TempDir Path tmp;

  @Test
  void theDirectoryIsTheUsersAloneAndAnOpenOneIsNotTrusted() throws IOException {
    Path dir = tmp.resolve("np-daemons");
    assertThat(DaemonAddress.dir(Map.of("NETPROBE_DAEMON_DIR", dir.toString()))).isEqualTo(dir);
    DaemonAddress.create(dir);
    assertThat(Files.getPosixFilePermissions(dir))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(DaemonAddress.trusted(dir)).isTrue();

    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(DaemonAddress.trusted(dir)).as("others may enter").isFalse();
    assertThatThrownBy(() -> DaemonAddress.create(dir))
        .hasMessageContaining("mode 700")
        .hasMessageContaining("NETPROBE_DAEMON_DIR");
  }

  @Test
  void theAddressIsOnePerBuildDirectoryAndNamespace() throws IOException {
    Path dir = tmp.resolve("d");
    Path socket = DaemonAddress.socket(dir);
    assertThat(socket).isEqualTo(DaemonAddress.socket(dir));
    assertThat(socket.getParent()).isEqualTo(dir);
    assertThat(socket.getFileName().toString()).matches("[0-9a-f]{16}\\.sock");
    assertThat(DaemonAddress.identity())
        .contains(Path.of("").toAbsolutePath().toString())
        .contains("net:[")
        .contains("mnt:[");
  }
}

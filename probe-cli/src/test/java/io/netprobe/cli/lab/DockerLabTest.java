package io.netprobe.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class DockerLabTest {
  @Test
  void labImageHasBusyboxAndAWebServerButNoPingAsInStudentsContainers() throws Exception {
    assumeTrue(Files.exists(Path.of(DockerLab.BUSYBOX)), "busybox-static not installed");
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new ByteArrayInputStream(DockerLab.rootfs()))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        names.add(e.getName());
      }
    }
    assertThat(names).contains("bin/busybox", "bin/sh", "bin/httpd", "www/index.html");
    assertThat(names)
        .noneMatch(n -> n.contains("ping") || n.contains("java") || n.contains("pcap"));
  }

  @Test
  void everyLabContainerIsNamedWithThePrefix() {
    assertThat(DockerLab.BOXES).allMatch(b -> b.name().startsWith("np-"));
    assertThat(DockerLab.NETWORK).startsWith("np-");
  }
}

package io.netprobe.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shell commands the SSH connector sends: every value quoted, sudo only when asked. */
class SshNodeConnectorTest {
  private final ConnectOptions o =
      ConnectOptions.builder()
          .runId("r1")
          .agentJar(Path.of("a.jar"))
          .agentEnv(Map.of("PATH", "/x'y"))
          .build();

  @Test
  void startCommandQuotesEveryValueAndExecsTheAgent() {
    String cmd = SshNodeConnector.command(o, "java", "/h/.cache/j.jar", true, null);

    assertThat(cmd)
        .startsWith("exec sudo -n env PATH='/x'\\''y' 'java' '-Dnetprobe.run=r1' '-Xms8m'")
        .endsWith(" -jar '/h/.cache/j.jar' --stdio")
        .doesNotContain("SharedArchiveFile");
  }

  @Test
  void archiveIsUsedWhenThereAndTrainingRenamesOnlyAFullArchive() {
    assertThat(SshNodeConnector.command(o, "java", "j.jar", false, "-XX:SharedArchiveFile=/a.jsa"))
        .startsWith("exec env ")
        .contains(" '-XX:SharedArchiveFile=/a.jsa' -jar");

    String training = SshNodeConnector.training(o, "java", "j.jar", "/c/a.jsa");

    assertThat(training)
        .startsWith("echo '{\"id\":1,\"op\":\"hello\",\"args\":{}}' | env PATH=")
        .contains("'-XX:ArchiveClassesAtExit=/c/a.jsa.np-part-r1'")
        .contains("if [ -s '/c/a.jsa.np-part-r1' ]; then mv -f '/c/a.jsa.np-part-r1' '/c/a.jsa'")
        .endsWith("rm -f '/c/a.jsa.np-part-r1'");
  }
}

package io.netprobe.cli.connect.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.connect.NodeTarget;
import org.junit.jupiter.api.Test;

/** What the SSH plumbing puts in messages: where a secret came from, never the secret. */
class SshSessionsTest {

  @Test
  void secretsAreScrubbedFromForeignMessages() {
    assertThat(Secrets.scrub("Auth fail for pw hunter2!", "hunter2"))
        .isEqualTo("Auth fail for pw ***!");
    assertThat(Secrets.scrub("nothing", null)).isEqualTo("nothing");
  }

  @Test
  void sshAuthDescriptionNamesTheSourceNotTheSecret() {
    NodeTarget.Ssh t = NodeTarget.Ssh.to("127.0.0.1", 1234, "lab").withPasswordEnv("LAB_PASS");
    assertThat(SshSessions.authDescription(t)).isEqualTo("password from $LAB_PASS");
  }
}

package io.netprobe.agent.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SSH outcomes against a real OpenSSH sshd started in the fixture's own namespace, with its own
 * config, host key and PidFile. The test user {@code nptest} exists only in a passwd/shadow
 * bind-mounted through /etc/netns/NS (the machine's own /etc/passwd is never touched); root logs in
 * by a key from a temporary AuthorizedKeysFile.
 */
class SshIT {
  private static final String PASSWORD = "np-at-Secret-42";
  private static final String SERVER = "10.77.3.2";
  private static NetnsFixture lab;
  private static AgentProcess agent;
  private static Path dir;

  @BeforeAll
  static void up() throws Exception {
    lab = new NetnsFixture("ss");
    try {
      String cli = lab.create("cli");
      String srv = lab.create("srv");
      lab.link(cli, "10.77.3.1/24", srv, SERVER + "/24");
      dir = lab.tempDir();
      keys();
      users(srv);
      lab.exec(srv, "/usr/sbin/sshd", "-f", dir.resolve("sshd_config").toString());
      lab.exec(
          srv,
          "sh",
          "-c",
          "socat TCP-LISTEN:2222,bind="
              + SERVER
              + ",fork,reuseaddr "
              // answers like an HTTP server, then keeps the connection open a moment: closing at
              // once races the client's banner into a reset that can beat the reply
              + "SYSTEM:'echo HTTP/1.0 400 Bad Request; sleep 2' >/dev/null 2>&1 &");
      agent = AgentProcess.startIn(cli);
      awaitListening(srv, SERVER + ":22");
      awaitListening(srv, SERVER + ":2222");
    } catch (Exception | Error e) {
      down();
      throw e;
    }
  }

  private static void keys() throws Exception {
    for (String name : new String[] {"host_ed25519", "other_host", "client_key"}) {
      Sh.run(
          "ssh-keygen",
          "-q",
          "-t",
          "ed25519",
          "-N",
          "",
          "-C",
          "np-at",
          "-f",
          dir.resolve(name).toString());
    }
    Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
    Files.writeString(
        dir.resolve("known_hosts"),
        SERVER + " " + Files.readString(dir.resolve("host_ed25519.pub")));
    Files.writeString(
        dir.resolve("wrong_known_hosts"),
        SERVER + " " + Files.readString(dir.resolve("other_host.pub")));
    Files.writeString(
        dir.resolve("sshd_config"),
        String.join(
            "\n",
            "Port 22",
            "ListenAddress " + SERVER,
            "HostKey " + dir.resolve("host_ed25519"),
            "PidFile " + dir.resolve("sshd.pid"),
            "UsePAM no",
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication yes",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "StrictModes no",
            "MaxAuthTries 3",
            ""));
  }

  /** nptest exists only inside `ip netns exec srv`: /etc/netns/srv/{passwd,shadow,group}. */
  private static void users(String srv) throws Exception {
    Path etc = lab.own(Path.of("/etc/netns", srv));
    Files.createDirectories(etc);
    String hash = Sh.run("openssl", "passwd", "-6", "-salt", "npatsalt", PASSWORD).trim();
    Files.writeString(
        etc.resolve("passwd"),
        Files.readString(Path.of("/etc/passwd"))
            + "nptest:x:4242:4242:netprobe test:/tmp:/bin/sh\n");
    Files.writeString(
        etc.resolve("shadow"),
        Files.readString(Path.of("/etc/shadow")) + "nptest:" + hash + ":19000:0:99999:7:::\n");
    Files.writeString(
        etc.resolve("group"), Files.readString(Path.of("/etc/group")) + "nptest:x:4242:\n");
    Sh.run("chmod", "600", etc.resolve("shadow").toString());
  }

  @AfterAll
  static void down() throws Exception {
    try {
      if (agent != null) {
        agent.close();
      }
    } finally {
      lab.close();
    }
  }

  private static JsonNode ssh(Map<String, Object> extra) throws Exception {
    Map<String, Object> args =
        new HashMap<>(
            Map.of(
                "type",
                "ssh",
                "host",
                SERVER,
                "timeoutMs",
                3000,
                "user",
                "nptest",
                "password",
                PASSWORD,
                "knownHosts",
                dir.resolve("known_hosts").toString()));
    args.putAll(extra);
    return agent.result("probe", args);
  }

  @Test
  void passwordLoginRunsTheCommandWithEachStepTimed() throws Exception {
    JsonNode r = ssh(Map.of("command", "id -un"));
    assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("CONNECTED");
    assertThat(r.at("/ssh/commandOutput").asText()).isEqualTo("nptest");
    assertThat(r.at("/ssh/exitStatus").asInt()).isZero();
    assertThat(r.at("/ssh/banner").asText()).startsWith("SSH-2.0-OpenSSH");
    assertThat(r.at("/ssh/hostKeyCheck").asText()).isEqualTo("MATCH");
    String expected = Sh.run("ssh-keygen", "-lf", dir.resolve("host_ed25519.pub").toString());
    assertThat(expected).contains(r.at("/ssh/hostKeyFingerprint").asText());
    assertThat(r.get("timings").findValuesAsText("step"))
        .containsSubsequence("tcp", "banner", "kex", "auth", "command");
  }

  @Test
  void wrongPasswordGivesAuthFailedAndNeverShowsThePassword() throws Exception {
    JsonNode r = ssh(Map.of("password", "wrong-" + PASSWORD));
    assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("AUTH_FAILED");
    assertThat(r.at("/ssh/failedStep").asText()).isEqualTo("auth");
    assertThat(r.at("/ssh/hostKeyCheck").asText()).isEqualTo("MATCH");
    assertThat(r.toString()).doesNotContain(PASSWORD);
  }

  @Test
  void rootLogsInWithAKey() throws Exception {
    Map<String, Object> args =
        new HashMap<>(
            Map.of(
                "type",
                "ssh",
                "host",
                SERVER,
                "user",
                "root",
                "keyFile",
                dir.resolve("client_key").toString(),
                "checkHostKey",
                false,
                "command",
                "hostname"));
    JsonNode r = agent.result("probe", args);
    assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("CONNECTED");
    assertThat(r.at("/ssh/authMethod").asText()).isEqualTo("publickey");
    assertThat(r.at("/ssh/hostKeyCheck").asText()).isEqualTo("NOT_CHECKED");
  }

  @Test
  void wrongHostKeyGivesHostkeyMismatch() throws Exception {
    JsonNode r = ssh(Map.of("knownHosts", dir.resolve("wrong_known_hosts").toString()));
    assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("HOSTKEY_MISMATCH");
    assertThat(r.at("/ssh/hostKeyCheck").asText()).isEqualTo("MISMATCH");
    assertThat(r.at("/ssh/failedStep").asText()).isEqualTo("hostkey");
  }

  @Test
  void nonSshServiceGivesNotSshWithItsFirstLine() throws Exception {
    JsonNode r = ssh(Map.of("port", 2222));
    assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("NOT_SSH");
    assertThat(r.get("evidence").toString()).contains("HTTP/1.0 400 Bad Request");
  }

  @Test
  void missingKnownHostsFileIsAnErrorNamingThePath() throws Exception {
    JsonNode r = ssh(Map.of("knownHosts", "/nonexistent/np-at-known_hosts"));
    assertThat(r.get("status").asText()).isEqualTo("ERROR");
    assertThat(r.at("/ssh/failedStep").asText()).isEqualTo("setup");
    assertThat(r.get("evidence").toString()).contains("/nonexistent/np-at-known_hosts");
  }

  @Test
  void closedSshPortGivesRefused() throws Exception {
    JsonNode r = ssh(Map.of("port", 2200));
    assertThat(r.get("status").asText()).isEqualTo("REFUSED");
    assertThat(r.at("/ssh/failedStep").asText()).isEqualTo("tcp");
  }

  private static void awaitListening(String ns, String address) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (lab.exec(ns, "ss", "-ltn").contains(address)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("nothing listens on " + address + " in " + ns);
  }
}

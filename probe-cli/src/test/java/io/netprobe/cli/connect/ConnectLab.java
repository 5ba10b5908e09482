package io.netprobe.cli.connect;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.cli.connect.session.AgentSession;
import io.netprobe.cli.lab.DemoLab;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The demo lab's nodes as connector targets, for the lab tests of this package. */
public final class ConnectLab {
  public static final Path STATE = DemoLab.STATE;
  public static final Path PASSWORD = STATE.resolve("password");
  public static final Path KEY = STATE.resolve("id_ed25519");
  public static final Path KNOWN_HOSTS = STATE.resolve("known_hosts");

  private ConnectLab() {}

  /**
   * Brings the lab up, or does nothing much (~1 s) where it is up. Not remembered: another test
   * class in the same JVM (the lab's lifecycle test) may have taken it down meanwhile.
   */
  public static void ensureUp() {
    new DemoLab(new PrintWriter(System.err, true)).up();
  }

  /** The NAT VM through the PC's port forward 127.0.0.1:1234, from inside np-pc. */
  public static NodeTarget.Ssh natVm() {
    return NodeTarget.Ssh.to("127.0.0.1", 1234, "lab")
        .withPasswordFile(PASSWORD)
        .withKnownHosts(KNOWN_HOSTS, false)
        .fromNetns("np-pc");
  }

  /** The OpenStack VM at its floating IP, from the PC, with the lab's key. */
  public static NodeTarget.Ssh floatingVm() {
    return NodeTarget.Ssh.to("192.168.37.163", 22, "lab")
        .withIdentityFile(KEY)
        .withKnownHosts(KNOWN_HOSTS, false)
        .fromNetns("np-pc");
  }

  public static ConnectOptions options(String runId) {
    return ConnectOptions.builder()
        .runId(runId)
        .timeouts(Duration.ofSeconds(30), Duration.ofSeconds(10))
        .build();
  }

  /** A TCP probe from the session's node to the simulated internet's web server. */
  public static JsonNode probeInternet(AgentSession s) {
    return AgentSession.await(
        s.request("probe", Map.of("type", "tcp", "host", "203.0.113.10", "port", 80)), "probe");
  }
}

package io.netprobe.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.netprobe.cli.connect.artefact.RuntimeImage;
import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.connect.session.AgentSession;
import io.netprobe.cli.docker.DockerClients;
import io.netprobe.cli.lab.DockerLab;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each way a connect fails gives its own error, saying what was tried, and nothing leaks. */
class ConnectErrorsIT {
  private static final String CANARY = "np-canary-Zq8u1Lw";
  private static Path tmp;

  @BeforeAll
  static void labUp() throws Exception {
    ConnectLab.ensureUp();
    tmp = Files.createTempDirectory("np-connect-it-");
  }

  @AfterAll
  static void removeTemp() throws Exception {
    RuntimeImage.deleteTree(tmp);
  }

  private static AgentException failure(NodeTarget target, ConnectOptions o) {
    try (AgentSession s = new NodeConnectors().connect("n", target, o)) {
      throw new AssertionError("connected to " + target.describe() + " but expected a failure");
    } catch (AgentException e) {
      return e;
    }
  }

  @Test
  void wrongPasswordIsAuthFailedAndTheCanaryNeverShows() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<String> events = new ArrayList<>();
    AgentException e;
    try {
      System.setOut(new PrintStream(printed, true));
      System.setErr(new PrintStream(printed, true));
      NodeTarget.Ssh t =
          NodeTarget.Ssh.to("127.0.0.1", 1234, "lab")
              .withPasswordEnv("LAB_PASS")
              .withKnownHosts(ConnectLab.KNOWN_HOSTS, false)
              .fromNetns("np-pc");
      ConnectOptions o =
          ConnectLab.options("it-canary").toBuilder()
              .env(k -> k.equals("LAB_PASS") ? CANARY : null)
              .listener((node, event) -> events.add(event))
              .build();
      e = failure(t, o);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    assertThat(e.code()).isEqualTo("AUTH_FAILED");
    assertThat(e.getMessage())
        .isEqualTo(
            "ssh lab@127.0.0.1:1234 from netns np-pc: auth failed (password from $LAB_PASS)");
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString() + printed + events + t(e)).doesNotContain(CANARY);
  }

  private static String t(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = e; c != null; c = c.getCause()) {
      all.append(c).append('\n');
    }
    return all.toString();
  }

  @Test
  void unknownHostKeyFailsUnlessTrustOnFirstUseIsAsked() throws Exception {
    Path empty = Files.createFile(tmp.resolve("known_hosts_empty"));
    NodeTarget.Ssh strict = ConnectLab.natVm().withKnownHosts(empty, false);

    AgentException e = failure(strict, ConnectLab.options("it-unknown"));

    assertThat(e.code()).isEqualTo("HOSTKEY_UNKNOWN");
    assertThat(e.getMessage())
        .contains("host key not in " + empty)
        .contains("--accept-new-host-keys");

    try (AgentSession s =
        new SshNodeConnector()
            .connect("n", strict.withKnownHosts(empty, true), ConnectLab.options("it-tofu"))) {
      assertThat(s.hello().path("pid").asLong()).isPositive();
    }
    assertThat(Files.readString(empty)).as("the key was recorded").contains("ssh-ed25519");
  }

  @Test
  void changedHostKeyFailsEvenWithTrustOnFirstUse() throws Exception {
    String otherKey =
        Files.readString(ConnectLab.STATE.resolve("np-os-vm/ssh_host_ed25519_key.pub"))
            .split(" ")[1];
    Path wrong = tmp.resolve("known_hosts_changed");
    Files.writeString(wrong, "[127.0.0.1]:1234 ssh-ed25519 " + otherKey + "\n");

    AgentException e =
        failure(ConnectLab.natVm().withKnownHosts(wrong, true), ConnectLab.options("it-changed"));

    assertThat(e.code()).isEqualTo("HOSTKEY_CHANGED");
    assertThat(e.getMessage()).contains("CHANGED").contains(wrong.toString());
  }

  @Test
  void vmWithoutJavaIsAnErrorWithoutTheBundledRuntimeAndWorksWithIt() {
    ConnectOptions noJava =
        ConnectLab.options("it-nojava").toBuilder().agentEnv(Map.of("PATH", "/np-no-java")).build();

    AgentException e =
        failure(ConnectLab.natVm(), noJava.toBuilder().bundledRuntime(false).build());

    assertThat(e.code()).isEqualTo("NO_JAVA");
    assertThat(e.getMessage()).contains("no java on PATH").contains("install openjdk-17");

    try (AgentSession s =
        new SshNodeConnector()
            .connect(
                "n",
                ConnectLab.natVm(),
                noJava.toBuilder().bundledRuntime(true).removeUploads(true).build())) {
      // the runtime is jlinked from the coordinator's own JDK (17, or 25 from the launcher)
      assertThat(s.hello().path("java").asText())
          .startsWith(String.valueOf(Runtime.version().feature()));
      assertThat(s.notes()).anyMatch(n -> n.contains("Java runtime"));
    }
    assertThat(
            ConnectLab.STATE.resolve(
                "home/np-vm-nat/.cache/netprobe/runtime-" + RuntimeImage.key()))
        .as("removeUploads removed the runtime")
        .doesNotExist();
  }

  @Test
  void stoppedContainerIsNotRunning() throws Exception {
    try (DockerClient docker = DockerClients.connect()) {
      String id =
          docker
              .createContainerCmd(DockerLab.IMAGE)
              .withName("np-connect-stopped")
              .withCmd("sleep", "60")
              .exec()
              .getId();
      try {
        AgentException e =
            failure(new NodeTarget.Docker("np-connect-stopped"), ConnectLab.options("it-stopped"));
        assertThat(e.code()).isEqualTo("NOT_RUNNING");
        assertThat(e.getMessage())
            .contains("is not running (state created)")
            .contains("docker start np-connect-stopped");
      } finally {
        docker.removeContainerCmd(id).withForce(true).exec();
      }
    }
  }

  @Test
  void unreachableNodeBecomesAnErrorAndTheOthersGoOn() {
    Map<String, NodeTarget> nodes = new LinkedHashMap<>();
    nodes.put("pc", new NodeTarget.Netns("np-pc"));
    nodes.put("ghost", new NodeTarget.Netns("np-no-such-ns"));
    nodes.put(
        "closed",
        NodeTarget.Ssh.to("127.0.0.1", 1, "lab")
            .withPasswordFile(ConnectLab.PASSWORD)
            .fromNetns("np-pc"));

    try (Connections c = Connections.open(nodes, ConnectLab.options("it-partial"))) {
      assertThat(c.sessions()).containsOnlyKeys("pc");
      assertThat(c.errors().get("ghost").getMessage())
          .contains("no network namespace np-no-such-ns");
      assertThat(c.errors().get("closed").getMessage())
          .startsWith("ssh lab@127.0.0.1:1 from netns np-pc: cannot connect")
          .contains("refused");
    }
  }

  @Test
  void thePasswordNeverShowsOnTheSuccessPathEither() throws Exception {
    String password = io.netprobe.cli.lab.DemoLab.password();
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<String> seen = new ArrayList<>();
    NodeTarget.Ssh t =
        NodeTarget.Ssh.to("127.0.0.1", 1234, "lab")
            .withPasswordEnv("LAB_PASS")
            .withKnownHosts(ConnectLab.KNOWN_HOSTS, false)
            .fromNetns("np-pc");
    ConnectOptions o =
        ConnectLab.options("it-secret").toBuilder()
            .env(k -> k.equals("LAB_PASS") ? password : null)
            .listener((node, event) -> seen.add(event))
            .build();
    try {
      System.setOut(new PrintStream(printed, true));
      System.setErr(new PrintStream(printed, true));
      try (Connections c = Connections.open(Map.of("vm", t), o)) {
        AgentSession s = c.session("vm");
        seen.add(s.toString() + s.describe() + s.notes() + s.hello() + t + o);
        seen.add(ConnectLab.probeInternet(s).toString());
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    assertThat(seen).isNotEmpty();
    assertThat(String.join("\n", seen) + printed).doesNotContain(password);
  }
}

package io.netprobe.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.cli.connect.artefact.AgentJar;
import io.netprobe.cli.connect.artefact.RuntimeImage;
import io.netprobe.cli.connect.cleanup.Reaper;
import io.netprobe.cli.connect.session.AgentSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent reached on every node kind of the demo lab answers hello and probes from inside: the
 * packets leave with the node's own address.
 */
class ConnectorsIT {

  @BeforeAll
  static void labUp() {
    ConnectLab.ensureUp();
  }

  @Test
  void everyNodeKindAnswersHelloAndProbesFromInside() {
    Map<String, NodeTarget> nodes = new LinkedHashMap<>();
    nodes.put("local", new NodeTarget.Local());
    nodes.put("pc", new NodeTarget.Netns("np-pc"));
    nodes.put("pc-jvm", new NodeTarget.Netns("np-pc", false));
    nodes.put("nat-vm", ConnectLab.natVm());
    nodes.put("ct1", new NodeTarget.Docker("np-ct1"));
    nodes.put("front", new NodeTarget.Docker("np-front"));
    Map<String, String> source =
        Map.of(
            "pc",
            "10.1.5.90",
            "pc-jvm",
            "10.1.5.90",
            "nat-vm",
            "10.0.2.15",
            "front",
            "192.168.1.2");

    long t0 = System.nanoTime();
    try (Connections c = Connections.open(nodes, ConnectLab.options("it-kinds"))) {
      System.err.printf(
          "connected %d nodes in %d ms%n", nodes.size(), (System.nanoTime() - t0) / 1_000_000);
      assertThat(c.errors()).as("nodes that could not be reached").isEmpty();
      for (Map.Entry<String, AgentSession> e : c.sessions().entrySet()) {
        AgentSession s = e.getValue();
        assertThat(s.hello().path("agent").asText()).isEqualTo("netprobe-agent");
        JsonNode probe = ConnectLab.probeInternet(s);
        assertThat(probe.path("status").asText())
            .as(e.getKey() + ": " + probe)
            .isEqualTo("CONNECTED");
        if (source.containsKey(e.getKey())) {
          assertThat(probe.path("sourceAddress").asText()).isEqualTo(source.get(e.getKey()));
        }
      }
      assertThat(ConnectLab.probeInternet(c.session("ct1")).path("sourceAddress").asText())
          .startsWith("172.17.");
      assertThat(
              c.session("ct1")
                  .hello()
                  .path("capabilities")
                  .path("capture")
                  .path("allowed")
                  .asBoolean())
          .as("the sidecar has NET_RAW and libpcap")
          .isTrue();
    }
    assertThat(Reaper.instance().openCount()).isZero();
  }

  @Test
  void floatingIpVmIsReachedFromThePcWithTheLabKey() {
    try (AgentSession s =
        new SshNodeConnector()
            .connect("os-vm", ConnectLab.floatingVm(), ConnectLab.options("it-float"))) {
      assertThat(s.hello().path("pid").asLong()).isPositive();
      JsonNode facts = AgentSession.await(s.request("facts", Map.of()), "facts");
      assertThat(facts.toString()).contains("10.0.0.109");
      assertThat(s.hello().path("capabilities").path("capture").path("allowed").asBoolean())
          .as("the cloud VM's user has sudo -n: the agent runs with capture")
          .isTrue();
    }
  }

  @Test
  void inProcessAgentAnswersHello() {
    try (AgentSession s =
        new LocalNodeConnector()
            .connect("me", new NodeTarget.Local(true), ConnectLab.options("it-inproc"))) {
      assertThat(s.hello().path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
    }
  }

  @Test
  void secondSshConnectUploadsNothing() throws Exception {
    SshNodeConnector ssh = new SshNodeConnector();
    ConnectOptions o = ConnectLab.options("it-cache");
    try (AgentSession first = ssh.connect("nat-vm", ConnectLab.natVm(), o)) {
      first.hello();
    }
    Path cache = ConnectLab.STATE.resolve("home/np-vm-nat/.cache/netprobe");
    Path jar = cache.resolve(AgentJar.sha256(o.jar())).resolve(AgentJar.NAME);
    FileTime before = Files.getLastModifiedTime(jar);

    long t0 = System.nanoTime();
    try (AgentSession second = ssh.connect("nat-vm", ConnectLab.natVm(), o)) {
      System.err.printf(
          "ssh connect with cached jar: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertThat(second.notes()).anyMatch(n -> n.startsWith("agent jar cached at"));
      assertThat(second.notes()).noneMatch(n -> n.startsWith("uploaded"));
    }
    assertThat(Files.getLastModifiedTime(jar)).isEqualTo(before);
    try (Stream<Path> all = Files.walk(cache)) {
      assertThat(all.filter(p -> p.toString().contains(".np-part-"))).as("half uploads").isEmpty();
    }
  }

  @Test
  void sshConfigHostAliasIsFollowed() throws Exception {
    Path home = Files.createTempDirectory("np-connect-home-");
    String realHome = System.getProperty("user.home");
    try {
      Files.createDirectories(home.resolve(".ssh"));
      Files.writeString(
          home.resolve(".ssh/config"),
          "Host np-natvm\n  HostName 127.0.0.1\n  Port 1234\n  User lab\n");
      System.setProperty("user.home", home.toString());
      NodeTarget.Ssh alias =
          new NodeTarget.Ssh(
              "np-natvm",
              0,
              null,
              ConnectLab.KEY,
              null,
              null,
              ConnectLab.KNOWN_HOSTS,
              false,
              "np-pc");
      try (AgentSession s =
          new SshNodeConnector().connect("vm", alias, ConnectLab.options("it-alias"))) {
        assertThat(ConnectLab.probeInternet(s).path("sourceAddress").asText())
            .isEqualTo("10.0.2.15");
      }
    } finally {
      System.setProperty("user.home", realHome);
      RuntimeImage.deleteTree(home);
    }
  }

  @Test
  void localContainersAgentRunsHereInItsNamespacesWithItsOwnNames() throws Exception {
    try (var docker = io.netprobe.cli.docker.DockerClients.connect();
        DockerNodeConnector connector = new DockerNodeConnector(docker)) {
      var front = docker.inspectContainerCmd("np-front").exec();
      long pid = front.getState().getPidLong();
      try (var ns = DockerNodeConnector.namespaceHere(front)) {
        assertThat(ns).as("the engine is on this machine").isNotNull();
        assertThat(ns.resolver().resolvConf())
            .isEqualTo(Path.of("/proc/" + pid + "/root/etc/resolv.conf"));
        assertThat(Files.readString(ns.resolver().resolvConf()))
            .as("Docker's embedded DNS, not this machine's")
            .contains("nameserver 127.0.0.11");
      }
      try (AgentSession s =
          connector.connect(
              "front",
              new NodeTarget.Docker("np-front", true),
              ConnectLab.options("it-ctr-here"))) {
        assertThat(s.describe()).isEqualTo("docker container np-front");
        assertThat(s.hello().path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(
                docker
                    .listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(DockerNodeConnector.RUN_LABEL, "it-ctr-here"))
                    .exec())
            .as("no sidecar")
            .isEmpty();
        JsonNode facts = AgentSession.await(s.request("facts", Map.of()), "facts");
        assertThat(facts.path("hostname").asText())
            .as("the container's UTS namespace")
            .isEqualTo(front.getConfig().getHostName());
        assertThat(facts.toString()).contains("192.168.1.2");
        JsonNode byName =
            AgentSession.await(
                s.request("probe", Map.of("type", "tcp", "host", "np-back", "port", 50000)),
                "probe");
        assertThat(byName.path("status").asText())
            .as("the name from Docker's DNS in the container: " + byName)
            .isEqualTo("CONNECTED");
        assertThat(byName.toString()).contains("192.168.1.3");
        assertThat(s.hello().path("capabilities").path("capture").path("allowed").asBoolean())
            .isTrue();
        AgentSession.await(
            s.request("capture.start", Map.of("id", "c1", "iface", "any", "filter", "tcp port 80")),
            "capture.start");
        assertThat(ConnectLab.probeInternet(s).path("sourceAddress").asText())
            .isEqualTo("192.168.1.2");
        JsonNode capture =
            AgentSession.await(s.request("capture.stop", Map.of("id", "c1")), "capture.stop");
        assertThat(capture.path("matched").asInt())
            .as("the capture is in the container's network: " + capture)
            .isGreaterThanOrEqualTo(2);
      }
    }
  }

  /** A watch connects again when the container goes: its agent here must not stay "open". */
  @Test
  void anAgentHereIsNoLongerOpenOnceItsContainerStops() throws Exception {
    String name = "np-it-live";
    try (var docker = io.netprobe.cli.docker.DockerClients.connect();
        DockerNodeConnector connector = new DockerNodeConnector(docker)) {
      try {
        docker.removeContainerCmd(name).withForce(true).exec();
      } catch (com.github.dockerjava.api.exception.NotFoundException e) {
        // none left
      }
      try {
        docker
            .createContainerCmd("np-busybox:lab")
            .withName(name)
            .withCmd("/bin/busybox", "sleep", "300")
            .exec();
        docker.startContainerCmd(name).exec();
        AgentSession s =
            connector.connect(
                "live", new NodeTarget.Docker(name, true), ConnectLab.options("it-live"));
        try {
          assertThat(s.isOpen()).isTrue();
          assertThat(s.hello().path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
          docker.killContainerCmd(name).exec();
          long deadline = System.nanoTime() + 10_000_000_000L;
          while (s.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(50);
          }
          assertThat(s.isOpen()).as("the container's process is gone").isFalse();
        } finally {
          s.close();
        }
        docker.startContainerCmd(name).exec();
        try (AgentSession again =
            connector.connect(
                "live", new NodeTarget.Docker(name, true), ConnectLab.options("it-live"))) {
          assertThat(again.isOpen()).isTrue();
          JsonNode facts = AgentSession.await(again.request("facts", Map.of()), "facts");
          assertThat(facts.toString()).as("the restarted container's network").contains("172.17.");
        }
      } finally {
        docker.removeContainerCmd(name).withForce(true).exec();
      }
    }
  }

  @Test
  void sidecarSharesTheTargetsNetworkWithOnlyNetRawAndNetAdmin() throws Exception {
    try (var docker = io.netprobe.cli.docker.DockerClients.connect();
        DockerNodeConnector connector = new DockerNodeConnector(docker);
        AgentSession s =
            connector.connect(
                "ct1", new NodeTarget.Docker("np-ct1"), ConnectLab.options("it-sidecar"))) {
      var found =
          docker
              .listContainersCmd()
              .withLabelFilter(Map.of(DockerNodeConnector.RUN_LABEL, "it-sidecar"))
              .exec();
      assertThat(found).hasSize(1);
      var sidecar = docker.inspectContainerCmd(found.get(0).getId()).exec();
      var host = sidecar.getHostConfig();
      String target = docker.inspectContainerCmd("np-ct1").exec().getId();
      assertThat(sidecar.getName()).startsWith("/np-agent-np-ct1-it-sidecar-");
      assertThat(host.getNetworkMode()).isEqualTo("container:" + target);
      assertThat(host.getPrivileged()).isFalse();
      assertThat(host.getCapAdd())
          .extracting(Object::toString)
          .containsExactlyInAnyOrder("NET_RAW", "NET_ADMIN");
      assertThat(host.getReadonlyRootfs()).isTrue();
      assertThat(host.getTmpFs()).containsKey("/tmp");
      assertThat(s.hello().path("capabilities").path("capture").path("allowed").asBoolean())
          .isTrue();
      AgentSession.await(
          s.request("capture.start", Map.of("id", "c1", "iface", "any", "filter", "tcp port 80")),
          "capture.start");
      ConnectLab.probeInternet(s);
      JsonNode capture =
          AgentSession.await(s.request("capture.stop", Map.of("id", "c1")), "capture.stop");
      assertThat(capture.path("matched").asInt())
          .as("libpcap from the image sees the container's packets: " + capture)
          .isGreaterThanOrEqualTo(2);
    }
    try (var docker = io.netprobe.cli.docker.DockerClients.connect()) {
      assertThat(
              docker
                  .listContainersCmd()
                  .withShowAll(true)
                  .withLabelFilter(Map.of(DockerNodeConnector.RUN_LABEL, "it-sidecar"))
                  .exec())
          .as("the sidecar is removed at close")
          .isEmpty();
    }
  }
}

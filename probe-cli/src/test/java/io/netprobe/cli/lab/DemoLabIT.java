package io.netprobe.cli.lab;

import static io.netprobe.cli.lab.LabFixture.dns;
import static io.netprobe.cli.lab.LabFixture.sh;
import static io.netprobe.cli.lab.LabFixture.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import io.netprobe.cli.connect.Netns;
import io.netprobe.cli.docker.DockerClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The facts of LABS.md sections 1 to 4 hold in the demo lab, checked with plain sockets from inside
 * its namespaces and containers (netprobe's own probes are tested elsewhere).
 */
class DemoLabIT {
  private static DockerClient docker;
  private static DockerLab containers;

  @BeforeAll
  static void labUp() {
    LabFixture.ensureUp();
    docker = DockerClients.connect();
    containers = new DockerLab(docker, new PrintWriter(System.err, true));
  }

  @AfterAll
  static void close() throws Exception {
    docker.close();
  }

  @Test
  void natVmReachesTheInternetThroughTheNatEngine() throws Exception {
    assertThat(tcp("np-vm-nat", "203.0.113.10", 80)).isEqualTo("connected");
  }

  @Test
  void pcCannotReachTheNatVmsPrivateAddress() throws Exception {
    assertThat(tcp("np-pc", "10.0.2.15", 22)).isEqualTo("timeout");
    assertThat(tcp("np-pc2", "10.0.2.15", 22)).as("the neighbour neither").isEqualTo("timeout");
  }

  @Test
  void sshThroughThePortForwardLogsInAndTheFileAppearsInTheVm() throws Exception {
    String proof = "proof-" + UUID.randomUUID();
    String out =
        Netns.call(
            Netns.named("np-pc"),
            () -> sshExec("127.0.0.1", 1234, "touch " + proof + " && hostname", false));
    assertThat(out.strip()).isEqualTo("vm-nat");
    assertThat(DemoLab.STATE.resolve("home/np-vm-nat").resolve(proof)).exists();
  }

  @Test
  void sshWithTheLabKeyLogsInToTheBridgedVmFromTheNeighbour() throws Exception {
    String out =
        Netns.call(Netns.named("np-pc2"), () -> sshExec("10.1.5.91", 22, "hostname", true));
    assertThat(out.strip()).isEqualTo("vm-br");
  }

  @Test
  void floatingIpAnswersSshButTheSecurityGroupDropsTheService() throws Exception {
    assertThat(tcp("np-pc", "192.168.37.163", 22)).isEqualTo("connected");
    assertThat(tcp("np-pc", "192.168.37.163", 50000)).isEqualTo("timeout");
    assertThat(tcp("np-os-vm", "10.0.0.109", 50000))
        .as("the service listens in the VM: only the security group stands in the way")
        .isEqualTo("connected");
    assertThat(tcp("np-pc", "10.0.0.109", 22))
        .as("private address from campus")
        .isEqualTo("timeout");
    assertThat(tcp("np-os-vm", "10.1.5.90", 1234)).as("VM -> desktop").isEqualTo("connected");
  }

  @Test
  void calculatorReachesNet2OnlyOnceTheRouteViaRt2IsAdded() throws Exception {
    assertThat(tcp("np-calc", "192.168.2.1", 50000)).isEqualTo("timeout");
    sh("ip", "-n", "np-calc", "route", "add", "192.168.2.0/24", "via", "192.168.1.253");
    try {
      for (int i = 1; i <= 4; i++) {
        assertThat(tcp("np-calc", "192.168.2." + i, 50000)).isEqualTo("connected");
      }
    } finally {
      sh("ip", "-n", "np-calc", "route", "del", "192.168.2.0/24", "via", "192.168.1.253");
    }
    assertThat(tcp("np-calc", "192.168.2.1", 50000)).isEqualTo("timeout");
  }

  @Test
  void calculatorFloatingIpAdmitsTheWebServiceFromCampus() throws Exception {
    assertThat(tcp("np-pc", "192.168.37.96", 50000)).isEqualTo("connected");
  }

  @Test
  void bridgedVmHasItsOwnLanAddressAndHostOnlyVmNoInternet() throws Exception {
    assertThat(tcp("np-pc2", "10.1.5.91", 22)).isEqualTo("connected");
    assertThat(tcp("np-pc", "192.168.56.101", 22)).isEqualTo("connected");
    assertThat(tcp("np-vm-ho", "203.0.113.10", 80)).contains("Network is unreachable");
  }

  @Test
  void natVmResolvesThePublicNameThroughVirtualBoxsDnsProxy() throws Exception {
    assertThat(Files.readString(Path.of("/etc/netns/np-vm-nat/resolv.conf")))
        .contains("nameserver 10.0.2.3");
    assertThat(dns("np-vm-nat", "10.0.2.3", "www.example.net")).isEqualTo("203.0.113.10");
  }

  @Test
  void pcResolvesThePublicNameAtTheInternetsDnsServerAndUnknownNamesDoNotExist() throws Exception {
    assertThat(Files.readString(Path.of("/etc/netns/np-pc/resolv.conf")))
        .contains("nameserver 203.0.113.53");
    assertThat(dns("np-pc", "203.0.113.53", "www.example.net")).isEqualTo("203.0.113.10");
    assertThat(dns("np-pc", "203.0.113.53", "example.net")).isEqualTo("203.0.113.10");
    assertThat(dns("np-pc", "203.0.113.53", "no-such-name.example.org"))
        .as("answered NXDOMAIN by the lab's server itself: nothing is ever forwarded")
        .isEqualTo("NXDOMAIN");
    assertThat(dns("np-vm-nat", "10.0.2.3", "www.example.org")).isEqualTo("NXDOMAIN");
  }

  @Test
  void hostOnlyVmCannotResolveAndNoHostsFileKnowsThePublicName() throws Exception {
    assertThat(dns("np-vm-ho", "203.0.113.53", "www.example.net"))
        .contains("Network is unreachable");
    for (String node : List.of("np-pc", "np-pc2", "np-vm-nat", "np-vm-ho", "np-calc")) {
      assertThat(Files.readString(Path.of("/etc/netns", node, "hosts")))
          .as("a name must resolve through the lab's DNS path, not the hosts file of " + node)
          .doesNotContain("example.net")
          .contains("localhost");
    }
  }

  @Test
  void rootNamespaceNeitherRoutesNorServesTheLabsDns() throws Exception {
    assertThat(LabFixture.out("ip", "route", "show", "203.0.113.53"))
        .startsWith("unreachable 203.0.113.53");
    assertThat(LabFixture.out("ss", "-Hlnup", "sport = :53"))
        .as("dnsmasq listens only inside np-inet")
        .doesNotContain("dnsmasq");
  }

  @Test
  void containersReachEachOtherOnDocker0AndTheInternet() throws Exception {
    Path ct1 = Netns.ofPid(containers.pid("np-ct1"));
    assertThat(tcp(ct1, containers.address("np-ct2"), 80)).isEqualTo("connected");
    assertThat(tcp(ct1, "203.0.113.10", 80)).isEqualTo("connected");
    assertThat(tcp(ct1, "192.168.1.3", 50000))
        .as("Docker isolates bridge networks from each other")
        .isEqualTo("timeout");
  }

  @Test
  void publishedPortIsReachableFromOutsideTheExposedOneOnlyOnItsBridge() throws Exception {
    assertThat(tcp("np-inet", "10.254.255.1", 50000)).isEqualTo("connected");
    assertThat(tcp("np-inet", "192.168.1.3", 50000)).isNotEqualTo("connected");
    Path front = Netns.ofPid(containers.pid("np-front"));
    assertThat(tcp(front, "192.168.1.3", 50000)).isEqualTo("connected");
  }

  @Test
  void upOnAnUpLabChangesNothing() throws Exception {
    long sshd = Files.getLastModifiedTime(DemoLab.STATE.resolve("np-vm-nat/sshd.pid")).toMillis();
    new DemoLab(new PrintWriter(System.err, true)).up();
    assertThat(Files.getLastModifiedTime(DemoLab.STATE.resolve("np-vm-nat/sshd.pid")).toMillis())
        .isEqualTo(sshd);
  }

  private static String sshExec(String host, int port, String command, boolean key)
      throws Exception {
    JSch jsch = new JSch();
    jsch.setKnownHosts(DemoLab.STATE.resolve("known_hosts").toString());
    if (key) {
      jsch.addIdentity(DemoLab.STATE.resolve("id_ed25519").toString());
    }
    Session session = jsch.getSession("lab", host, port);
    if (!key) {
      session.setPassword(DemoLab.password());
    }
    session.setConfig("PreferredAuthentications", key ? "publickey" : "password");
    session.connect(5000);
    try {
      ChannelExec exec = (ChannelExec) session.openChannel("exec");
      exec.setCommand(command);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      exec.setOutputStream(out);
      exec.connect(5000);
      while (!exec.isClosed()) {
        Thread.sleep(20);
      }
      exec.disconnect();
      return out.toString();
    } finally {
      session.disconnect();
    }
  }
}

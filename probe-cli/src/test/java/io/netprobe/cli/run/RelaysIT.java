package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.cell;
import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import io.netprobe.cli.docker.DockerClients;
import io.netprobe.cli.lab.DemoLab;
import io.netprobe.cli.lab.DockerLab;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.RunResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A relay's handshake is not the far end accepting: docker-proxy in front of a container port where
 * nothing listens, and a user-space port forward (socat, as VirtualBox's NAT engine does it) to a
 * guest whose sshd is stopped. Each must read REFUSED, from the relay's own connection seen refused
 * at the target, never REACHED.
 */
class RelaysIT {
  private static final DemoLab LAB = new DemoLab(new PrintWriter(System.err, true));
  private static final String CONTAINER = "np-relay-dp";
  private static final int PORT = 50001;

  @BeforeAll
  static void labUp() {
    LAB.up();
  }

  @Test
  void aPublishedPortWithNothingBehindItIsRefusedByTheContainerNotReachedAtTheProxy()
      throws Exception {
    try (DockerClient docker = DockerClients.connect()) {
      docker
          .listContainersCmd()
          .withShowAll(true)
          .withNameFilter(java.util.List.of(CONTAINER))
          .exec()
          .stream()
          .filter(c -> java.util.Arrays.asList(c.getNames()).contains("/" + CONTAINER))
          .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
      docker
          .createContainerCmd(DockerLab.IMAGE)
          .withName(CONTAINER)
          .withLabels(Map.of(DockerLab.LABEL, "demo")) // so that lab down removes it after a crash
          .withCmd("/bin/busybox", "sleep", "600")
          .withExposedPorts(ExposedPort.tcp(PORT))
          .withHostConfig(
              HostConfig.newHostConfig()
                  .withPortBindings(PortBinding.parse("127.0.0.1:" + PORT + ":" + PORT)))
          .exec();
      docker.startContainerCmd(CONTAINER).exec();
      try {
        RunResult run =
            LabRun.run(
                """
                name: relays
                defaults: { timeout: 1s, retries: 0 }
                nodes:
                  host: { kind: local }
                  dp:
                    kind: docker
                    container: %s
                    addresses:
                      published: { ip: 127.0.0.1, port-map: { %d: %d }, path: port-forward }
                checks:
                  - { from: host, to: dp.published, probe: "tcp:%d", expect: refused }
                """
                    .formatted(CONTAINER, PORT, PORT, PORT));
        CheckResult c = cell(run, "host->dp.published tcp:" + PORT);
        assertThat(c.verdict().disposition()).as(said(c)).isEqualTo(Disposition.REFUSED);
        assertThat(c.verdict().reason())
            .as(said(c))
            .contains(
                "the relay at 127.0.0.1:" + PORT + " accepted",
                "dp refused port " + PORT,
                "nothing listens there");
      } finally {
        docker.removeContainerCmd(CONTAINER).withForce(true).exec();
      }
    }
  }

  @Test
  void aUserSpacePortForwardToAStoppedSshdIsRefusedAtTheGuest() throws Exception {
    String sshd = Files.readString(DemoLab.STATE.resolve("np-vm-nat/sshd.pid")).strip();
    new ProcessBuilder("kill", sshd).inheritIO().start().waitFor();
    for (int i = 0; i < 50 && Files.exists(Path.of("/proc", sshd)); i++) {
      Thread.sleep(20);
    }
    try {
      RunResult run =
          LabRun.run(
              """
              name: relays
              defaults: { timeout: 1s, retries: 0 }
              nodes:
                pc: { kind: netns, netns: np-pc }
                vm-nat:
                  kind: netns
                  netns: np-vm-nat
                  login: { user: lab, identity: /run/np-lab/id_ed25519, known-hosts: /run/np-lab/known_hosts }
                  addresses:
                    forward: { ip: 127.0.0.1, port-map: { 22: 1234 }, path: port-forward, from: [pc] }
              checks:
                - { from: pc, to: vm-nat.forward, probe: ssh, expect: refused }
              """);
      CheckResult c = cell(run, "pc->vm-nat.forward ssh");
      assertThat(c.verdict().disposition()).as(said(c)).isEqualTo(Disposition.REFUSED);
      assertThat(c.verdict().reason())
          .as(said(c))
          .contains("the relay at 127.0.0.1:1234 accepted", "vm-nat refused port 22");
    } finally {
      LAB.startSshd("np-vm-nat");
    }
  }
}

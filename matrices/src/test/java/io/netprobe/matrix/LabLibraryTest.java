package io.netprobe.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.probe.ProbeSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The lab library loads, and demo.yaml says what LABS.md sections 1-4 observed. */
class LabLibraryTest {
  private static Matrix demo;

  @BeforeAll
  static void loadDemo() throws MatrixException {
    demo = MatrixLoader.load(Path.of("labs/demo.yaml"));
  }

  static Stream<Path> labFiles() throws IOException {
    return MatrixSchemaTest.labFiles();
  }

  @Test
  void libraryHasOneFilePerLabAndTheDemo() throws IOException {
    assertThat(labFiles().map(p -> p.getFileName().toString()))
        .contains(
            "virtualbox-nat.yaml", "docker.yaml", "openstack.yaml", "two-tier.yaml", "demo.yaml");
  }

  @ParameterizedTest
  @MethodSource("labFiles")
  void labFileLoadsWithoutAnyEnvironment(Path lab) throws Exception {
    Matrix m = MatrixLoader.load(java.nio.file.Files.readString(lab), lab.toString(), Map.of());
    assertThat(m.checks()).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("labFiles")
  void everyCheckHasATitleAndAHint(Path lab) throws MatrixException {
    for (Check c : MatrixLoader.load(lab).checks()) {
      assertThat(c.title()).as("title of %s in %s", c.id(), lab).isNotBlank();
      assertThat(c.hint()).as("hint of %s in %s", c.id(), lab).isNotBlank();
    }
  }

  @Test
  void demoStaysALabOfFortyToAHundredAndTwentyChecks() {
    // big enough to show every path kind and disposition, small enough to read in one screen's
    // scroll (the dual-stack cells count twice)
    assertThat(demo.checks()).hasSizeBetween(40, 120);
  }

  @Test
  void demoUsesOnlyLabNamespacesAndContainers() {
    for (Node n : demo.nodes().values()) {
      if (n.access() instanceof NodeAccess.Netns ns) {
        assertThat(ns.name()).startsWith("np-");
      } else if (n.access() instanceof NodeAccess.Docker d) {
        assertThat(d.container()).startsWith("np-");
      }
    }
  }

  @Test
  void demoNeverTargetsTheMachinesUplink() {
    assertThat(demo.checks()).noneMatch(c -> c.to().ip().startsWith("192.0.2."));
  }

  @Test
  void virtualBoxNatObservations() {
    expect("pc->vm-nat.nat icmp", "fail", "10.0.2.15");
    expect("pc2->vm-nat.nat icmp", "fail", "10.0.2.15");
    expect("vm-nat->internet icmp", "pass", "203.0.113.10");
    Check forward = expect("pc->vm-nat.forward ssh", "pass", "127.0.0.1");
    assertThat(forward.wireProbe()).isEqualTo(new ProbeSpec.Ssh(1234));
    assertThat(forward.to().address().orElseThrow().from()).containsExactly("pc");
    assertThat(forward.login()).isPresent();
  }

  @Test
  void bridgedAndHostOnlyObservations() {
    expect("pc2->vm-br icmp", "pass", "10.1.5.91");
    expect("pc->vm-ho icmp", "pass", "192.168.56.101");
    expect("vm-ho->internet icmp", "no-route", "203.0.113.10");
    expect("pc2->vm-ho icmp", "fail", "192.168.56.101");
  }

  @Test
  void dockerObservations() {
    expect("ct1->ct2 icmp", "pass", "172.17.0.3");
    expect("ct2->ct1 tcp:80", "pass", "172.17.0.2");
    expect("ct1->internet icmp", "pass", "203.0.113.10");
    expect("host->ct1 icmp", "pass", "172.17.0.2");
    expect("ct1->host.docker0 icmp", "pass", "172.17.0.1");
    expect("host->front.published tcp:50000", "pass", "127.0.0.1");
    expect("front->back tcp:50000", "pass", "192.168.1.3");
    expect("ct1->back tcp:50000", "fail", "192.168.1.3");
    Check published = expect("outside->front.uplink tcp:50000", "pass", "10.254.255.1");
    assertThat(published.to().path()).isEqualTo(PathKind.PORT_FORWARD);
    expect("outside->back tcp:50000", "fail", "192.168.1.3");
  }

  @Test
  void openStackObservations() {
    expect("os-vm->pc icmp", "pass", "10.1.5.90");
    expect("pc->os-vm.private icmp", "fail", "10.0.0.109");
    expect("pc->os-vm.floating icmp", "pass", "192.168.37.163");
    expect("pc->os-vm.floating ssh", "pass", "192.168.37.163");
    expect("pc->os-vm.floating tcp:50000", "dropped-on-path", "192.168.37.163");
  }

  @Test
  void twoTierObservations() {
    for (String op : List.of("sum", "sub", "mul", "div")) {
      expect("calc->" + op + " icmp", "fail", null);
    }
    expect("pc->calc.floating ssh", "pass", "192.168.37.96");
    expect("pc->calc.floating tcp:50000", "pass", "192.168.37.96");
    expect("rt2->div tcp:50000", "pass", "192.168.2.4");
  }

  private static Check expect(String id, String expectation, String ip) {
    Check c = demo.check(id).orElseThrow(() -> new AssertionError("demo.yaml has no " + id));
    assertThat(c.expect().label()).as("expectation of " + id).isEqualTo(expectation);
    if (ip != null) {
      assertThat(c.to().ip()).as("address of " + id).isEqualTo(ip);
    }
    return c;
  }
}

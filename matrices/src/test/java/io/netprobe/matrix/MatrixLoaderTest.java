package io.netprobe.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.agent.probe.ProbeSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a loaded matrix says: ids, targets, ports, layered settings, meshes, secrets. */
class MatrixLoaderTest {

  private static Check check(Matrix m, String id) {
    return m.check(id)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no check " + id + " in " + m.checks().stream().map(Check::id).toList()));
  }

  /** A class of 100 namespaces in a full mesh, three probes: 29,700 checks, a lab not a mistake. */
  @Test
  void aHundredNodeMeshOfThreeProbesLoads() throws MatrixException {
    StringBuilder yaml = new StringBuilder("name: class\nnodes:\n");
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      yaml.append("  n").append(i).append(": { kind: netns, netns: np-n").append(i);
      yaml.append(", addresses: { lan: 10.250.").append(i / 200).append('.').append(i % 200 + 1);
      yaml.append(" } }\n");
      members.append(i == 0 ? "" : ", ").append('n').append(i);
    }
    yaml.append("meshes:\n  - { nodes: [").append(members).append("], probes: [icmp, tcp:8001,");
    yaml.append(" tcp:8002], expect: pass }\n");
    Matrix m = MatrixLoader.load(yaml.toString(), "class.yaml");
    assertThat(m.checks()).hasSize(100 * 99 * 3);
  }

  @Test
  void checksGetStableIdsFromFromToAndProbe() throws MatrixException {
    Matrix m = Yamls.load(Yamls.BASE);
    assertThat(m.checks())
        .extracting(Check::id)
        .containsExactly("vm->internet icmp", "pc->vm.nat icmp", "pc->vm.forward ssh");
  }

  @Test
  void portForwardSendsTheSshProbeToTheForwardedPort() throws MatrixException {
    Check c = check(Yamls.load(Yamls.BASE), "pc->vm.forward ssh");
    assertThat(c.to().ip()).isEqualTo("127.0.0.1");
    assertThat(c.to().path()).isEqualTo(PathKind.PORT_FORWARD);
    assertThat(c.probe()).isEqualTo(new ProbeSpec.Ssh(22));
    assertThat(c.wireProbe()).isEqualTo(new ProbeSpec.Ssh(1234));
    assertThat(c.points()).isEqualTo(2);
  }

  @Test
  void sshProbeToAnSshNodeUsesItsLoginByReferenceOnly() throws MatrixException {
    Check c = check(Yamls.load(Yamls.BASE), "pc->vm.forward ssh");
    assertThat(c.login()).isPresent();
    assertThat(c.login().get().secret()).contains(new SecretRef.PasswordEnv("LAB_PASSWORD"));
    assertThat(c.toString()).doesNotContain("hunter2");
  }

  @Test
  void defaultsFillWhatACheckDoesNotSay() throws MatrixException {
    Matrix m =
        Yamls.load(
            Yamls.BASE.replace(
                "defaults: { timeout: 1s, points: 1 }",
                "defaults: { timeout: 1500ms, points: 3, retries: 2, icmp-count: 4 }"));
    Check c = check(m, "vm->internet icmp");
    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.points()).isEqualTo(3);
    assertThat(c.retries()).isEqualTo(2);
    assertThat(c.probe()).isEqualTo(new ProbeSpec.Icmp(4));
    assertThat(m.totalPoints()).isEqualTo(3 + 3 + 2);
  }

  @Test
  void rrChecksTakeTransportPortDurationAndSize() throws MatrixException {
    Matrix m =
        Yamls.load(
            Yamls.BASE
                + "  - { from: pc, to: vm.nat, probe: rr:tcp:5001, expect: pass, duration: 2s,"
                + " size: 128 }\n"
                + "  - { from: pc, to: vm.forward, probe: rr:udp:22, expect: pass }\n");
    assertThat(check(m, "pc->vm.nat rr:tcp:5001").probe())
        .isEqualTo(new ProbeSpec.Rr(ProbeSpec.Transport.TCP, 5001, 2000, 128));
    Check forwarded = check(m, "pc->vm.forward rr:udp:22");
    assertThat(forwarded.probe())
        .as("defaults: 1 s of 64-byte transactions")
        .isEqualTo(new ProbeSpec.Rr(ProbeSpec.Transport.UDP, 22, 1000, 64));
    assertThat(forwarded.wireProbe())
        .as("a port-map moves it like any port probe")
        .isEqualTo(new ProbeSpec.Rr(ProbeSpec.Transport.UDP, 1234, 1000, 64));
  }

  @Test
  void bulkChecksTakePortDurationAndAThroughputThreshold() throws MatrixException {
    Matrix m =
        Yamls.load(
            Yamls.BASE
                + "  - { from: pc, to: vm.nat, probe: bulk:tcp:5002, duration: 500ms,"
                + " expect: { throughput: \">1Gbit/s\" } }\n"
                + "  - { from: pc, to: vm.forward, probe: bulk:tcp:22, expect: pass }\n");
    Check bulk = check(m, "pc->vm.nat bulk:tcp:5002");
    assertThat(bulk.probe()).isEqualTo(new ProbeSpec.Bulk(5002, 500));
    assertThat(bulk.expect().label()).isEqualTo("pass, throughput > 1 Gbit/s");
    Check forwarded = check(m, "pc->vm.forward bulk:tcp:22");
    assertThat(forwarded.probe()).as("default: 1 s").isEqualTo(new ProbeSpec.Bulk(22, 1000));
    assertThat(forwarded.wireProbe()).isEqualTo(new ProbeSpec.Bulk(1234, 1000));
  }

  @Test
  void thresholdsMakeAMeasuredExpectationOnRrAndIcmp() throws MatrixException {
    Matrix m =
        Yamls.load(
            Yamls.BASE
                + "  - { from: pc, to: vm.nat, probe: rr:udp:5001,"
                + " expect: { rtt-p99: \"<5ms\", tps: \">10000\", loss: \"<1%\" } }\n"
                + "  - { from: vm, to: internet, probe: tcp:443, expect: pass }\n"
                + "  - from: pc\n"
                + "    to: internet\n"
                + "    probe: icmp\n"
                + "    expect:\n"
                + "      rtt-max: <200us\n");
    assertThat(check(m, "pc->vm.nat rr:udp:5001").expect().label())
        .isEqualTo("pass, tps > 10,000/s, rtt-p99 < 5 ms, loss < 1%");
    Expectation icmp = check(m, "pc->internet icmp").expect();
    assertThat(icmp.label()).isEqualTo("pass, rtt-max < 0.2 ms");
    assertThat(icmp.isMetBy(Disposition.REACHED)).isTrue();
    assertThat(icmp.isMetBy(Disposition.TIMED_OUT)).isFalse();
  }

  @Test
  void literalTargetsTakeIpAndPort() throws MatrixException {
    Matrix m =
        Yamls.load(
            Yamls.BASE
                + "  - { from: pc, to: \"127.0.0.1:1234\", probe: ssh, expect: pass }\n"
                + "  - { from: pc, to: 203.0.113.10, probe: tcp:80, expect: refused }\n");
    Check forward = check(m, "pc->127.0.0.1:1234 ssh");
    assertThat(forward.to().isLiteral()).isTrue();
    assertThat(forward.wireProbe()).isEqualTo(new ProbeSpec.Ssh(1234));
    Check web = check(m, "pc->203.0.113.10 tcp:80");
    assertThat(web.expect()).isEqualTo(new Expectation.Exactly(Disposition.REFUSED));
    assertThat(web.expect().isMetBy(Disposition.REFUSED)).isTrue();
    assertThat(web.expect().isMetBy(Disposition.DROPPED_ON_PATH)).isFalse();
  }

  @Test
  void nodeNameAloneMeansItsOnlyOrDefaultAddress() throws MatrixException {
    Matrix m =
        Yamls.load(
            Yamls.BASE.replace(
                    "    addresses:\n      nat:",
                    "    default-address: nat\n    addresses:\n      nat:")
                + "  - { from: pc, to: vm, probe: tcp:22, expect: fail }\n"
                + "  - { from: vm, to: ct1, probe: icmp, expect: pass }\n");
    assertThat(check(m, "pc->vm tcp:22").to().ip()).isEqualTo("10.0.2.15");
    assertThat(check(m, "vm->ct1 icmp").to().ip()).isEqualTo("172.17.0.2");
  }

  @Test
  void placeholdersComeFromTheEnvironmentOrTheirDefault() throws MatrixException {
    String yaml =
        Yamls.BASE
            .replace("ip: 10.0.2.15", "ip: \"${NAT_IP:-10.0.2.15}\"")
            .replace("docker0: 172.17.0.2", "docker0: \"${CT_IP:-172.17.0.9}\"");
    Matrix m = MatrixLoader.load(yaml, "t.yaml", Map.of("NAT_IP", "10.0.3.15"));
    assertThat(m.node("vm").orElseThrow().addresses().get("nat").ip()).isEqualTo("10.0.3.15");
    assertThat(m.node("ct1").orElseThrow().addresses().get("docker0").ip()).isEqualTo("172.17.0.9");
  }

  @Test
  void meshGivesEveryOrderedPairAndProbe() throws MatrixException {
    Matrix m = Yamls.load(meshMatrix(""));
    assertThat(m.checks())
        .extracting(Check::id)
        .containsExactlyInAnyOrder(
            "a->b icmp",
            "a->b tcp:80",
            "a->c icmp",
            "a->c tcp:80",
            "b->a icmp",
            "b->a tcp:80",
            "b->c icmp",
            "b->c tcp:80");
    assertThat(check(m, "a->b icmp").title()).isEqualTo("a reaches b (icmp)");
  }

  @Test
  void meshOverrideChangesOneCellAndSkipRemovesOne() throws MatrixException {
    Matrix m =
        Yamls.load(
            meshMatrix(
                """
            overrides:
              - { from: a, to: b, probe: tcp:80, expect: refused, hint: nothing listens }
              - { from: b, to: c, probe: icmp, skip: true }
        """));
    assertThat(m.checks()).hasSize(7);
    Check changed = check(m, "a->b tcp:80");
    assertThat(changed.expect().label()).isEqualTo("refused");
    assertThat(changed.hint()).isEqualTo("nothing listens");
    assertThat(changed.title()).as("the mesh's title stays").isEqualTo("a reaches b (tcp:80)");
    assertThat(m.check("b->c icmp")).isEmpty();
  }

  @Test
  void overrideOfAMissingCellIsAProblem() {
    assertThat(
            Yamls.problems(
                meshMatrix(
                    """
            overrides:
              - { from: a, to: a, probe: icmp, expect: fail }
        """)))
        .singleElement()
        .asString()
        .contains("override 'a->a icmp' matches no cell of mesh 'lan'");
  }

  @Test
  void meshWithFromAndToGivesTheProductAndSkipsForbiddenAddresses() throws MatrixException {
    Matrix m =
        Yamls.load(
            Yamls.BASE
                + """
        meshes:
          - { from: [pc, ct1], to: [vm.forward, vm.nat, internet], probes: [tcp:22], expect: fail }
        """);
    assertThat(m.checks().stream().map(Check::id).filter(id -> id.contains("tcp:22")))
        .containsExactlyInAnyOrder(
            "pc->vm.forward tcp:22",
            "pc->vm.nat tcp:22",
            "pc->internet tcp:22",
            "ct1->vm.nat tcp:22",
            "ct1->internet tcp:22");
  }

  @Test
  void meshCellThatRepeatsAnExplicitCheckIsADuplicate() {
    assertThat(
            Yamls.problems(
                Yamls.BASE
                    + """
        meshes:
          - { from: [pc], to: [vm.nat], probes: [icmp], expect: fail }
        """))
        .singleElement()
        .asString()
        .contains("duplicate check 'pc->vm.nat icmp'");
  }

  @Test
  void checksKeepWhereTheyWereWritten() throws MatrixException {
    Check c = check(Yamls.load(Yamls.BASE), "pc->vm.nat icmp");
    assertThat(c.source()).isEqualTo(new Location(Yamls.FILE, 15, 5));
  }

  @Test
  void nodeAccessFollowsTheKind() throws MatrixException {
    Matrix m = Yamls.load(Yamls.BASE);
    assertThat(m.node("pc").orElseThrow().access()).isEqualTo(new NodeAccess.Local());
    assertThat(m.node("ct1").orElseThrow().access()).isEqualTo(new NodeAccess.Docker("web"));
    assertThat(m.node("internet").orElseThrow().kind().hasAgent()).isFalse();
    NodeAccess.Ssh ssh = (NodeAccess.Ssh) m.node("vm").orElseThrow().access();
    assertThat(ssh.port()).isEqualTo(2222);
    assertThat(ssh.login().user()).isEqualTo("lab");
    assertThat(ssh.login().knownHosts()).isEqualTo(Optional.empty());
  }

  @Test
  void anchorsAndMergeKeysRepeatAChecksSettings() throws MatrixException {
    Matrix m =
        Yamls.load(
            Yamls.BASE.replace(
                "  - { from: vm, to: internet, probe: icmp, expect: pass }",
                "  - &web { from: vm, to: internet, probe: icmp, expect: pass, hint: check the route }\n"
                    + "  - { <<: *web, probe: tcp:80 }"));
    assertThat(check(m, "vm->internet tcp:80").hint()).isEqualTo("check the route");
  }

  private static String meshMatrix(String overrides) {
    return """
        name: mesh
        nodes:
          a: { kind: netns, netns: np-a, addresses: { lan: 10.9.0.1 } }
          b: { kind: netns, netns: np-b, addresses: { lan: 10.9.0.2 } }
          c: { kind: address, addresses: { lan: 10.9.0.3 } }
        meshes:
          - name: lan
            nodes: [a, b, c]
            probes: [icmp, tcp:80]
            expect: pass
            title: "{from} reaches {to} ({probe})"
        """
        + overrides;
  }

  @Test
  void hostNameAddressesGoToTheSourceToResolve() throws MatrixException {
    Matrix m =
        Yamls.load(
            Yamls.BASE
                .replace(
                    "internet: { kind: address, addresses: { public: { ip: 203.0.113.10, path: routed"
                        + " } } }",
                    "internet: { kind: address, addresses: { public: { host: www.example.net, path:"
                        + " routed }, short: example.net } }")
                .replace("from: vm, to: internet,", "from: vm, to: internet.public,"));
    Check c = check(m, "vm->internet.public icmp");
    assertThat(c.to().ip()).isEqualTo("www.example.net");
    assertThat(c.to().address().orElseThrow().isHostName()).isTrue();
    assertThat(c.to().path()).isEqualTo(PathKind.ROUTED);
    assertThat(m.nodes().get("internet").addresses().get("short").ip()).isEqualTo("example.net");
    assertThat(m.nodes().get("vm").addresses().get("nat").isHostName()).isFalse();
  }

  @Test
  void watchedNodesAreKeptInOrderOnceEach() throws MatrixException {
    Matrix m = Yamls.load(Yamls.BASE + "watch: [ct1, pc, ct1]\n");
    assertThat(m.watch()).containsExactly("ct1", "pc");
  }

  @Test
  void watchingAnUnknownNodeOrAnAddressIsAProblemAtItsLine() {
    assertThat(Yamls.problems(Yamls.BASE + "watch: [ct2, internet]\n"))
        .satisfiesExactly(
            p -> assertThat(p).contains("labs/t.yaml:17:", "unknown node 'ct2' in watch", "ct1"),
            p ->
                assertThat(p)
                    .contains("labs/t.yaml:17:", "'internet' is of kind address", "no agent"));
  }
}

package io.netprobe.matrix;

import static io.netprobe.matrix.Yamls.baseWithLine;
import static io.netprobe.matrix.Yamls.load;
import static io.netprobe.matrix.Yamls.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each kind of mistake gives its own message, at the line and column of the wrong value. */
class MatrixLoaderErrorsTest {

  @Test
  void baseMatrixLoads() throws MatrixException {
    assertThat(Yamls.load(Yamls.BASE).checks()).hasSize(3);
  }

  @Test
  void unknownNodeNamesTheCheckAndListsTheNodes() {
    String yaml = baseWithLine(15, "  - { from: pc, to: vm2, probe: icmp, expect: fail }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:15:21: unknown node 'vm2' in check 'pc->vm2 icmp'; did you mean 'vm'?;"
                + " nodes are: pc, vm, ct1, internet");
  }

  @Test
  void unknownAddressListsTheNodesAddresses() {
    String yaml = baseWithLine(15, "  - { from: pc, to: vm.nta, probe: icmp, expect: fail }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:15:21: unknown address 'nta' of node 'vm' in check 'pc->vm.nta icmp';"
                + " did you mean 'nat'?; vm's addresses are: nat, forward");
  }

  @Test
  void nodeWithSeveralAddressesNeedsOneNamed() {
    String yaml = baseWithLine(15, "  - { from: pc, to: vm, probe: icmp, expect: fail }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .startsWith("labs/t.yaml:15:21: node 'vm' in check 'pc->vm icmp' has several addresses")
        .endsWith("write vm.nat or vm.forward");
  }

  @Test
  void portOutOfRangeIsReportedAtThePort() {
    String yaml =
        baseWithLine(16, "  - { from: pc, to: internet, probe: tcp:70000, expect: fail }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:16:38: in check 'pc->internet tcp:70000': bad port 70000: ports are"
                + " 1..65535");
  }

  @Test
  void portMapOutOfRangeNamesTheAddress() {
    String yaml =
        baseWithLine(
            10, "      forward: { ip: 127.0.0.1, port-map: { 22: 0 }, path: port-forward }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:10:49: port-map of 'vm.forward': bad port 0: ports are 1..65535");
  }

  @Test
  void unknownProbeListsTheProbes() {
    String yaml = baseWithLine(14, "  - { from: vm, to: internet, probe: ftp, expect: pass }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:14:38: in check 'vm->internet ftp': unknown probe 'ftp'; probes are:"
                + " icmp, tcp:PORT, udp:PORT, ssh, ssh:PORT, http[:PORT][/path],"
                + " https[:PORT][/path], rr:tcp:PORT, rr:udp:PORT, bulk:tcp:PORT");
  }

  @Test
  void anHttpProbeTakesAPortAPathAStatusAndABody() throws Exception {
    String yaml =
        baseWithLine(
            14,
            "  - { from: vm, to: internet, probe: \"http:8080/Hello?x=1\", expect: pass, status: 201,"
                + " body: world }");
    Check c = internet(load(yaml));
    assertThat(c.probe())
        .isEqualTo(
            new io.netprobe.agent.probe.ProbeSpec.Http(8080, false, "/Hello?x=1", 201, "world"));
    assertThat(c.id()).isEqualTo("vm->internet http:8080/Hello?x=1");
    assertThat(
            internet(
                    load(
                        baseWithLine(
                            14, "  - { from: vm, to: internet, probe: https, expect: pass }")))
                .probe())
        .isEqualTo(new io.netprobe.agent.probe.ProbeSpec.Http(443, true, "/"));
  }

  private static Check internet(Matrix m) {
    return m.checks().stream().filter(c -> c.id().startsWith("vm->internet")).findFirst().get();
  }

  @Test
  void statusOnAnotherProbeThanHttpSaysWhichProbesTakeIt() {
    String yaml =
        baseWithLine(
            14, "  - { from: vm, to: internet, probe: tcp:80, expect: pass, status: 200 }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains(":14:5: ", "has status, which only http and https probes take", "tcp:80");
    assertThat(
            problems(
                baseWithLine(
                    14, "  - { from: vm, to: internet, probe: http:99999, expect: pass }")))
        .singleElement()
        .asString()
        .contains("bad port 99999");
    assertThat(
            problems(
                baseWithLine(14, "  - { from: vm, to: internet, probe: HTTP:80/A, expect: pass }")))
        .singleElement()
        .asString()
        .contains("write the probe in lower case: http:80/A");
  }

  @Test
  void tcpWithoutPortSaysHowToWriteIt() {
    String yaml = baseWithLine(14, "  - { from: vm, to: internet, probe: tcp, expect: pass }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains(":14:38: ")
        .endsWith("probe 'tcp' needs a port: write tcp:80");
  }

  @Test
  void duplicateCheckPointsAtTheSecondAndNamesTheFirst() {
    String yaml = Yamls.BASE + "  - { from: pc, to: vm.nat, probe: icmp, expect: pass }\n";
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .startsWith("labs/t.yaml:17:5: duplicate check 'pc->vm.nat icmp' (first at line 15)");
  }

  @Test
  void inlinePasswordIsRejectedWithoutEchoingIt() {
    String yaml =
        baseWithLine(
            7, "    ssh: { host: 127.0.0.1, port: 2222, user: lab, password: hunter2secret }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .startsWith(
            "labs/t.yaml:7:52: field 'password' in ssh of node 'vm': secrets are never"
                + " written in a matrix file")
        .contains("password-env: VARIABLE", "password-file: PATH", "identity: PATH")
        .doesNotContain("hunter2secret");
  }

  @Test
  void passwordWrittenAsEnvNameIsRejectedWithoutEchoingIt() {
    String yaml =
        baseWithLine(7, "    ssh: { host: 127.0.0.1, user: lab, password-env: \"s3cret pass!\" }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains("must be the NAME of an environment variable")
        .doesNotContain("s3cret");
  }

  @Test
  void wrongTypeSaysWhatWasExpected() {
    String yaml = baseWithLine(7, "    ssh: [127.0.0.1, 2222]");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:7:10: ssh of node 'vm' must be a mapping (field: value), not a list");
  }

  @Test
  void textWhereANumberBelongsIsNamed() {
    String yaml =
        baseWithLine(
            16, "  - { from: pc, to: vm.forward, probe: ssh, expect: pass," + " points: two }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:16:67: field 'points' of a check: 'two' is not a whole number; write a"
                + " number 0..1000");
  }

  @Test
  void unknownFieldSuggestsTheClosest() {
    String yaml = baseWithLine(16, "  - { from: pc, to: vm.forward, probe: ssh, expct: pass }");
    assertThat(problems(yaml))
        .contains(
            "labs/t.yaml:16:45: unknown field 'expct' in a check; did you mean 'expect'?; valid"
                + " fields: from, to, probe, expect, points, timeout, retries, title, hint, status,"
                + " body, family, duration, size");
  }

  @Test
  void yamlSyntaxErrorGivesTheLineOfTheMistake() {
    String yaml = baseWithLine(14, "  - { from: vm, to: internet, probe: icmp, expect: pass");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .startsWith("labs/t.yaml:15:")
        .contains("YAML syntax error");
  }

  @Test
  void tabIndentationIsASyntaxError() {
    String yaml = baseWithLine(4, "\tpc: { kind: local }");
    assertThat(problems(yaml)).singleElement().asString().startsWith("labs/t.yaml:4:1: YAML");
  }

  @Test
  void unknownKindListsTheKinds() {
    String yaml = baseWithLine(4, "  pc: { kind: locale }");
    assertThat(problems(yaml))
        .contains(
            "labs/t.yaml:4:15: field 'kind' of node 'pc': unknown kind 'locale'; did you mean"
                + " 'local'?; kinds are: local, netns, ssh, docker, address");
  }

  @Test
  void unknownExpectationListsTheDispositions() {
    String yaml = baseWithLine(15, "  - { from: pc, to: vm.nat, probe: icmp, expect: refuse }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .startsWith(
            "labs/t.yaml:15:50: field 'expect' of a check: unknown expectation 'refuse'; did"
                + " you mean 'refused'?; write pass, fail, or one of: reached, refused, no-route");
  }

  @Test
  void addressReservedForOtherNodesIsRejected() {
    String yaml = Yamls.BASE + "  - { from: ct1, to: vm.forward, probe: ssh, expect: pass }\n";
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .startsWith(
            "labs/t.yaml:17:22: address 'vm.forward' in check 'ct1->vm.forward ssh' can only be"
                + " used from pc");
  }

  @Test
  void checkFromAnAddressNodeIsRejected() {
    String yaml = baseWithLine(14, "  - { from: internet, to: vm.nat, probe: icmp, expect: pass }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains(":14:13: node 'internet' in check 'internet->vm.nat icmp' is kind address");
  }

  @Test
  void missingRequiredFieldNamesIt() {
    String yaml = baseWithLine(11, "  ct1: { kind: docker, addresses: { docker0: 172.17.0.2 } }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:11:8: node 'ct1' is missing field 'container'; a node of this kind"
                + " needs the container's name or id, e.g. container: web");
  }

  @Test
  void badIpAddressIsExplained() {
    String yaml = baseWithLine(9, "      nat: { ip: 10.0.2.315, path: nat }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:9:18: field 'ip' of address 'vm.nat': '10.0.2.315' is not an IPv4"
                + " address: each of the four numbers is 0-255");
  }

  @Test
  void unsetEnvironmentVariableWithoutDefaultIsNamed() {
    String yaml = baseWithLine(9, "      nat: { ip: \"${VM_NAT_IP}\", path: nat }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .startsWith("labs/t.yaml:9:18: environment variable VM_NAT_IP is not set");
  }

  @Test
  void icmpToAPortIsRejected() {
    String yaml =
        baseWithLine(14, "  - { from: vm, to: 203.0.113.10:80, probe: icmp, expect: pass }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains(":14:21: check 'vm->203.0.113.10:80 icmp' sends icmp to '203.0.113.10:80'");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String yaml =
        Yamls.BASE
            .replace("probe: icmp, expect: pass", "probe: icmq, expect: pass")
            .replace("to: vm.nat", "to: vm.nax")
            .replace("points: 2", "points: -1");
    assertThat(problems(yaml)).hasSize(3);
  }

  @Test
  void emptyFileSaysWhatAMatrixNeeds() {
    assertThat(problems("# nothing\n"))
        .containsExactly(
            "labs/t.yaml:1:1: the file is empty; a matrix needs name, nodes and checks");
  }

  @Test
  void literalTargetThatIsNoIpSaysHowToWriteOne() {
    String yaml =
        baseWithLine(14, "  - { from: vm, to: 203.0.113.300, probe: icmp, expect: pass }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:14:21: in check 'vm->203.0.113.300 icmp': '203.0.113.300' is not an IPv4"
                + " address: each of the four numbers is 0-255");
  }

  @Test
  void fromNamingAnAddressSaysToNameTheNode() {
    String yaml = baseWithLine(15, "  - { from: vm.nat, to: internet, probe: icmp, expect: fail }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:15:13: in check 'vm.nat->internet icmp': from names a node, not one of"
                + " its addresses; write from: vm");
  }

  @Test
  void accessFieldOfAnotherKindIsNamed() {
    String yaml = baseWithLine(4, "  pc: { kind: local, container: web }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:4:22: field 'container' is for nodes of kind docker; node 'pc' is kind"
                + " local");
  }

  @Test
  void unknownMeshMemberIsReportedOnceAtTheMember() {
    String yaml =
        Yamls.BASE
            + "meshes:\n  - { name: lan, nodes: [vm.nat, ct2, ct1], probes: [icmp], expect: pass }\n";
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:18:34: unknown node 'ct2' in mesh 'lan'; did you mean 'ct1'?; nodes"
                + " are: pc, vm, ct1, internet");
  }

  @Test
  void twoDocumentsInOneFileAreASyntaxError() {
    assertThat(problems(Yamls.BASE + "---\nname: other\n"))
        .singleElement()
        .asString()
        .startsWith("labs/t.yaml:17:1: YAML syntax error: but found another document");
  }

  @Test
  void brokenNodeIsNotReportedAgainWhereChecksUseIt() {
    String yaml = baseWithLine(11, "  ct1: { kind: dokcer, container: web }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains("unknown kind 'dokcer'; did you mean 'docker'?");
  }

  @Test
  void meshNeedsTwoNodesAndAProbe() {
    String yaml = Yamls.BASE + "meshes:\n  - { nodes: [vm.nat], probes: [], expect: pass }\n";
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:18:14: field 'nodes' of mesh '#1' needs at least 2 items",
            "labs/t.yaml:18:32: field 'probes' of mesh '#1' needs at least 1 item");
  }

  @Test
  void unreadableNodesSectionIsOneProblemNotOnePerCheck() {
    String yaml =
        """
        name: x
        nodes: [pc, vm]
        checks:
          - { from: pc, to: vm, probe: icmp, expect: pass }
          - { from: vm, to: pc, probe: icmp, expect: pass }
        """;
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:2:8: field 'nodes' of the matrix: must be a mapping, not a list");
  }

  @Test
  void unreadableAddressesAreOneProblemNotOnePerCheck() {
    String yaml =
        Yamls.BASE.replace(
            """
                addresses:
                  nat: { ip: 10.0.2.15, path: nat }
                  forward: { ip: 127.0.0.1, port-map: { 22: 1234 }, path: port-forward, from: [pc] }
            """,
            "    addresses: [10.0.2.15]\n");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:8:16: field 'addresses' of node 'vm': must be a mapping, not a list");
  }

  @Test
  void addressWithBothIpAndHostSaysToKeepOne() {
    String yaml =
        baseWithLine(
            12,
            "  internet: { kind: address, addresses: { public: { ip: 203.0.113.10,"
                + " host: www.example.net } } }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains("address 'internet.public' has both ip and host")
        .contains("host: for a name to resolve");
  }

  @Test
  void badHostNameSaysWhatAHostNameIs() {
    String yaml =
        baseWithLine(
            12, "  internet: { kind: address, addresses: { public: { host: www..example } } }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .startsWith("labs/t.yaml:12:")
        .contains("'www..example' is not a host name")
        .contains("e.g. www.example.net");
  }

  @Test
  void rrProbeWithoutTransportSaysHowToWriteIt() {
    String yaml = baseWithLine(16, "  - { from: pc, to: internet, probe: rr:5001, expect: pass }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:16:38: in check 'pc->internet rr:5001': probe 'rr:5001': write"
                + " rr:tcp:PORT or rr:udp:PORT (request/response transactions to an echo responder"
                + " the target's agent opens on PORT)");
  }

  @Test
  void rrDurationLongerThanAMinuteIsRefusedAtTheValue() {
    String yaml =
        baseWithLine(
            16, "  - { from: pc, to: vm.nat, probe: rr:tcp:5001, expect: pass, duration: 2m }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:16:73: field 'duration' of a check: duration '2m' is longer than an rr"
                + " or bulk check measures: 1ms to 60s (e.g. 2s)");
  }

  @Test
  void rrSizeBelowTheSequenceNumberIsRefused() {
    String yaml =
        baseWithLine(16, "  - { from: pc, to: vm.nat, probe: rr:udp:5001, expect: pass, size: 4 }");
    assertThat(problems(yaml))
        .containsExactly("labs/t.yaml:16:69: field 'size' of a check: 4 is out of range 8..65000");
  }

  @Test
  void durationOnAnotherProbeThanRrSaysWhichProbesTakeIt() {
    String yaml =
        baseWithLine(16, "  - { from: pc, to: vm.nat, probe: tcp:80, expect: pass, duration: 2s }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains(":16:5: ", "has duration, which only rr and bulk probes take", "tcp:80");
  }

  @Test
  void anUnknownThresholdSuggestsTheClosest() {
    String yaml =
        baseWithLine(
            16, "  - { from: pc, to: vm.nat, probe: rr:tcp:5001, expect: { rtt-p98: \"<5ms\" } }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .startsWith(
            "labs/t.yaml:16:59: unknown field 'rtt-p98' in the thresholds of expect (pass, with"
                + " figures to keep); did you mean 'rtt-p90'?")
        .contains("tps, rtt-p50, rtt-p90, rtt-p99, rtt-max, loss");
  }

  @Test
  void aThresholdWithoutAUnitIsReportedAtItsValue() {
    String yaml =
        baseWithLine(
            16, "  - { from: pc, to: vm.nat, probe: rr:tcp:5001, expect: { rtt-p99: \"<5\" } }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:16:68: field 'rtt-p99' of the thresholds of expect (pass, with figures to"
                + " keep): threshold '<5' needs a unit of time: ms, us or s, e.g. \"<5ms\" (or us,"
                + " s)");
  }

  @Test
  void thresholdsOnAProbeThatMeasuresNothingAreRefused() {
    String yaml =
        baseWithLine(
            16, "  - { from: pc, to: vm.nat, probe: tcp:22, expect: { rtt-p99: \"<5ms\" } }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains(":16:5: ", "has thresholds, which only rr probes", "its probe is tcp:22");
  }

  @Test
  void tpsOnAnIcmpCheckIsRefused() {
    String yaml =
        baseWithLine(16, "  - { from: pc, to: vm.nat, probe: icmp, expect: { tps: \">100\" } }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains("asks for tps, which only rr probes measure");
  }

  @Test
  void bulkOverUdpSaysItRunsOverTcpOnly() {
    String yaml =
        baseWithLine(16, "  - { from: pc, to: vm.nat, probe: bulk:udp:5002, expect: pass }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains(":16:", "write bulk:tcp:PORT", "bulk runs over TCP only");
  }

  @Test
  void aThroughputWithoutARateUnitIsRefusedAtTheValue() {
    String yaml =
        baseWithLine(
            16,
            "  - { from: pc, to: vm.nat, probe: bulk:tcp:5002, expect: { throughput: \">1ms\" } }");
    assertThat(problems(yaml))
        .containsExactly(
            "labs/t.yaml:16:73: field 'throughput' of the thresholds of expect (pass, with figures to"
                + " keep): threshold '>1ms'"
                + " needs a unit of rate: bit/s, kbit/s, Mbit/s or Gbit/s, e.g. \">1Gbit/s\" (or"
                + " bit/s, kbit/s, Mbit/s)");
  }

  @Test
  void roundTripThresholdsOnABulkCheckAreRefused() {
    String yaml =
        baseWithLine(
            16,
            "  - { from: pc, to: vm.nat, probe: bulk:tcp:5002, expect: { rtt-p99: \"<5ms\" } }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains(
            ":16:5: ",
            "asks for rtt-p99, which a bulk probe does not measure",
            "a bulk check takes throughput");
  }

  @Test
  void throughputOnAnRrCheckIsRefused() {
    String yaml =
        baseWithLine(
            16,
            "  - { from: pc, to: vm.nat, probe: rr:tcp:5001, expect: { throughput: \">1Mbit/s\" } }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains("asks for throughput, which only bulk probes measure (bulk:tcp:PORT)");
  }

  @Test
  void sizeOnABulkCheckIsRefused() {
    String yaml =
        baseWithLine(
            16, "  - { from: pc, to: vm.nat, probe: bulk:tcp:5002, expect: pass, size: 64 }");
    assertThat(problems(yaml))
        .singleElement()
        .asString()
        .contains("has size, which only rr probes take", "its probe is bulk:tcp:5002");
  }
}

package io.netprobe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.agent.capture.CaptureSummary;
import io.netprobe.agent.facts.Facts;
import io.netprobe.agent.probe.Echoes;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.agent.protocol.ProbeArgs;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine with fake agents (scripted probe results, empty captures, no rules): which cells are
 * retried, what a node that could not be reached gives, how the matrix's hint joins the evidence's,
 * and which nodes are asked for their pcaps. The network itself is the lab tests'.
 */
class RunEngineTest {
  @TempDir Path dir;

  /** An agent whose probes answer from a script, one result per attempt, per target host. */
  static final class FakeAgent implements AgentCalls {
    final Map<String, Deque<ProbeStatus>> script = new HashMap<>();
    final List<String> ops = Collections.synchronizedList(new ArrayList<>());

    FakeAgent answers(String host, ProbeStatus... statuses) {
      script.put(host, new ArrayDeque<>(List.of(statuses)));
      return this;
    }

    @Override
    public CompletableFuture<JsonNode> call(String op, Map<String, Object> args) {
      ops.add(op);
      Object result =
          switch (op) {
            case "capture.start" -> Map.of("id", "run", "iface", "any");
            case "capture.stop" ->
                new CaptureSummary(
                    "run", "any", "", 0, false, 1000, List.of(), null, null, "stopped", 0L);
            case "capture.pcap" -> Map.of("id", "run", "pcapBase64", "");
            case "facts" ->
                new Facts("fake", List.of(), List.of(), List.of(), List.of(), false, List.of());
            default -> null;
          };
      if (result == null) {
        return CompletableFuture.failedFuture(new IllegalStateException("no " + op + " here"));
      }
      return CompletableFuture.completedFuture(RunEngine.JSON.valueToTree(result));
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ProbeArgs request) {
      String host = request.target().host();
      Deque<ProbeStatus> left = script.get(host);
      ProbeStatus status = left == null || left.isEmpty() ? ProbeStatus.REPLY : left.poll();
      return CompletableFuture.completedFuture(
          new ProbeResult(
              "icmp",
              host,
              host,
              status,
              "10.0.0.1",
              null,
              request.target().mark(),
              null,
              new Echoes(1, status.isReached() ? 1 : 0, List.of(), null, 4242, "ping"),
              null,
              List.of(),
              List.of("echo to " + host),
              1,
              0L));
    }
  }

  private static Matrix matrix() throws Exception {
    return MatrixLoader.load(
        """
        name: engine
        defaults: { timeout: 1s, retries: 1 }
        nodes:
          a: { kind: netns, netns: np-a, addresses: { x: { ip: 10.0.0.1, path: direct } } }
          b: { kind: netns, netns: np-b, addresses: { x: { ip: 10.0.0.2, path: direct } } }
          c: { kind: netns, netns: np-c, addresses: { x: { ip: 10.0.0.3, path: direct } } }
          gone: { kind: netns, netns: np-gone, addresses: { x: { ip: 10.0.0.9, path: direct } } }
        checks:
          - { from: a, to: b, probe: icmp, expect: pass }
          - { from: a, to: c, probe: icmp, expect: pass, hint: "c answers pings" }
          - { from: gone, to: a, probe: icmp, expect: pass }
        """,
        "engine.yaml");
  }

  private RunResult run(FakeAgent a, Path evidence) throws Exception {
    Matrix m = matrix();
    List<RunNode> nodes =
        List.of(
            RunNode.connected("a", a, null),
            RunNode.connected("b", new FakeAgent(), null),
            RunNode.connected("c", new FakeAgent(), null),
            RunNode.failed("gone", "namespace np-gone does not exist"));
    return new RunEngine(nodes, RunListener.NONE, evidence)
        .run(m, m.checks(), "engine.yaml", List.of(), Instant.now());
  }

  private static CheckResult cell(RunResult run, String id) {
    return run.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void probesGoOutLongestHoldFirst() throws Exception {
    Matrix m =
        MatrixLoader.load(
            """
            name: order
            defaults: { timeout: 1s }
            nodes:
              a: { kind: netns, netns: np-a, addresses: { x: 10.0.0.1 } }
              b: { kind: netns, netns: np-b, addresses: { x: 10.0.0.2 } }
              c: { kind: netns, netns: np-c, addresses: { x: 10.0.0.3 } }
            checks:
              - { from: a, to: b, probe: icmp, expect: pass }
              - { from: a, to: b, probe: "tcp:80", expect: pass }
              - { from: a, to: b, probe: "tcp:81", expect: fail }
              - { from: a, to: c, probe: "tcp:81", expect: fail }
              - { from: a, to: b, probe: "ssh:22", expect: pass }
              - { from: a, to: b, probe: "udp:53", expect: pass }
              - { from: a, to: b, probe: "tcp:82", expect: fail, timeout: 3s }
            """,
            "order.yaml");
    // b is captured, c is not: a failure towards c waits out its timeout
    List<String> order =
        RunEngine.longestFirst(m.checks(), c -> c.to().node().orElse("").equals("b")).stream()
            .map(c -> c.id())
            .toList();
    assertThat(order)
        .containsExactly(
            "a->c tcp:81",
            "a->b udp:53",
            "a->b ssh",
            "a->b tcp:80",
            "a->b tcp:82",
            "a->b tcp:81",
            "a->b icmp");
  }

  @Test
  void onlyACellThatDisagreesIsRetriedAndAChangeMarksItFlaky() throws Exception {
    FakeAgent a = new FakeAgent().answers("10.0.0.2", ProbeStatus.TIMEOUT, ProbeStatus.REPLY);
    RunResult run = run(a, null);
    CheckResult retried = cell(run, "a->b icmp");
    assertThat(retried.attempts()).isEqualTo(2);
    assertThat(retried.flaky()).isTrue();
    assertThat(retried.outcome()).isEqualTo(Outcome.OK);
    assertThat(cell(run, "a->c icmp").attempts()).as("as expected the first time").isEqualTo(1);
  }

  @Test
  void aNodeThatCouldNotBeReachedMakesItsCellsErrorAndTheRestStillRun() throws Exception {
    RunResult run = run(new FakeAgent(), null);
    CheckResult lost = cell(run, "gone->a icmp");
    assertThat(lost.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(lost.verdict().reason()).contains("gone could not be reached", "np-gone");
    assertThat(cell(run, "a->b icmp").outcome()).isEqualTo(Outcome.OK);
  }

  @Test
  void theMatrixHintFollowsTheEvidencesHintWhereTheCellIsUnexpected() throws Exception {
    FakeAgent a = new FakeAgent().answers("10.0.0.3", ProbeStatus.NO_ROUTE, ProbeStatus.NO_ROUTE);
    CheckResult unexpected = cell(run(a, null), "a->c icmp");
    assertThat(unexpected.outcome()).isEqualTo(Outcome.UNEXPECTED);
    assertThat(unexpected.verdict().hint())
        .startsWith("add a route on a")
        .endsWith(". Lab note: c answers pings");
    CheckResult ok = cell(run(new FakeAgent(), null), "a->c icmp");
    assertThat(ok.verdict().hint())
        .as("as expected: the lab's note alone")
        .isEqualTo("c answers pings");
  }

  @Test
  void pcapsAreAskedOnlyOfTheEndsOfCellsThatAreNotOk() throws Exception {
    FakeAgent a = new FakeAgent().answers("10.0.0.3", ProbeStatus.NO_ROUTE, ProbeStatus.NO_ROUTE);
    run(a, dir);
    assertThat(a.ops).contains("capture.pcap");
    FakeAgent quiet = new FakeAgent();
    run(quiet, dir);
    assertThat(quiet.ops)
        .as("every cell as expected: no pcap to back")
        .doesNotContain("capture.pcap");
  }
}

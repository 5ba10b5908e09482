package io.netprobe.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netprobe.agent.capture.CaptureSession;
import io.netprobe.agent.capture.PacketSummary;
import io.netprobe.agent.capture.PacketSummary.Direction;
import io.netprobe.agent.probe.IcmpProbe;
import io.netprobe.agent.probe.ProbeOptions;
import io.netprobe.agent.probe.ProbeResult;
import io.netprobe.agent.probe.ProbeStatus;
import io.netprobe.agent.probe.ProbeTarget;
import io.netprobe.agent.protocol.ProbeArgs;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The decision itself, on captures played by fake agents: early only where the target saw every
 * request arrive, answered none of them, and answered another source's request to the same service
 * fast; never where it answered, where nothing of the service was answered yet, or before its
 * capture has read past the margin.
 */
class EarlyVerdictsTest {
  private static final String A = "10.0.0.1";
  private static final String C = "10.0.0.3";
  private static final String B = "10.0.0.2";

  /** A node whose capture shows what the test puts in it, read up to {@code drainedMs}. */
  private static final class FakeCapture implements AgentCalls {
    final List<PacketSummary> packets = new ArrayList<>();
    final long startedAt = System.currentTimeMillis();
    volatile double drainedMs;

    synchronized void saw(Direction way, String src, int sport, String dst, int dport, String f) {
      double at = System.currentTimeMillis() - startedAt;
      packets.add(
          PacketSummary.tcp(new PacketSummary.Ip(at, "eth0", way, src, dst, 60), sport, dport, f));
    }

    synchronized void echo(Direction way, int type, String src, String dst, int id) {
      double at = System.currentTimeMillis() - startedAt;
      packets.add(
          PacketSummary.icmp(new PacketSummary.Ip(at, "eth0", way, src, dst, 84), type, 0, id, 1));
    }

    void readUpTo(double msFromNow) {
      drainedMs = System.currentTimeMillis() - startedAt + msFromNow;
    }

    @Override
    public CompletableFuture<JsonNode> call(String op, Map<String, Object> args) {
      return CompletableFuture.completedFuture(
          RunEngine.JSON.valueToTree(Map.of("id", "run", "iface", "any")));
    }

    @Override
    public synchronized CompletableFuture<CaptureSession.Peek> peek(String id, int since) {
      List<PacketSummary> rest =
          List.copyOf(packets.subList(Math.min(since, packets.size()), packets.size()));
      return CompletableFuture.completedFuture(
          new CaptureSession.Peek(id, since + rest.size(), drainedMs, startedAt, rest));
    }
  }

  private final FakeCapture a = new FakeCapture();
  private final FakeCapture c = new FakeCapture();
  private final FakeCapture b = new FakeCapture();

  private static final Matrix MATRIX =
      load(
          """
          name: early
          defaults: { timeout: 5s, retries: 0, icmp-count: 1 }
          nodes:
            a: { kind: netns, netns: np-a, addresses: { x: { ip: 10.0.0.1, path: direct } } }
            b: { kind: netns, netns: np-b, addresses: { x: { ip: 10.0.0.2, path: direct } } }
            c: { kind: netns, netns: np-c, addresses: { x: { ip: 10.0.0.3, path: direct } } }
          checks:
            - { from: a, to: b, probe: "tcp:80", expect: fail }
            - { from: c, to: b, probe: "tcp:80", expect: pass }
            - { from: a, to: b, probe: icmp, expect: fail }
            - { from: a, to: b, probe: "tcp:443", timeout: 800ms, expect: fail }
          """);

  private static Matrix load(String yaml) {
    try {
      return MatrixLoader.load(yaml, "early.yaml");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private EarlyVerdicts early() {
    Map<String, RunNode> nodes = new LinkedHashMap<>();
    nodes.put("a", RunNode.connected("a", a, null));
    nodes.put("b", RunNode.connected("b", b, null));
    nodes.put("c", RunNode.connected("c", c, null));
    Map<String, AgentCalls> agents = Map.of("a", a, "b", b, "c", c);
    Captures captures =
        Captures.start(nodes, agents, MATRIX.checks(), Duration.ofSeconds(30), false);
    return new EarlyVerdicts(captures);
  }

  private static ProbeArgs request(Check check, String mark) {
    return new ProbeArgs(
        check.wireProbe(),
        new ProbeTarget(check.to().ip(), (int) check.timeout().toMillis(), 0, mark),
        ProbeOptions.DEFAULT);
  }

  private static ProbeResult waited(CompletableFuture<ProbeResult> f, long ms) throws Exception {
    try {
      return f.get(ms, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    }
  }

  /** c's SYN to b:80 answered in no time: the calibration of that service. */
  private void cIsAnsweredAtOnce() {
    c.saw(Direction.OUT, C, 40000, B, 80, "S");
    b.saw(Direction.IN, C, 40000, B, 80, "S");
    b.saw(Direction.OUT, B, 80, C, 40000, "SA");
  }

  @Test
  void aSynThatArrivedAndDrewNothingIsDecidedOnceTheTargetsCaptureReadPastTheMargin()
      throws Exception {
    Check dropped = MATRIX.checks().get(0);
    try (EarlyVerdicts early = early()) {
      CompletableFuture<ProbeResult> cell =
          early.watch(dropped, request(dropped, "np0"), CompletableFuture::new);
      cIsAnsweredAtOnce();
      a.saw(Direction.OUT, A, 41000, B, 80, "S");
      b.saw(Direction.IN, A, 41000, B, 80, "S");
      // a 5 s timeout: SYNs go out at 0 s, 1 s and 3 s; all three must arrive unanswered
      b.readUpTo(EarlyVerdicts.FLOOR_MS + 10);
      assertThat(waited(cell, 150)).as("only one of three SYNs has arrived").isNull();
      b.saw(Direction.IN, A, 41000, B, 80, "S");
      b.saw(Direction.IN, A, 41000, B, 80, "S");
      b.readUpTo(0);
      assertThat(waited(cell, 150)).as("b has not read past the margin yet").isNull();
      b.readUpTo(EarlyVerdicts.FLOOR_MS + 10);
      ProbeResult r = waited(cell, 1000);
      assertThat(r).isNotNull();
      assertThat(r.status()).isEqualTo(ProbeStatus.TIMEOUT);
      assertThat(r.sourceAddress()).isEqualTo(A);
      assertThat(r.sourcePort()).isEqualTo(41000);
      assertThat(r.elapsedMs()).isLessThan(5000);
      assertThat(String.join("\n", r.evidence()))
          .contains("SYN sent from 10.0.0.1:41000 to 10.0.0.2:80")
          .contains("decided early")
          .contains("all 3 SYNs reached b and b sent nothing back within 50 ms");
      assertThat(early.decided()).isEqualTo(1);
    }
  }

  @Test
  void aRequestThatLeftBeforeItsStarterGotOnIsStillItsCells() throws Exception {
    Check dropped = MATRIX.checks().get(3); // tcp:443, 800 ms: one SYN
    try (EarlyVerdicts early = early()) {
      CompletableFuture<ProbeResult> cell =
          early.watch(
              dropped,
              request(dropped, "np3"),
              () -> {
                // the agent's SYN leaves at once; the thread that started it is then held up (a
                // busy core) before the watch is set: 20 ms, four times the slack for clocks
                a.saw(Direction.OUT, A, 41003, B, 443, "S");
                b.saw(Direction.IN, A, 41003, B, 443, "S");
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return new CompletableFuture<>();
              });
      c.saw(Direction.OUT, C, 40001, B, 443, "S"); // 443 answers others at once
      b.saw(Direction.IN, C, 40001, B, 443, "S");
      b.saw(Direction.OUT, B, 443, C, 40001, "SA");
      b.readUpTo(EarlyVerdicts.FLOOR_MS + 10);
      ProbeResult r = waited(cell, 1000);
      assertThat(r).as("decided early from its own SYN").isNotNull();
      assertThat(r.sourcePort()).isEqualTo(41003);
      assertThat(early.decided()).isEqualTo(1);
    }
  }

  @Test
  void aRetryIsNeverDecidedByTheSynsOfTheAttemptBeforeIt() throws Exception {
    Check dropped = MATRIX.checks().get(0);
    a.saw(Direction.OUT, A, 40999, B, 80, "S"); // the first attempt, still sending its SYNs
    b.saw(Direction.IN, A, 40999, B, 80, "S");
    Thread.sleep(20);
    try (EarlyVerdicts early = early()) {
      CompletableFuture<ProbeResult> retry =
          early.watch(dropped, request(dropped, "np0r1"), CompletableFuture::new);
      cIsAnsweredAtOnce();
      for (int i = 0; i < 3; i++) {
        a.saw(Direction.OUT, A, 40999, B, 80, "S");
        b.saw(Direction.IN, A, 40999, B, 80, "S");
      }
      a.saw(Direction.OUT, A, 41002, B, 80, "S"); // the retry's own flow: nothing arrived yet
      b.readUpTo(2_000);
      assertThat(waited(retry, 300)).as("the old flow's SYNs are not the retry's").isNull();
      for (int i = 0; i < 3; i++) {
        b.saw(Direction.IN, A, 41002, B, 80, "S");
      }
      b.readUpTo(2_000);
      ProbeResult r = waited(retry, 1000);
      assertThat(r).isNotNull();
      assertThat(r.sourcePort()).isEqualTo(41002);
    }
  }

  @Test
  void noEarlyVerdictWhereTheTargetHasAnsweredNothingOfThatServiceYet() throws Exception {
    Check dropped = MATRIX.checks().get(3); // tcp:443, 800 ms: one SYN
    try (EarlyVerdicts early = early()) {
      CompletableFuture<ProbeResult> cell =
          early.watch(dropped, request(dropped, "np3"), CompletableFuture::new);
      cIsAnsweredAtOnce(); // port 80 answered: says nothing of how fast 443 is answered
      a.saw(Direction.OUT, A, 41001, B, 443, "S");
      b.saw(Direction.IN, A, 41001, B, 443, "S");
      b.readUpTo(2_000);
      assertThat(waited(cell, 300)).isNull();
      assertThat(early.decided()).isZero();
    }
  }

  @Test
  void anAnsweredRequestIsLeftToItsProbeAndASlowServiceWidensTheMargin() throws Exception {
    Check icmp = MATRIX.checks().get(2);
    int id = IcmpProbe.identifierFor("np2");
    try (EarlyVerdicts early = early()) {
      CompletableFuture<ProbeResult> probe = new CompletableFuture<>();
      CompletableFuture<ProbeResult> cell = early.watch(icmp, request(icmp, "np2"), () -> probe);
      // c's echo to b answered 30 ms after it arrived: the margin is 20 x 30 ms = 600 ms
      c.echo(Direction.OUT, 8, C, B, 7);
      b.echo(Direction.IN, 8, C, B, 7);
      Thread.sleep(30);
      b.echo(Direction.OUT, 0, B, C, 7);
      a.echo(Direction.OUT, 8, A, B, id);
      b.echo(Direction.IN, 8, A, B, id);
      b.readUpTo(300);
      assertThat(waited(cell, 200)).as("within the 600 ms margin").isNull();
      b.echo(Direction.OUT, 0, B, A, id); // b answers after all
      b.readUpTo(1_000);
      assertThat(waited(cell, 200)).as("answered: not decided early").isNull();
      ProbeResult own =
          ProbeResult.builder("icmp", ProbeTarget.of(B, 5000)).status(ProbeStatus.REPLY).build();
      probe.complete(own);
      assertThat(waited(cell, 200)).isSameAs(own);
      assertThat(early.decided()).isZero();
    }
  }

  @Test
  void anEchoUnderTheNextFreeIdIsStillItsCellsAndTwoCandidatesAreNone() throws Exception {
    Check icmp = MATRIX.checks().get(2);
    int id = IcmpProbe.identifierFor("np2");
    int next = id % 65535 + 1; // the agent's socket found the mark's id taken: the next free one
    try (EarlyVerdicts early = early()) {
      CompletableFuture<ProbeResult> cell =
          early.watch(icmp, request(icmp, "np2"), CompletableFuture::new);
      c.echo(Direction.OUT, 8, C, B, 7); // b answers others' echoes at once
      b.echo(Direction.IN, 8, C, B, 7);
      b.echo(Direction.OUT, 0, B, C, 7);
      a.echo(Direction.OUT, 8, A, B, next);
      b.echo(Direction.IN, 8, A, B, next);
      b.readUpTo(EarlyVerdicts.FLOOR_MS + 10);
      ProbeResult r = waited(cell, 1000);
      assertThat(r).as("decided early under the id it got").isNotNull();
      assertThat(r.status()).isEqualTo(ProbeStatus.TIMEOUT);
      assertThat(r.echoes().identifier())
          .as("the id its echo left with, by which the run finds its packets")
          .isEqualTo(next);
      assertThat(early.decided()).isEqualTo(1);
    }
    try (EarlyVerdicts early = early()) {
      CompletableFuture<ProbeResult> cell =
          early.watch(icmp, request(icmp, "np2"), CompletableFuture::new);
      a.echo(Direction.OUT, 8, A, B, next + 1);
      a.echo(Direction.OUT, 8, A, B, next + 2); // another echo to b near that id: which is it?
      b.echo(Direction.IN, 8, A, B, next + 1);
      b.echo(Direction.IN, 8, A, B, next + 2);
      b.readUpTo(EarlyVerdicts.FLOOR_MS + 10);
      assertThat(waited(cell, 300)).as("two candidates: left to the probe").isNull();
      assertThat(early.decided()).isZero();
    }
  }

  @Test
  void udpAndChecksWithoutATargetNodeAreNeverWatched() {
    Matrix m =
        load(
            """
            name: early
            nodes:
              a: { kind: netns, netns: np-a }
              b: { kind: netns, netns: np-b, addresses: { x: { ip: 10.0.0.2, path: direct } } }
            checks:
              - { from: a, to: 10.0.0.2, probe: "tcp:80", expect: pass }
              - { from: a, to: b, probe: "udp:53", expect: fail }
            """);
    Check literal = m.checks().get(0);
    Check udp = m.checks().get(1);
    try (EarlyVerdicts early = early()) {
      CompletableFuture<ProbeResult> probe = new CompletableFuture<>();
      assertThat(early.watch(literal, request(literal, "x"), () -> probe)).isSameAs(probe);
      assertThat(early.watch(udp, request(udp, "y"), () -> probe)).isSameAs(probe);
      assertThat(early.decidable(literal)).isFalse();
      assertThat(early.decidable(udp)).isFalse();
      assertThat(early.decidable(MATRIX.checks().get(0))).isTrue();
    }
  }
}

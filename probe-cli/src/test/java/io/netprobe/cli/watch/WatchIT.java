package io.netprobe.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.Options;
import io.netprobe.report.ReportFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch on a lab of its own (np-wa-c 10.241.0.1, np-wa-s 10.241.0.2 serving tcp/8080): the path
 * is broken while the watch runs (the server's firewall drops ping) and mended; each change is a
 * flip with an event, a line on stderr, the evidence of that round (the verdict's words and both
 * ends' pcaps), a counter in the metrics and a strip in the report's timeline.
 */
class WatchIT {
  private static final String SETUP =
      """
      set -e
      ip route add unreachable 10.241.0.0/16 metric 4241
      for ns in np-wa-c np-wa-s; do
        ip netns add $ns; ip -n $ns link set lo up
        ip netns exec $ns sysctl -qw net.ipv4.ping_group_range="0 2147483647"
      done
      ip -n np-wa-c link add eth0 type veth peer name eth0 netns np-wa-s
      ip -n np-wa-c addr add 10.241.0.1/24 dev eth0; ip -n np-wa-c link set eth0 up
      ip -n np-wa-s addr add 10.241.0.2/24 dev eth0; ip -n np-wa-s link set eth0 up
      """;
  private static final String TEARDOWN =
      """
      for ns in np-wa-c np-wa-s; do
        pids=$(ip netns pids $ns 2>/dev/null); [ -n "$pids" ] && kill $pids 2>/dev/null
        ip netns del $ns 2>/dev/null
      done
      ip route del unreachable 10.241.0.0/16 metric 4241 2>/dev/null
      exit 0
      """;
  private static final String MATRIX =
      """
      name: watched
      defaults: { timeout: 500ms, retries: 0 }
      nodes:
        c: { kind: netns, netns: np-wa-c, addresses: { lan: 10.241.0.1 } }
        s: { kind: netns, netns: np-wa-s, addresses: { lan: 10.241.0.2 } }
      checks:
        - { from: c, to: s, probe: icmp, expect: pass }
        - { from: c, to: s, probe: "tcp:8080", expect: pass }
      """;

  private static Process server;

  @TempDir Path out;

  @BeforeAll
  static void up() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
    LabFixture.sh("bash", "-c", SETUP);
    server =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                "np-wa-s",
                "socat",
                "TCP-LISTEN:8080,fork,reuseaddr",
                "SYSTEM:true")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
  }

  @AfterAll
  static void down() throws Exception {
    if (server != null) {
      server.descendants().forEach(ProcessHandle::destroy);
      server.destroy();
    }
    LabFixture.sh("bash", "-c", TEARDOWN);
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the watch did not see " + what + " within 30 s");
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aPathBrokenAndMendedWhileWatchedIsTwoFlipsWithTheirEvidence() throws Exception {
    Matrix matrix = MatrixLoader.load(MATRIX, "watched.yaml");
    StringWriter stderr = new StringWriter();
    var settings =
        new Watcher.Settings(
            Duration.ofMillis(200),
            0,
            out,
            EnumSet.of(ReportFormat.HTML, ReportFormat.JSON),
            Options.INSTRUCTOR);
    try (Watcher watcher =
        new Watcher(matrix, "watched.yaml", false, settings, new PrintWriter(stderr, true))) {
      WatchState state = watcher.state();
      try (Watching running = new Watching(watcher)) {
        await("two rounds", () -> state.rounds() >= 2);
        LabFixture.sh(
            "ip",
            "netns",
            "exec",
            "np-wa-s",
            "iptables",
            "-I",
            "INPUT",
            "-p",
            "icmp",
            "--icmp-type",
            "echo-request",
            "-j",
            "DROP");
        try {
          await("the drop", () -> state.flips("c->s icmp") >= 1);
        } finally {
          LabFixture.sh(
              "ip",
              "netns",
              "exec",
              "np-wa-s",
              "iptables",
              "-D",
              "INPUT",
              "-p",
              "icmp",
              "--icmp-type",
              "echo-request",
              "-j",
              "DROP");
        }
        await("the mend", () -> state.flips("c->s icmp") >= 2);
        long seen = state.rounds();
        await("a round after", () -> state.rounds() > seen);
      }
      assertThat(state.flips("c->s tcp:8080")).as("the other cell stayed").isZero();
      List<String> events = Files.readAllLines(out.resolve("events.jsonl"));
      assertThat(events).hasSize(2);
      assertThat(events.get(0))
          .contains(
              "\"check\":\"c->s icmp\"", "\"from\":\"REACHED\"", "\"to\":\"DROPPED_AT_TARGET\"")
          // the rule itself is named only when it was there before the round began (a rule
          // added mid-round has no counter to compare)
          .contains("the request arrived at s from 10.241.0.1 and nothing left in answer");
      assertThat(events.get(1)).contains("\"to\":\"REACHED\"", "\"outcome\":\"OK\"");
      assertThat(stderr.toString())
          .contains("c->s icmp REACHED -> DROPPED_AT_TARGET (unexpected)")
          .contains("c->s icmp DROPPED_AT_TARGET -> REACHED (ok)");
      Path flip;
      try (Stream<Path> dirs = Files.list(out.resolve("flips"))) {
        flip =
            dirs.sorted()
                .filter(d -> Files.exists(d.resolve("c_s_icmp.s.pcap")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no pcap of the target kept in " + out));
      }
      assertThat(Files.readString(flip.resolve("evidence.txt")))
          .contains("DROPPED_AT_TARGET (UNEXPECTED)")
          .contains("s capture:")
          .contains("arrived at s from 10.241.0.1");
      assertThat(Files.size(flip.resolve("c_s_icmp.c.pcap"))).isGreaterThan(24);
      assertThat(state.prometheus())
          .contains(
              "netprobe_cell_flips_total{check=\"c->s icmp\",from=\"c\",to=\"s\",probe=\"icmp\"} 2");
      assertThat(Files.readString(out.resolve("report.html")))
          .contains("<h2>Timeline: ")
          .contains("REACHED &rarr; <b>DROPPED_AT_TARGET</b>");
      assertThat(Files.readString(out.resolve("run.json"))).contains("\"timeline\"");
    }
  }
}

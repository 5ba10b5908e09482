package io.netprobe.cli.run;

import static io.netprobe.cli.run.LabRun.said;
import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.LabFixture;
import io.netprobe.matrix.Disposition;
import io.netprobe.report.model.CheckResult;
import io.netprobe.report.model.Finding;
import io.netprobe.report.model.Outcome;
import io.netprobe.report.model.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run that fills this machine's neighbour (ARP) table itself, as a forty-namespace mesh fills the
 * default 1,024 entries. The table is one for every namespace, so the test sets its limits for the
 * whole machine while it runs (and puts them back after each test, failed or not): room for 70
 * entries, and a kernel that may drop every idle entry when it needs room ({@code gc_thresh2} 0). A
 * mesh of ten namespaces needs 90. The sends the kernel refuses (ENOBUFS) are no verdict on the
 * network: the run checks those cells again in paced waves once entries are idle, and what the
 * table still refuses is one finding. While it runs, other namespaces of the machine may lose idle
 * entries (they are asked for again) or, for a second, find no room for a new one.
 */
class NeighbourTableIT {
  private static final Path NEIGH = Path.of("/proc/sys/net/ipv4/neigh/default");
  private static final String[] THRESHOLDS = {"gc_thresh1", "gc_thresh2", "gc_thresh3"};
  private static final int NODES = 10;
  private static final String SETUP =
      """
      set -e
      ip netns add np-nt-sw
      ip route add unreachable 10.252.0.0/24 metric 4252
      ip -n np-nt-sw link add np-nt-br type bridge
      ip -n np-nt-sw link set np-nt-br up
      for i in $(seq %1$d); do
        ip netns add np-nt-$i
        ip -n np-nt-sw link add np-nt-p$i type veth peer name eth0 netns np-nt-$i
        ip -n np-nt-sw link set np-nt-p$i master np-nt-br up
        ip -n np-nt-$i addr add 10.252.0.$i/24 dev eth0
        ip -n np-nt-$i link set eth0 up
        ip -n np-nt-$i link set lo up
        ip netns exec np-nt-$i sysctl -qw net.ipv4.ping_group_range="0 2147483647"
        ip netns exec np-nt-$i sysctl -qw net.ipv6.conf.all.disable_ipv6=1
      done
      """
          .formatted(NODES);
  private static final String TEARDOWN =
      """
      for ns in $(ip netns list | awk '$1 ~ /^np-nt-/ {print $1}'); do ip netns del $ns; done
      ip route del unreachable 10.252.0.0/24 metric 4252 2>/dev/null
      exit 0
      """;

  private static final List<String> saved = new ArrayList<>();

  @BeforeAll
  static void up() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
    LabFixture.sh("bash", "-c", SETUP);
    for (String t : THRESHOLDS) {
      saved.add(read(t));
    }
  }

  @AfterEach
  void restore() throws Exception {
    System.clearProperty("netprobe.paced.quiet-ms");
    System.clearProperty("netprobe.paced.cap-ms");
    // in this order, so that thresh1 <= thresh2 <= thresh3 holds at every step back up
    for (int i = THRESHOLDS.length - 1; i >= 0; i--) {
      Files.writeString(NEIGH.resolve(THRESHOLDS[i]), saved.get(i));
    }
  }

  @AfterAll
  static void down() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
  }

  /** Every ordered pair of the namespaces, an echo each: 90 neighbour entries. */
  private static String mesh() {
    return mesh("icmp", "pass");
  }

  /** The same with another probe and expectation. */
  private static String mesh(String probe, String expect) {
    StringBuilder m =
        new StringBuilder(
            "name: neighbour table\ndefaults: { timeout: 1s, retries: 0, icmp-count: 1 }\nnodes:\n");
    for (int i = 1; i <= NODES; i++) {
      m.append(
          "  n%d: { kind: netns, netns: np-nt-%d, addresses: { lan: 10.252.0.%d } }%n"
              .formatted(i, i, i));
    }
    m.append("checks:\n");
    for (int s = 1; s <= NODES; s++) {
      for (int t = 1; t <= NODES; t++) {
        if (s != t) {
          m.append(
              "  - { from: n%d, to: n%d, probe: \"%s\", expect: %s }%n"
                  .formatted(s, t, probe, expect));
        }
      }
    }
    return m.toString();
  }

  /**
   * Room appears while the run waits (here the limit is raised, as the run's message asks; on a
   * machine left alone, entries idle for 5 s make room): the first paced wave checks the cells the
   * full table refused, and every cell ends with its network verdict.
   */
  @Test
  void sendsTheFullTableRefusedAreCheckedAgainInPacedWaves() throws Exception {
    freshMesh(30000);
    System.setProperty("netprobe.paced.quiet-ms", "1000");
    System.setProperty("netprobe.paced.cap-ms", "10000");
    limits(70);
    List<String> waves = new ArrayList<>();
    RunResult run =
        LabRun.run(
            mesh(),
            new RunListener() {
              @Override
              public void pacedWave(int wave, int cells, int unchecked, long waitMs) {
                waves.add(wave + ": " + cells + " of " + unchecked + " after " + waitMs + " ms");
                try {
                  Files.writeString(NEIGH.resolve("gc_thresh3"), "1000");
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            });
    assertThat(waves).as("90 entries do not fit in 70").isNotEmpty();
    for (CheckResult c : run.checks()) {
      assertThat(c.verdict().disposition())
          .as("waves %s\n%s", waves, said(c))
          .isEqualTo(Disposition.REACHED);
    }
    assertThat(run.findings()).isEmpty();
  }

  /**
   * The mesh's entries stay REACHABLE for 15 to 45 s (the kernel's default), longer than the run
   * waits: the table stays full, and its cells are one finding that names the limit, not a DROPPED
   * or LATE cell each.
   */
  @Test
  void aTableThatStaysFullIsOneFindingNotAVerdictPerCell() throws Exception {
    freshMesh(30000);
    System.setProperty("netprobe.paced.quiet-ms", "2000");
    System.setProperty("netprobe.paced.cap-ms", "5000");
    limits(70);
    List<String> waves = new ArrayList<>();
    RunResult run = LabRun.run(mesh(), recording(waves));
    assertThat(waves).isNotEmpty();
    List<CheckResult> notOk = run.checks().stream().filter(c -> c.outcome() != Outcome.OK).toList();
    assertThat(notOk).as("90 entries do not fit in 70").isNotEmpty();
    for (CheckResult c : notOk) {
      assertThat(c.outcome()).as(said(c)).isEqualTo(Outcome.ERROR);
      assertThat(c.verdict().reason()).as(said(c)).contains("ENOBUFS");
    }
    assertThat(run.findings()).hasSize(1);
    Finding f = run.findings().get(0);
    assertThat(f.summary())
        .contains("neighbour (ARP) table was full", "this machine allows 70 entries")
        .contains("also when checked again in");
    assertThat(f.checkIds()).hasSize(notOk.size());
  }

  /**
   * A SYN that finds no room is dropped by its own kernel without a word to the connect (TCP sends
   * it again): no ENOBUFS, only the kernel's count of overflows says the table was full. Such a
   * cell is not checked, not DROPPED_ON_PATH by its source's OUTPUT chain.
   */
  @Test
  void aSynTheFullTableDroppedSilentlyIsNotANetworkVerdict() throws Exception {
    freshMesh(30000);
    System.setProperty("netprobe.paced.quiet-ms", "1000");
    System.setProperty("netprobe.paced.cap-ms", "1500");
    limits(70);
    RunResult run = LabRun.run(mesh("tcp:9", "refused"), recording(new ArrayList<>()));
    List<CheckResult> notOk = run.checks().stream().filter(c -> c.outcome() != Outcome.OK).toList();
    assertThat(notOk).as("90 entries do not fit in 70").isNotEmpty();
    for (CheckResult c : notOk) {
      assertThat(c.outcome()).as(said(c)).isEqualTo(Outcome.ERROR);
      assertThat(said(c)).contains("neighbour (ARP) table was full", "overflows it counted");
    }
    assertThat(run.findings()).hasSize(1);
  }

  private static RunListener recording(List<String> waves) {
    return new RunListener() {
      @Override
      public void pacedWave(int wave, int cells, int unchecked, long waitMs) {
        waves.add(wave + ": " + cells + " of " + unchecked + " after " + waitMs + " ms");
      }
    };
  }

  /** No entry left from an earlier test, and how long the mesh's entries stay REACHABLE. */
  private static void freshMesh(int baseReachableMs) throws Exception {
    LabFixture.sh(
        "bash",
        "-c",
        ("for i in $(seq %d); do ip -n np-nt-$i neigh flush dev eth0; ip netns exec np-nt-$i"
                + " sysctl -qw net.ipv4.neigh.eth0.base_reachable_time_ms=%d; done")
            .formatted(NODES, baseReachableMs));
  }

  /** Room for {@code entries}; every idle entry may go when room is needed; no periodic sweep. */
  private static void limits(int entries) throws Exception {
    Files.writeString(NEIGH.resolve("gc_thresh1"), "0");
    Files.writeString(NEIGH.resolve("gc_thresh2"), "0");
    Files.writeString(NEIGH.resolve("gc_thresh3"), String.valueOf(entries));
  }

  private static String read(String name) throws Exception {
    return Files.readAllLines(NEIGH.resolve(name)).get(0).strip();
  }
}

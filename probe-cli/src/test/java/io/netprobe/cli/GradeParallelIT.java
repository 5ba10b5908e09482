package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.cli.lab.LabFixture;
import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grade --parallel} in a lab of its own: one PC namespace {@code np-gt-pc} (10.243.0.1) that
 * every student probes from at once, as GradeIT's alice and bob do from np-pc, and eight student
 * VMs {@code np-gt-v1..v8} (10.243.0.11..18) on one bridge, broken four ways: healthy, ping dropped
 * at the VM, no service on tcp/8080, the service's SYNs dropped at the VM. Eight students graded
 * eight at a time must each get their own lab's verdicts (the same echo ids and source ports must
 * not mix their flows), and the class graded in two shards and merged must give the same
 * grades.csv, byte for byte.
 */
class GradeParallelIT {
  private static final int STUDENTS = 8;
  private static final String SETUP =
      """
      set -e
      ip route add unreachable 10.243.0.0/16 metric 4243
      ip netns add np-gt-sw
      ip -n np-gt-sw link add br0 type bridge
      ip -n np-gt-sw link set br0 up
      node() { # NAME ADDRESS
        ip netns add $1
        ip -n $1 link set lo up
        ip netns exec $1 sysctl -qw net.ipv4.ping_group_range="0 2147483647"
        ip netns exec $1 sysctl -qw net.ipv4.icmp_ratelimit=0
        ip link add eth0 netns $1 type veth peer name p-$1 netns np-gt-sw
        ip -n np-gt-sw link set p-$1 master br0 up
        ip -n $1 addr add $2/24 dev eth0
        ip -n $1 link set eth0 up
      }
      node np-gt-pc 10.243.0.1
      for i in 1 2 3 4 5 6 7 8; do
        node np-gt-v$i 10.243.0.$((10 + i))
        case $((i % 4)) in
          2) ip netns exec np-gt-v$i iptables -A INPUT -p icmp --icmp-type echo-request -j DROP ;;
          0) ip netns exec np-gt-v$i iptables -A INPUT -p tcp --syn --dport 8080 -j DROP ;;
        esac
        if [ $((i % 4)) != 3 ]; then
          ip netns exec np-gt-v$i socat TCP-LISTEN:8080,reuseaddr,fork SYSTEM:'sleep 2' \\
            </dev/null >/dev/null 2>&1 &
        fi
      done
      for i in 1 2 4 5 6 8; do
        for t in $(seq 50); do
          ip netns exec np-gt-v$i ss -Hltn 'sport = :8080' | grep -q 8080 && break
          sleep 0.1
        done
      done
      """;
  private static final String TEARDOWN =
      """
      for ns in np-gt-pc np-gt-sw np-gt-v1 np-gt-v2 np-gt-v3 np-gt-v4 np-gt-v5 np-gt-v6 \\
          np-gt-v7 np-gt-v8; do
        pids=$(ip netns pids $ns 2>/dev/null); [ -n "$pids" ] && kill $pids 2>/dev/null
        ip netns del $ns 2>/dev/null
      done
      while ip route del unreachable 10.243.0.0/16 metric 4243 2>/dev/null; do :; done
      exit 0
      """;
  private static final String MATRIX =
      """
      name: a VM of one's own, graded
      defaults: { timeout: 1s, retries: 0 }
      nodes:
        pc: { kind: netns, netns: np-gt-pc, addresses: { lan: 10.243.0.1 } }
        vm: { kind: netns, netns: "${VM_NS}", addresses: { lan: "${VM_IP}" } }
      checks:
        - { from: pc, to: vm, probe: icmp, expect: pass, title: the VM answers ping }
        - { from: pc, to: vm, probe: "tcp:8080", expect: pass, points: 2,
            title: the VM's service answers }
      """;

  /** What each kind of student's lab gives: icmp, then tcp:8080. */
  private static final Map<Integer, List<String>> BY_FAULT =
      Map.of(
          1, List.of("REACHED", "REACHED"),
          2, List.of("DROPPED_AT_TARGET", "REACHED"),
          3, List.of("REACHED", "REFUSED"),
          0, List.of("REACHED", "DROPPED_AT_TARGET"));

  /** The students' files and every grades directory; JUnit removes it. */
  @TempDir(factory = GradeCommandTest.NpTempDir.class)
  static Path dir;

  @BeforeAll
  static void up() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
    LabFixture.sh("bash", "-c", SETUP);
  }

  @AfterAll
  static void down() throws Exception {
    LabFixture.sh("bash", "-c", TEARDOWN);
  }

  @Test
  void studentsProbingFromOneNamespaceAtOnceEachGetTheirOwnLabsVerdicts() throws Exception {
    Path students = students();
    long t0 = System.nanoTime();
    var stderr = new StringWriter();
    int code =
        grade(
            stderr,
            "--students",
            students.toString(),
            "--parallel",
            "8",
            "--out",
            out("all"),
            matrix());
    System.err.printf(
        "graded %d students 8 at a time in %d ms%n",
        STUDENTS, (System.nanoTime() - t0) / 1_000_000);

    assertThat(code).as("%s", stderr).isEqualTo(ExitCode.OK.code());
    var json = new ObjectMapper();
    for (int i = 1; i <= STUDENTS; i++) {
      JsonNode run = json.readTree(dir.resolve("all/s" + i + "/run.json").toFile());
      var got = new ArrayList<String>();
      run.get("checks").forEach(c -> got.add(c.get("disposition").asText()));
      assertThat(got)
          .as("student s%d's lab (fault %d): %s", i, i % 4, run)
          .isEqualTo(BY_FAULT.get(i % 4));
    }
    var csv = Files.readAllLines(dir.resolve("all/grades.csv"));
    assertThat(csv.get(1)).isEqualTo("s1,3,3,2,0,0,,OK,OK");
    assertThat(csv.get(2)).isEqualTo("s2,2,3,1,1,0,,UNEXPECTED,OK");
    assertThat(csv.get(3)).isEqualTo("s3,1,3,1,1,0,,OK,UNEXPECTED");
    assertThat(csv.get(4)).isEqualTo("s4,1,3,1,1,0,,OK,UNEXPECTED");
    for (int i = 5; i <= 8; i++) {
      assertThat(csv.get(i))
          .as("s%d's lab is broken as s%d's", i, i - 4)
          .isEqualTo(csv.get(i - 4).replaceFirst("^s\\d", "s" + i));
    }
    assertThat(stderr.toString()).containsPattern("graded s2 \\([1-8] of 8\\): 2/3 points");

    // the class in two shards, merged: the same grades, byte for byte
    for (String shard : List.of("1/2", "2/2")) {
      grade(
          stderr,
          "--students",
          students.toString(),
          "--shard",
          shard,
          "--out",
          out("shard" + shard.charAt(0)),
          matrix());
    }
    assertThat(grade(stderr, "--merge", out("shard2"), out("shard1"), "--out", out("merged")))
        .as("%s", stderr)
        .isEqualTo(ExitCode.OK.code());
    assertThat(Files.readString(dir.resolve("merged/grades.csv")))
        .isEqualTo(Files.readString(dir.resolve("all/grades.csv")));
    assertThat(dir.resolve("merged/s7/feedback.md"))
        .content()
        .contains("| ✗ | the VM's service answers | not as expected | 0/2 |");
  }

  private static Path students() throws Exception {
    Path students = Files.createDirectories(dir.resolve("students"));
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 1; i <= STUDENTS; i++) {
      files.put("s" + i + ".env", "VM_NS=np-gt-v" + i + "\nVM_IP=10.243.0." + (10 + i) + "\n");
    }
    for (var f : files.entrySet()) {
      Files.writeString(students.resolve(f.getKey()), f.getValue());
    }
    return students;
  }

  private static String matrix() throws Exception {
    Path m = dir.resolve("vm.yaml");
    if (!Files.exists(m)) {
      Files.writeString(m, MATRIX);
    }
    return m.toString();
  }

  private static String out(String name) {
    return dir.resolve(name).toString();
  }

  private static int grade(StringWriter stderr, String... args) {
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(stderr, true));
    var all = new String[args.length + 1];
    all[0] = "grade";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }
}

package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.cli.lab.DemoLab;
import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code netprobe grade} against the demo lab: two "students" give the address of their bridged VM;
 * alice gives the right one (10.1.5.91), bob the NAT address (10.0.2.15) the PC cannot reach. The
 * CSV must give alice every point and bob none, and bob's evidence must be real pcap.
 */
class GradeIT {
  private static final String MATRIX =
      """
      name: bridged VM, graded
      defaults: { timeout: 1s, points: 1 }
      nodes:
        pc: { kind: netns, netns: np-pc, addresses: { lan: { ip: 10.1.5.90, path: direct } } }
        vm: { kind: address, addresses: { bridged: { ip: "${VM_IP}", path: bridged } } }
      checks:
        - { from: pc, to: vm.bridged, probe: icmp, expect: pass, title: "the VM answers ping" }
        - { from: pc, to: vm.bridged, probe: "tcp:22", expect: pass, points: 2,
            title: "the VM's sshd answers" }
      """;

  private Path dir;

  @BeforeAll
  static void labUp() {
    new DemoLab(new PrintWriter(System.err, true)).up();
  }

  @AfterEach
  void removeTempDir() throws Exception {
    if (dir != null) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void rightAddressScoresAllPointsWrongAddressNoneWithPcapEvidence() throws Exception {
    dir = Files.createTempDirectory("np-grade-it-");
    var matrix = Files.writeString(dir.resolve("bridged.yaml"), MATRIX);
    var students = Files.createDirectories(dir.resolve("students"));
    Files.writeString(students.resolve("alice.env"), "VM_IP=10.1.5.91\n");
    Files.writeString(students.resolve("bob.env"), "VM_IP=10.0.2.15\n");
    var out = dir.resolve("grades");

    var stdout = new StringWriter();
    long t0 = System.nanoTime();
    int code =
        GradeCommandTest.execute(
            stdout, "--students", students.toString(), "--out", out.toString(), matrix.toString());
    System.err.printf("graded 2 students in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    assertThat(code).as("both labs ran: %s", stdout).isEqualTo(ExitCode.OK.code());
    var csv = Files.readAllLines(out.resolve("grades.csv"));
    assertThat(csv.get(0))
        .isEqualTo(
            "student,score,possible,ok,unexpected,error,problem,"
                + "pc->vm.bridged icmp,pc->vm.bridged tcp:22");
    assertThat(csv.get(1)).isEqualTo("alice,3,3,2,0,0,,OK,OK");
    assertThat(csv.get(2)).isEqualTo("bob,0,3,0,2,0,,UNEXPECTED,UNEXPECTED");
    assertThat(Files.readString(out.resolve("grades.md")))
        .contains("| alice | 3 | 3 | 2 | 0 | 0 | [report](alice/report.html) |");
    for (String file : List.of("report.txt", "run.json", "junit.xml", "report.md", "report.html")) {
      assertThat(out.resolve("alice").resolve(file)).isNotEmptyFile();
      assertThat(out.resolve("bob").resolve(file)).isNotEmptyFile();
    }
    assertThat(Files.readString(out.resolve("bob/report.txt"))).contains("10.0.2.15");

    List<Path> pcaps;
    try (Stream<Path> files = Files.walk(out.resolve("bob"))) {
      pcaps = files.filter(p -> p.toString().endsWith(".pcap")).toList();
    }
    assertThat(pcaps).as("bob's unexpected cells are backed by captures").isNotEmpty();
    for (Path pcap : pcaps) {
      var tcpdump =
          new ProcessBuilder("tcpdump", "-nr", pcap.toString()).redirectErrorStream(true).start();
      var text = new String(tcpdump.getInputStream().readAllBytes());
      assertThat(tcpdump.waitFor()).as("tcpdump -r %s: %s", pcap, text).isZero();
    }
  }

  private static final String TWO_TIER =
      """
      name: the calculator's route, graded
      defaults: { timeout: 1s, retries: 0 }
      nodes:
        calc: { kind: netns, netns: "${CALC_NS}", addresses: { net1: { ip: 192.168.1.10 } } }
        sum: { kind: netns, netns: np-sum, addresses: { net2: { ip: 192.168.2.1 } } }
      checks:
        - { from: calc, to: sum, probe: icmp, expect: pass, title: the calculator reaches sum }
      facts:
        - { node: calc, route: 192.168.2.0/24 via 192.168.1.253, points: 2,
            title: calc route to Net2 }
      """;

  /**
   * LABS.md 4 as a student hands it in: the seed lacks the calculator's route to Net2, and the
   * check of configuration that states it fails, with the cell that needs it pointing at it; once
   * the student adds the route, both pass and the grade says so.
   */
  @Test
  void theSeedsRouteFixIsGradedByItsFactCheck() throws Exception {
    dir = Files.createTempDirectory("np-grade-fix-");
    var matrix = Files.writeString(dir.resolve("two-tier.yaml"), TWO_TIER);
    var students = Files.createDirectories(dir.resolve("students"));
    Files.writeString(students.resolve("carol.env"), "CALC_NS=np-calc\n");

    var stdout = new StringWriter();
    GradeCommandTest.execute(
        stdout,
        "--students",
        students.toString(),
        "--out",
        dir.resolve("seed").toString(),
        matrix.toString());
    var seed = Files.readAllLines(dir.resolve("seed/grades.csv"));
    assertThat(seed.get(0))
        .isEqualTo(
            "student,score,possible,ok,unexpected,error,problem,"
                + "calc route 192.168.2.0/24 via 192.168.1.253,calc->sum icmp");
    assertThat(seed.get(1)).isEqualTo("carol,0,3,0,2,0,,UNEXPECTED,UNEXPECTED");
    assertThat(Files.readString(dir.resolve("seed/carol/report.txt")))
        .contains("calc lacks route 192.168.2.0/24 via 192.168.1.253 (check 'calc route to Net2')");

    try {
      io.netprobe.cli.lab.LabFixture.sh(
          "ip", "-n", "np-calc", "route", "add", "192.168.2.0/24", "via", "192.168.1.253");
      GradeCommandTest.execute(
          stdout,
          "--students",
          students.toString(),
          "--out",
          dir.resolve("fixed").toString(),
          matrix.toString());
    } finally {
      io.netprobe.cli.lab.LabFixture.sh(
          "ip", "-n", "np-calc", "route", "del", "192.168.2.0/24", "via", "192.168.1.253");
    }
    var fixed = Files.readAllLines(dir.resolve("fixed/grades.csv"));
    assertThat(fixed.get(1)).isEqualTo("carol,3,3,2,0,0,,OK,OK");
  }
}

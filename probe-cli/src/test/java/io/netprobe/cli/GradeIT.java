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
}

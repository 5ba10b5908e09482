package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netprobe.cli.error.UserException;
import io.netprobe.report.model.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;

class GradeCommandTest {
  /** One local node, a TCP check to the port each student's file names (loopback only). */
  private static final String MATRIX =
      """
      name: grading
      nodes:
        pc: { kind: local }
        svc:
          kind: address
          addresses: { lo: { ip: 127.0.0.1, port-map: { 80: "${SVC_PORT}" }, path: direct } }
      checks:
        - { from: pc, to: svc.lo, probe: "tcp:80", expect: pass, points: 2,
            title: "the service answers" }
      """;

  /** Named np-* like everything the project's tests create; JUnit removes it. */
  @TempDir(factory = NpTempDir.class)
  Path dir;

  static final class NpTempDir implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context)
        throws IOException {
      return Files.createTempDirectory("np-grade-test-");
    }
  }

  @Test
  void gradesEachStudentAndWritesCsvMarkdownAndTheirReports() throws Exception {
    var matrix = Files.writeString(dir.resolve("lab.yaml"), MATRIX);
    var students = Files.createDirectories(dir.resolve("students"));
    var out = dir.resolve("out");
    try (var open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        var closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int closedPort = closed.getLocalPort();
      closed.close();
      Files.writeString(students.resolve("alice.env"), "# alice\nSVC_PORT=" + open.getLocalPort());
      Files.writeString(students.resolve("bob.env"), "export SVC_PORT='" + closedPort + "'\n");
      Files.writeString(students.resolve("carol.env"), "not a pair\n");

      var stdout = new StringWriter();
      int code =
          execute(
              stdout,
              "--students",
              students.toString(),
              "--out",
              out.toString(),
              matrix.toString());

      assertThat(code).as("carol's file is broken: exit 3").isEqualTo(ExitCode.ERROR.code());
      assertThat(stdout.toString())
          .contains("alice: 2/2 points", "bob: 0/2 points", "carol: not run: carol.env line 1");
    }
    var csv = Files.readString(out.resolve("grades.csv")).split("\r\n");
    assertThat(csv[0]).startsWith("student,score,possible").endsWith(",pc->svc.lo tcp:80");
    assertThat(csv[1]).startsWith("alice,2,2,1,0,0,,OK");
    assertThat(csv[2]).startsWith("bob,0,2,0,1,0,,UNEXPECTED");
    assertThat(csv[3]).startsWith("carol,0,2,,,,\"carol.env line 1: expected KEY=VALUE,");
    assertThat(Files.readString(out.resolve("grades.md")))
        .contains("| alice | 2 | 2 | 1 | 0 | 0 |");
    assertThat(out.resolve("alice/report.html")).isNotEmptyFile();
    assertThat(out.resolve("bob/junit.xml")).isNotEmptyFile();
    assertThat(out.resolve("bob/run.json")).isNotEmptyFile();
  }

  @Test
  void directoryWithoutEnvFilesIsABadInvocationThatSaysWhatToWrite() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> GradeCommand.envFiles(dir.resolve("empty")))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("no NAME.env file in")
        .hasMessageContaining("VM_IP=");
  }

  @Test
  void badEnvLineIsNamedByNumberWithoutEchoingItsValue() throws Exception {
    var env = Files.writeString(dir.resolve("dave.env"), "VM_IP=10.1.5.91\nhunter2-secret\n");
    assertThatThrownBy(() -> GradeCommand.readEnv(env))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("dave.env line 2: expected KEY=VALUE")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void envFileTakesCommentsExportAndQuotes() throws Exception {
    var env =
        Files.writeString(
            dir.resolve("eve.env"), "# c\n\nexport A=1\nB = \"two words\"\nC='x=y'\n");
    assertThat(GradeCommand.readEnv(env))
        .containsEntry("A", "1")
        .containsEntry("B", "two words")
        .containsEntry("C", "x=y");
  }

  /** {@code netprobe grade ARGS} through Main's command line, its stdout captured. */
  static int execute(StringWriter stdout, String... args) {
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(stdout, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    var all = new String[args.length + 1];
    all[0] = "grade";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }
}

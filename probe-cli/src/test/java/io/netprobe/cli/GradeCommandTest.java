package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netprobe.cli.error.UserException;
import io.netprobe.cli.grade.StudentFiles;
import io.netprobe.report.model.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void parallelShardedAndMergedGivesTheSameFilesAsOneRunOneAfterAnother() throws Exception {
    var matrix = Files.writeString(dir.resolve("lab.yaml"), MATRIX);
    var students = Files.createDirectories(dir.resolve("students"));
    try (var open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        var closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int closedPort = closed.getLocalPort();
      closed.close();
      for (String name : List.of("ann", "ben", "cy", "dee", "eli", "fay", "gus")) {
        int port = name.length() == 3 ? closedPort : open.getLocalPort();
        Files.writeString(
            students.resolve(name + ".env"),
            "SVC_PORT=" + port + "\nMOODLE_ID=u-" + name + "\nLAB_PASSWORD=hunter2\n");
      }
      Files.writeString(students.resolve("al-x.env"), "not a pair\n");
      var stderr = new StringWriter();
      var args = List.of("--students", students.toString(), matrix.toString());

      assertThat(grade(new StringWriter(), stderr, args, "--parallel", "1", "--out", "one"))
          .isEqualTo(ExitCode.ERROR.code());
      grade(new StringWriter(), stderr, args, "--parallel", "4", "--out", "par");
      grade(new StringWriter(), stderr, args, "--shard", "1/3", "--out", "s1");
      grade(new StringWriter(), stderr, args, "--shard", "2/3", "--out", "s2", "--parallel", "2");
      grade(new StringWriter(), stderr, args, "--shard", "3/3", "--out", "s3");
      var stdout = new StringWriter();
      int merged =
          grade(
              stdout,
              stderr,
              List.of("--merge", path("s3"), path("s1"), path("s2")),
              "--out",
              "all");

      assertThat(merged).as("al-x's file is broken: exit 3").isEqualTo(ExitCode.ERROR.code());
      assertThat(stdout.toString()).contains("ann: 0/2 points", "cy: 2/2 points");
      assertThat(stderr.toString())
          .contains("grading 8 students, 4 at a time")
          .contains("grading 3 students of 8 (shard 1/3), 3 at a time")
          .containsPattern("graded ben \\([1-8] of 8\\): 0/2 points");
      for (String file : List.of("grades.csv", "grades.md", "grades-moodle.csv")) {
        var expected = Files.readString(dir.resolve("one").resolve(file));
        assertThat(Files.readString(dir.resolve("par").resolve(file))).isEqualTo(expected);
        assertThat(Files.readString(dir.resolve("all").resolve(file)))
            .as("%s merged from 3 shards", file)
            .isEqualTo(expected);
      }
      var csv = Files.readString(dir.resolve("one/grades.csv")).split("\r\n");
      assertThat(csv)
          .extracting(l -> l.split(",")[0])
          .containsExactly("student", "al-x", "ann", "ben", "cy", "dee", "eli", "fay", "gus");
      assertThat(Files.readString(dir.resolve("all/grades-moodle.csv")))
          .contains("u-cy,,2,2/2 points.")
          .contains("al-x,,,\"Not graded")
          .doesNotContain("hunter2");
      assertThat(Files.readString(dir.resolve("all/ben/feedback.md")))
          .contains(
              "**Score: 0/2 points.**", "| ✗ | the service answers | not as expected | 0/2 |");
      assertThat(dir.resolve("all/gus/report.html")).isNotEmptyFile();
      for (Path f : Files.walk(dir).filter(Files::isRegularFile).toList()) {
        if (!f.getFileName().toString().endsWith(".env")) {
          var bytes =
              new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
          assertThat(bytes).as("%s", f).doesNotContain("hunter2");
        }
      }
    }
  }

  @Test
  void mergeRefusesAMissingShardAndADirectoryThatIsNoShard() throws Exception {
    var matrix = Files.writeString(dir.resolve("lab.yaml"), MATRIX);
    var students = Files.createDirectories(dir.resolve("students"));
    for (String name : List.of("ann", "ben", "cy")) {
      Files.writeString(students.resolve(name + ".env"), "SVC_PORT=1\n");
    }
    var args = List.of("--students", students.toString(), matrix.toString());
    var stderr = new StringWriter();
    grade(new StringWriter(), stderr, args, "--shard", "1/2", "--out", "s1", "--parallel", "1");
    Files.createDirectories(dir.resolve("empty"));

    assertThat(grade(new StringWriter(), stderr, List.of("--merge", path("s1")), "--out", "m"))
        .isEqualTo(ExitCode.USAGE.code());
    assertThat(stderr.toString()).contains("shard 2/2 missing");
    assertThat(grade(new StringWriter(), stderr, List.of("--merge", path("empty")), "--out", "m"))
        .isEqualTo(ExitCode.USAGE.code());
    assertThat(stderr.toString()).contains("empty has no grades.json");
    assertThat(grade(new StringWriter(), stderr, args, "--shard", "3/2", "--out", "x"))
        .isEqualTo(ExitCode.USAGE.code());
    assertThat(stderr.toString()).contains("--shard 3/2: shard 3 of 2 does not exist");
  }

  private int grade(StringWriter stdout, StringWriter stderr, List<String> args, String... more) {
    var all = new java.util.ArrayList<String>();
    all.add("grade");
    all.addAll(args);
    for (int i = 0; i < more.length; i++) {
      all.add(more[i]);
      if (more[i].equals("--out")) {
        all.add(path(more[++i]));
      }
    }
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(stdout, true));
    cli.setErr(new PrintWriter(stderr, true));
    return cli.execute(all.toArray(String[]::new));
  }

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void directoryWithoutEnvFilesIsABadInvocationThatSaysWhatToWrite() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> StudentFiles.envFiles(dir.resolve("empty")))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("no NAME.env file in")
        .hasMessageContaining("VM_IP=");
  }

  @Test
  void badEnvLineIsNamedByNumberWithoutEchoingItsValue() throws Exception {
    var env = Files.writeString(dir.resolve("dave.env"), "VM_IP=10.1.5.91\nhunter2-secret\n");
    assertThatThrownBy(() -> StudentFiles.readEnv(env))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("dave.env line 2: expected KEY=VALUE")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void envFileTakesCommentsExportAndQuotes() throws Exception {
    var env =
        Files.writeString(
            dir.resolve("eve.env"), "# c\n\nexport A=1\nB = \"two words\"\nC='x=y'\n");
    assertThat(StudentFiles.readEnv(env))
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

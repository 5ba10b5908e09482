package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netprobe.cli.error.UserException;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {
  private static final String MATRIX =
      """
      name: two
      nodes: { pc: { kind: local } }
      checks:
        - { from: pc, to: 127.0.0.1, probe: icmp, expect: pass }
        - { from: pc, to: "127.0.0.1", probe: "tcp:22", expect: pass }
      """;

  @TempDir Path dir;

  @Test
  void onlyPicksTheNamedChecks() throws Exception {
    Matrix m = MatrixLoader.load(MATRIX, "two.yaml");
    List<Check> picked = RunCommand.pick(m, List.of("pc->127.0.0.1 tcp:22"));
    assertThat(picked).extracting(Check::id).containsExactly("pc->127.0.0.1 tcp:22");
    assertThat(RunCommand.pick(m, null)).hasSize(2);
  }

  @Test
  void onlyWithAnUnknownCheckIsABadInvocationThatListsTheChecks() throws Exception {
    Matrix m = MatrixLoader.load(MATRIX, "two.yaml");
    assertThatThrownBy(() -> RunCommand.pick(m, List.of("pc->vm icmp")))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("no check 'pc->vm icmp'")
        .hasMessageContaining("pc->127.0.0.1 icmp");
  }

  @Test
  void badMatrixRunsNothingAndExitsTwoWithEveryProblem() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(
        f,
        "name: bad\nnodes: { pc: { kind: local } }\nchecks:\n"
            + "  - { from: pc, to: vm, probe: icmp, expect: pass }\n");
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute("run", f.toString())).isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString()).contains("bad.yaml:4:", "unknown node 'vm'");
  }

  @Test
  void unknownReportFormatIsABadInvocation() throws Exception {
    Path f = dir.resolve("two.yaml");
    Files.writeString(f, MATRIX);
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute("run", f.toString(), "--format", "pdf"))
        .isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString()).contains("pdf");
  }
}

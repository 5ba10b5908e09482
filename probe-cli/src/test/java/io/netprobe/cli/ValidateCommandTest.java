package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int validate(Path file) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute("validate", file.toString());
  }

  @Test
  void goodMatrixIsOkAndCounted() throws Exception {
    Path f = dir.resolve("ok.yaml");
    Files.writeString(
        f,
        "name: ok\nnodes:\n  pc: { kind: local }\n"
            + "checks:\n  - { from: pc, to: 127.0.0.1, probe: icmp, expect: pass }\n");
    assertThat(validate(f)).isZero();
    assertThat(out.toString()).contains("OK: ", "1 nodes", "1 checks");
  }

  @Test
  void everyProblemIsListedWithFileLineAndColumnAndNothingRuns() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(
        f,
        "name: bad\nnodes:\n  pc: { kind: local }\nchecks:\n"
            + "  - { from: pc, to: vm2, probe: icmp, expect: pass }\n"
            + "  - { from: pc, to: 10.0.0.1, probe: ping, expect: pass }\n");
    assertThat(validate(f)).isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString())
        .contains("bad.yaml:5:", "unknown node 'vm2'", "nodes are: pc")
        .contains("bad.yaml:6:", "unknown probe 'ping'")
        .contains("nothing was run");
  }
}

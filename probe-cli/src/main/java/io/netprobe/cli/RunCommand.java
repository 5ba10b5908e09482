package io.netprobe.cli;

import io.netprobe.cli.error.UserException;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.ExitCode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code netprobe run MATRIX}: every check of a matrix at once, each cell explained. */
@Command(
    addMethodSubcommands = false,
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the checks of a matrix file and explain every cell.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every check as expected",
      "1:some check unexpected",
      "2:bad invocation or matrix (nothing ran)",
      "3:some checks could not be run (ERROR), none unexpected",
      "130:interrupted"
    })
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MATRIX", description = "The matrix file (YAML).")
  Path file;

  @Option(
      names = "--only",
      paramLabel = "CHECK",
      description = "Run only this check (its id, e.g. 'pc->vm.nat icmp'); repeatable.")
  List<String> only;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    Matrix matrix;
    Progress.mark(spec.commandLine().getErr(), "command line read");
    try {
      matrix = MatrixLoader.load(file, Invocation.env());
      Progress.mark(spec.commandLine().getErr(), matrix.checks().size() + " checks loaded");
    } catch (MatrixException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return ExitCode.USAGE.code();
    }
    return RunExecution.execute(
        matrix,
        pick(matrix, only),
        file.toString(),
        output,
        "table",
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }

  /** The checks named by --only (all without it); an unknown id is a bad invocation. */
  static List<Check> pick(Matrix matrix, List<String> only) {
    if (only == null || only.isEmpty()) {
      return matrix.checks();
    }
    for (String id : only) {
      if (matrix.check(id).isEmpty()) {
        throw new UserException(
            "--only: no check '"
                + id
                + "' in "
                + matrix.name()
                + "; checks are: "
                + String.join(", ", matrix.checks().stream().map(Check::id).limit(20).toList())
                + (matrix.checks().size() > 20 ? ", ..." : ""),
            ExitCode.USAGE);
      }
    }
    return matrix.checks().stream().filter(c -> only.contains(c.id())).toList();
  }
}

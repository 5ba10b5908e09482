package io.netprobe.cli;

import io.netprobe.cli.invocation.Invocation;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.matrix.Problem;
import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe validate FILE...}: loads each matrix and prints {@code OK: file (N nodes, M
 * checks)}, or every problem of it as {@code file:line:column: message}. Runs nothing.
 */
@Command(
    addMethodSubcommands = false,
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check matrix files without running anything.",
      "Prints every problem of every file as file:line:column: message."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every file is a valid matrix", "2:some file has problems (all printed)"})
public final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Matrix files (YAML).")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int exit = ExitCode.OK.code();
    for (Path file : files) {
      try {
        Matrix matrix = MatrixLoader.load(file, Invocation.env());
        out.printf(
            "OK: %s (%d nodes, %d checks%s)%n",
            file,
            matrix.nodes().size(),
            matrix.checks().size(),
            matrix.facts().isEmpty() ? "" : ", " + matrix.facts().size() + " facts");
      } catch (MatrixException e) {
        exit = ExitCode.USAGE.code();
        for (Problem problem : e.problems()) {
          err.println(problem);
        }
        int n = e.problems().size();
        err.printf("%s: %d %s; nothing was run%n", file, n, n == 1 ? "problem" : "problems");
      }
    }
    out.flush();
    err.flush();
    return exit;
  }
}

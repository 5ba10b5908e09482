package io.netprobe.cli;

import io.netprobe.cli.invocation.Invocation;
import io.netprobe.cli.lab.DemoLab;
import io.netprobe.matrix.BundledLabs;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe demo}: the main job on the embedded demo lab. Brings the lab up, runs the checks
 * of {@code matrices/labs/demo.yaml}, prints the matrix and the explanations, writes the reports,
 * and leaves the lab up for exploring.
 */
@Command(
    addMethodSubcommands = false,
    name = "demo",
    description = "Build the demo lab of LABS.md on this machine and check it (root).",
    mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer> {
  static final String ALL_FORMATS = "table,json,junit,md,html";

  @Spec CommandSpec spec;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws MatrixException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    new DemoLab(err).up();
    out.print(DemoLab.topology());
    out.println();
    Matrix matrix = BundledLabs.load("demo.yaml", Invocation.env());
    int code =
        RunExecution.execute(
            matrix, matrix.checks(), "matrices/labs/demo.yaml", output, ALL_FORMATS, out, err);
    out.println();
    out.println("The demo lab is left up for exploring; `./netprobe lab down` removes it.");
    out.flush();
    return code;
  }
}

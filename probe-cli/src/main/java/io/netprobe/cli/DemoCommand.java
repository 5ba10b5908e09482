package io.netprobe.cli;

import io.netprobe.cli.lab.DemoLab;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe demo}: the main job on the embedded demo lab. Brings the lab up and leaves it up
 * for exploring; the checks of {@code matrices/labs/demo.yaml} run here once the coordinator
 * exists.
 */
@Command(
    name = "demo",
    description = "Build the demo lab of LABS.md on this machine and check it (root).",
    mixinStandardHelpOptions = true)
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    new DemoLab(spec.commandLine().getErr()).up();
    out.print(DemoLab.topology());
    out.println();
    out.println("The demo lab is up and left up for exploring (`./netprobe lab down` removes it).");
    out.println("Running the checks of matrices/labs/demo.yaml comes with the coordinator.");
    out.flush();
    return Main.OK;
  }
}

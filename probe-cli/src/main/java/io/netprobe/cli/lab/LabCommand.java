package io.netprobe.cli.lab;

import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code netprobe lab up|down|status}: the demo lab alone, without running checks. */
@Command(
    name = "lab",
    description = "Build, remove or inspect the demo lab (root; namespaces and containers np-*).",
    mixinStandardHelpOptions = true,
    subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class})
public final class LabCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE.code();
  }

  @Command(name = "up", description = "Build the demo lab (does nothing when it is up).")
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      new DemoLab(spec.commandLine().getErr()).up();
      out.print(DemoLab.topology());
      out.println("The lab is up. `netprobe lab down` removes it.");
      return ExitCode.OK.code();
    }
  }

  @Command(name = "down", description = "Remove everything the demo lab made, even half-built.")
  static final class Down implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      new DemoLab(spec.commandLine().getErr()).down();
      spec.commandLine().getOut().println("The lab is down.");
      return ExitCode.OK.code();
    }
  }

  @Command(name = "status", description = "Say what of the demo lab is up (exit 0: all of it).")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      boolean up = new DemoLab(spec.commandLine().getErr()).status(out);
      out.println(up ? "The lab is up." : "The lab is not (fully) up: `netprobe lab up`.");
      return up ? ExitCode.OK.code() : ExitCode.ERROR.code();
    }
  }
}

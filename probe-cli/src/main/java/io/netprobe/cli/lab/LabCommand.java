package io.netprobe.cli.lab;

import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe lab up|down|status [demo|faults]}: a lab alone, without running checks; {@code
 * lab break|restore FAULT...} and {@code lab faults} switch and list the fault lab's faults.
 */
@Command(
    addMethodSubcommands = false,
    name = "lab",
    description =
        "Build, remove or inspect the demo lab or the fault lab (root; namespaces and containers"
            + " np-*); break and restore the fault lab's faults.",
    mixinStandardHelpOptions = true,
    subcommands = {
      LabCommand.Up.class,
      LabCommand.Down.class,
      LabCommand.Status.class,
      LabCommand.Break.class,
      LabCommand.Restore.class,
      LabCommand.Faults.class
    })
public final class LabCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE.code();
  }

  /** The lab a subcommand is about. */
  enum Lab {
    demo,
    faults
  }

  @Command(
      addMethodSubcommands = false,
      name = "up",
      description = "Build a lab (does nothing when it is up).")
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        arity = "0..1",
        defaultValue = "demo",
        description = "demo (LABS.md 1-4, the default) or faults (matrices/labs/faults.yaml)")
    Lab lab;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (lab == Lab.faults) {
        new FaultLab(err).up();
        out.println(
            "The fault lab is up, healthy: `netprobe run matrices/labs/faults.yaml` passes."
                + " `netprobe lab faults` lists its faults, `netprobe lab break FAULT` breaks one,"
                + " `netprobe lab down faults` removes it.");
        return ExitCode.OK.code();
      }
      new DemoLab(err).up();
      out.print(DemoLab.topology());
      out.println("The lab is up. `netprobe lab down` removes it.");
      return ExitCode.OK.code();
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "down",
      description = "Remove everything a lab made, even half-built.")
  static final class Down implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", defaultValue = "demo", description = "demo (default) or faults")
    Lab lab;

    @Override
    public Integer call() {
      if (lab == Lab.faults) {
        new FaultLab(spec.commandLine().getErr()).down();
      } else {
        new DemoLab(spec.commandLine().getErr()).down();
      }
      spec.commandLine().getOut().println("The lab is down.");
      return ExitCode.OK.code();
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "status",
      description = "Say what of a lab is up (exit 0: all of it).")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", defaultValue = "demo", description = "demo (default) or faults")
    Lab lab;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      boolean up =
          lab == Lab.faults
              ? new FaultLab(spec.commandLine().getErr()).status(out)
              : new DemoLab(spec.commandLine().getErr()).status(out);
      out.println(
          up ? "The lab is up." : "The lab is not (fully) up: `netprobe lab up " + lab + "`.");
      return up ? ExitCode.OK.code() : ExitCode.ERROR.code();
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "break",
      description = "Break faults of the fault lab (all: every one).")
  static final class Break implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FAULT", description = "see `netprobe lab faults`")
    List<String> faults;

    @Override
    public Integer call() {
      new FaultLab(spec.commandLine().getErr()).breakFaults(faults);
      return ExitCode.OK.code();
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "restore",
      description = "Restore faults of the fault lab (all: every one).")
  static final class Restore implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FAULT", description = "see `netprobe lab faults`")
    List<String> faults;

    @Override
    public Integer call() {
      new FaultLab(spec.commandLine().getErr()).restore(faults);
      return ExitCode.OK.code();
    }
  }

  @Command(
      addMethodSubcommands = false,
      name = "faults",
      description = "List the fault lab's faults and what each breaks.")
  static final class Faults implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      new FaultLab(spec.commandLine().getErr()).list(spec.commandLine().getOut());
      return ExitCode.OK.code();
    }
  }
}

package io.netprobe.cli;

import io.netprobe.report.model.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code netprobe discover SOURCE}: write a matrix from what is already running. */
@Command(
    addMethodSubcommands = false,
    name = "discover",
    mixinStandardHelpOptions = true,
    description = "Write a matrix from a running setup (today: the local Docker engine).",
    subcommands = {DiscoverDockerCommand.class})
public final class DiscoverCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE.code();
  }
}

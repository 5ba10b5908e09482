package io.netprobe.cli;

import com.github.dockerjava.api.DockerClient;
import io.netprobe.cli.connect.artefact.AgentImage;
import io.netprobe.cli.connect.artefact.AgentJar;
import io.netprobe.cli.connect.cleanup.Cleanup;
import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.docker.DockerClients;
import io.netprobe.cli.error.UserException;
import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe cleanup}: removes what a killed run left behind: sidecar containers labelled
 * {@code io.netprobe.run} and named {@code np-agent-*}, and agent processes started with {@code
 * -Dnetprobe.run=}, whose netprobe is gone. Runs still going are left alone unless {@code --all}.
 */
@Command(
    addMethodSubcommands = false,
    name = "cleanup",
    mixinStandardHelpOptions = true,
    description = "Removes agent sidecars and agent processes that a killed netprobe left behind.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done (or nothing to do)", "3:Docker could not be asked (processes done)"})
public final class CleanupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--all", description = "Also remove the agents of runs that are still going.")
  boolean all;

  @Option(names = "--dry-run", description = "Only list what would be removed.")
  boolean dryRun;

  @Option(
      names = "--images",
      description = "Also remove np-agent images of older agent builds (the current one stays).")
  boolean images;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DockerClient docker = null;
    int exit = ExitCode.OK.code();
    try {
      docker = DockerClients.connect();
    } catch (UserException e) {
      err.println("netprobe cleanup: containers skipped: " + e.getMessage());
      exit = ExitCode.ERROR.code();
    }
    List<Cleanup.Leftover> found = new ArrayList<>(Cleanup.run(docker, all, dryRun));
    if (images && docker != null) {
      String keep = null;
      try {
        keep = AgentImage.REPOSITORY + ":" + AgentImage.tag(AgentJar.locate());
      } catch (AgentException e) {
        err.println("netprobe cleanup: no agent jar here, so no image is kept: " + e.getMessage());
      }
      found.addAll(Cleanup.oldImages(docker, keep, dryRun));
    }
    for (Cleanup.Leftover l : found) {
      out.println(
          (dryRun ? "would remove " : "removed ")
              + l.kind()
              + " "
              + l.id()
              + " "
              + l.description());
    }
    out.println(
        found.isEmpty()
            ? "nothing of netprobe was left"
            : found.size() + (dryRun ? " found" : " removed"));
    out.flush();
    return exit;
  }
}

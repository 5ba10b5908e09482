package io.netprobe.cli;

import com.github.dockerjava.api.DockerClient;
import io.netprobe.cli.connect.artefact.AgentImage;
import io.netprobe.cli.connect.artefact.AgentJar;
import io.netprobe.cli.connect.artefact.RuntimeImage;
import io.netprobe.cli.docker.DockerClients;
import io.netprobe.report.model.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code netprobe agent image|runtime}: builds what the connectors ship, ahead of a run. */
@Command(
    addMethodSubcommands = false,
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Builds the agent's Docker image and Java runtime (offline, from the local JDK).",
    subcommands = {AgentCommand.Image.class, AgentCommand.Runtime.class})
public final class AgentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCode.USAGE.code();
  }

  /** {@code netprobe agent image}: np-agent:HASH, imported into Docker without a registry. */
  @Command(
      addMethodSubcommands = false,
      name = "image",
      mixinStandardHelpOptions = true,
      description = "Builds the sidecar image np-agent:<hash> (jlink runtime, agent jar, libpcap).",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:the image is there", "3:it could not be built"})
  static final class Image implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--agent-jar", description = "The agent jar (default: found next to netprobe).")
    Path agentJar;

    @Option(names = "--rebuild", description = "Build even when Docker has the image.")
    boolean rebuild;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      Path jar = agentJar != null ? agentJar : AgentJar.locate();
      String tag = AgentImage.tag(jar);
      String name = AgentImage.REPOSITORY + ":" + tag;
      try (DockerClient docker = DockerClients.connect()) {
        boolean present = !docker.listImagesCmd().withImageNameFilter(name).exec().isEmpty();
        if (present && !rebuild) {
          out.println(name + " is already there");
        } else {
          long t0 = System.nanoTime();
          long size = AgentImage.build(jar, tag, (node, event) -> out.println(event));
          out.printf(
              "built %s: root file system %.1f MB in %.1f s%n",
              name, size / 1e6, (System.nanoTime() - t0) / 1e9);
        }
      }
      out.flush();
      return ExitCode.OK.code();
    }
  }

  /** {@code netprobe agent runtime}: the jlink runtime uploaded to SSH nodes without Java 17+. */
  @Command(
      addMethodSubcommands = false,
      name = "runtime",
      mixinStandardHelpOptions = true,
      description = "Builds the Java runtime for nodes without Java 17+ (cached under ~/.cache).")
  static final class Runtime implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Path dir = RuntimeImage.ensure((node, event) -> spec.commandLine().getOut().println(event));
      spec.commandLine()
          .getOut()
          .println("runtime " + String.join(",", RuntimeImage.MODULES) + ": " + dir);
      spec.commandLine().getOut().flush();
      return ExitCode.OK.code();
    }
  }
}

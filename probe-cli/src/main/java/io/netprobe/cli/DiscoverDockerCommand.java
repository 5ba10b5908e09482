package io.netprobe.cli;

import io.netprobe.cli.discover.DockerEngineReader;
import io.netprobe.cli.discover.DockerRules;
import io.netprobe.cli.discover.DockerSetup;
import io.netprobe.cli.discover.MatrixPlan;
import io.netprobe.cli.discover.MatrixYamlWriter;
import io.netprobe.cli.discover.Selection;
import io.netprobe.cli.error.UserException;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.model.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe discover docker}: read the local Docker engine, write the matrix Docker's rules
 * give for what runs there (every check with its rule as a comment), and with {@code --run} run it
 * the way {@code netprobe run} does.
 */
@Command(
    addMethodSubcommands = false,
    name = "docker",
    mixinStandardHelpOptions = true,
    description = {
      "Write a matrix for the containers of the local Docker engine, from Docker's rules: one"
          + " network reaches itself, bridge networks are isolated from each other, the host"
          + " reaches published ports and not exposed-only ones. Each check says its rule.",
      "No check goes to the internet unless --internet-target names where.",
      "Examples:",
      "  netprobe discover docker --project shop -o shop.yaml",
      "  netprobe discover docker --name-prefix np- --run"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:matrix written (with --run: every check as expected)",
      "1:with --run: some check unexpected",
      "2:bad invocation, or no container matched the filters",
      "3:no Docker engine answers (with --run: some checks could not be run)",
      "130:interrupted"
    })
public final class DiscoverDockerCommand implements Callable<Integer> {
  /** Where the matrix goes with --run and no -o: beside the reports. */
  static final String RUN_FILE = "docker-discovered.yaml";

  @Spec CommandSpec spec;

  @Option(
      names = "--project",
      paramLabel = "NAME",
      description = "Only the containers of this compose project (com.docker.compose.project).")
  String project;

  @Option(
      names = "--network",
      paramLabel = "NAME",
      description = "Only these Docker networks (repeatable); containers on none are left out.")
  List<String> networks;

  @Option(
      names = "--name-prefix",
      paramLabel = "PREFIX",
      description = "Only containers whose name starts with PREFIX (e.g. np-).")
  String namePrefix;

  @Option(
      names = "--internet-target",
      paramLabel = "IP[:PORT]",
      description =
          "Also check that containers reach this outside address (icmp, and tcp:PORT when"
              + " given). Without it no check leaves this machine.")
  String internetTarget;

  @Option(
      names = {"-o", "--matrix"},
      paramLabel = "FILE",
      description =
          "Write the matrix to FILE. Default: standard output; with --run, "
              + RUN_FILE
              + " in the --out directory.")
  Path matrixFile;

  @Option(
      names = "--run",
      description =
          "Run the matrix at once, as `netprobe run` does; --format, --out, --student and"
              + " --no-progress are for that run.")
  boolean run;

  @Mixin OutputOptions output;

  /** Reads the engine; tests put a fixed setup here. */
  Supplier<DockerSetup> engine = DockerEngineReader::readLocal;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<DockerRules.Internet> internet = internet();
    Selection selection = new Selection(project, networks, namePrefix);
    DockerSetup setup = selection.apply(engine.get());
    MatrixPlan plan = DockerRules.plan(setup, internet, name(selection), description(setup));
    String yaml = MatrixYamlWriter.write(plan, header());
    Matrix matrix = load(yaml);
    Path file = matrixFile != null ? matrixFile : run ? output.out.resolve(RUN_FILE) : null;
    if (file == null) {
      out.print(yaml);
      out.flush();
    } else {
      write(file, yaml);
    }
    err.println(
        "discovered "
            + setup.containers().size()
            + " containers on "
            + setup.networks().stream().filter(n -> used(setup, n)).count()
            + " networks: "
            + matrix.checks().size()
            + " checks"
            + (file == null ? "" : ", written to " + file));
    err.flush();
    if (!run) {
      return ExitCode.OK.code();
    }
    return RunExecution.execute(
        matrix, matrix.checks(), file.toString(), output, "table", out, err);
  }

  private Optional<DockerRules.Internet> internet() {
    try {
      return Optional.ofNullable(internetTarget).map(DockerRules.Internet::parse);
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage(), ExitCode.USAGE);
    }
  }

  /** The written text, loaded as `run` will: a problem here is this command's bug. */
  private static Matrix load(String yaml) {
    try {
      return MatrixLoader.load(yaml, "discovered.yaml", Map.of());
    } catch (MatrixException e) {
      throw new IllegalStateException(
          "the discovered matrix does not load; please report it: " + e.getMessage(), e);
    }
  }

  private static void write(Path file, String yaml) {
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserException(
          "cannot write the matrix to " + file + " (" + e + "); choose another -o FILE",
          ExitCode.USAGE,
          e);
    }
  }

  private List<String> header() {
    String args =
        String.join(" ", spec.root().commandLine().getParseResult().originalArgs())
            .replace('\n', ' ');
    return List.of(
        "Written by `netprobe " + args + "`.",
        "The containers of the local Docker engine and what Docker's rules say they reach. The"
            + " comment above each check names its rule: edit freely, then `netprobe validate"
            + " FILE` and `netprobe run FILE`.",
        "");
  }

  private static String name(Selection selection) {
    return "Docker on this host"
        + (selection.equals(Selection.ALL) ? "" : " (" + selection.describe() + ")");
  }

  private static String description(DockerSetup setup) {
    return "Discovered from the Docker engine: "
        + String.join(
            ", ", setup.containers().stream().map(DockerSetup.Container::name).limit(20).toList())
        + (setup.containers().size() > 20 ? ", ..." : "")
        + ". Every check follows one of Docker's rules, named in the comment above it.";
  }

  private static boolean used(DockerSetup setup, DockerSetup.Network n) {
    return setup.containers().stream().anyMatch(c -> c.addresses().containsKey(n.name()));
  }
}

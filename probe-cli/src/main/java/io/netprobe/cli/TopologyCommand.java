package io.netprobe.cli;

import io.netprobe.cli.invocation.Invocation;
import io.netprobe.cli.run.MatrixRun;
import io.netprobe.cli.run.RunListener;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import io.netprobe.matrix.MatrixLoader;
import io.netprobe.report.Reports;
import io.netprobe.report.model.ExitCode;
import io.netprobe.report.model.Topology;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe topology MATRIX}: the lab as the agents of its nodes find it (networks, the nodes
 * on each, routers and what they translate), printed without running a check.
 */
@Command(
    addMethodSubcommands = false,
    name = "topology",
    mixinStandardHelpOptions = true,
    description = {
      "Print the lab as its agents find it: each network with the nodes on it, the routers",
      "that join them and what they translate (NAT, port forwards, floating IPs).",
      "Reads every node of the matrix that has an agent; sends no probe."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the topology was read (nodes whose agent did not start are listed as such)",
      "2:the matrix file has problems"
    })
public final class TopologyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "MATRIX", description = "The matrix file (YAML).")
  Path file;

  @Option(
      names = "--accept-new-host-keys",
      description = "Trust an SSH node's host key the first time it is seen.")
  boolean acceptNewHostKeys;

  @Override
  public Integer call() {
    Matrix matrix;
    try {
      matrix = MatrixLoader.load(file, Invocation.env());
    } catch (MatrixException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return ExitCode.USAGE.code();
    }
    Topology topology = MatrixRun.topology(matrix, acceptNewHostKeys, RunListener.NONE);
    Reports.topology(topology, spec.commandLine().getOut(), RunExecution.Terminal.options(false));
    return ExitCode.OK.code();
  }
}

package io.netprobe.cli;

import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.MatrixException;
import io.netprobe.matrix.Problem;
import io.netprobe.report.Reports;
import io.netprobe.report.model.ExitCode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe check FROM TARGET PROBE}: one check without a matrix file, for whoever is
 * troubleshooting now. Prints the verdict with its explanation.
 */
@Command(
    addMethodSubcommands = false,
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "One check without a matrix file, explained.",
      "Examples:",
      "  netprobe check netns:np-pc 10.0.2.15 icmp --at netns:np-vm-nat",
      "  netprobe check docker:np-ct1 203.0.113.10 tcp:80",
      "  netprobe check ssh://lab@127.0.0.1:1234 203.0.113.10 tcp:80 --identity KEY"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:reached", "1:not reached", "2:bad invocation", "3:could not check"})
public final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FROM",
      description = "Where the probe starts: " + AdHocMatrix.FROM_FORMS + ".")
  String from;

  @Parameters(
      index = "1",
      paramLabel = "TARGET",
      description =
          "An IP address or a host name (the FROM node resolves it), optionally with :PORT.")
  String target;

  @Parameters(
      index = "2..*",
      arity = "1..*",
      paramLabel = "PROBE",
      description = {
        "icmp, tcp:PORT, udp:PORT, ssh, ssh:PORT, http[s][:PORT][/path]; several run together.",
        "tcp, udp and http(s) take TARGET's :PORT. ssh without credentials checks the transport"
            + " (banner, host key) and attempts no login."
      })
  List<String> probes;

  @Option(
      names = "--at",
      paramLabel = "NODE",
      description =
          "The node that owns TARGET (same forms as FROM): its agent watches what arrives.")
  String at;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "Default: ${DEFAULT-VALUE}.")
  String timeout = "1s";

  @Option(names = "--user", description = "SSH user (for ssh:// nodes and the ssh probe).")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR", description = "SSH password from $VAR.")
  String passwordEnv;

  @Option(names = "--password-file", paramLabel = "FILE", description = "SSH password file.")
  String passwordFile;

  @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key file.")
  String identity;

  @Option(names = "--known-hosts", paramLabel = "FILE", description = "SSH known_hosts file.")
  String knownHosts;

  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    Matrix matrix;
    try {
      AdHocMatrix.Login login =
          new AdHocMatrix.Login(user, passwordEnv, passwordFile, identity, knownHosts);
      matrix = AdHocMatrix.of(from, target, probes, at, login, timeout);
    } catch (MatrixException e) {
      for (Problem p : e.problems()) {
        spec.commandLine().getErr().println("netprobe check: " + p.message());
      }
      return ExitCode.USAGE.code();
    }
    String asked = from + " -> " + target + (at == null ? "" : " (at " + at + ")");
    return RunExecution.execute(
        matrix,
        matrix.checks(),
        "netprobe check",
        output,
        "table",
        spec.commandLine().getOut(),
        spec.commandLine().getErr(),
        (run, o) -> Reports.answer(run, asked, spec.commandLine().getOut(), o));
  }
}

package io.netprobe.cli;

import io.netprobe.cli.error.UserException;
import io.netprobe.cli.invocation.Invocation;
import io.netprobe.cli.lab.LabCommand;
import io.netprobe.report.model.ExitCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code netprobe}: the command line. Every subcommand returns its exit code from call(). Every
 * {@code @Command} says {@code addMethodSubcommands = false} (a test checks): none has methods for
 * subcommands, and picocli otherwise reads the annotations of each of its methods to find them, ~20
 * ms of the ~100 ms it takes a cold JVM to read a command line.
 */
@Command(
    addMethodSubcommands = false,
    name = "netprobe",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Checks the network paths of a virtualization lab and explains each result.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every check as expected",
      "1:some check unexpected",
      "2:bad invocation or matrix (nothing ran)",
      "3:some checks could not be run (ERROR), none unexpected",
      "130:interrupted"
    })
public final class Main implements Callable<Integer> {
  @Spec CommandSpec spec;

  /**
   * The subcommands by name (each its {@code @Command}'s, as a test checks), in the order the usage
   * lists them. The names are written out: reading ten classes' annotations to find one was ~20 ms
   * of a cold JVM.
   */
  static final Map<String, Class<?>> COMMANDS = commands();

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("demo", DemoCommand.class);
    m.put("run", RunCommand.class);
    m.put("check", CheckCommand.class);
    m.put("grade", GradeCommand.class);
    m.put("watch", WatchCommand.class);
    m.put("validate", ValidateCommand.class);
    m.put("topology", TopologyCommand.class);
    m.put("discover", DiscoverCommand.class);
    m.put("lab", LabCommand.class);
    m.put("agent", AgentCommand.class);
    m.put("cleanup", CleanupCommand.class);
    m.put("daemon", DaemonCommand.class);
    return java.util.Collections.unmodifiableMap(m);
  }

  public static void main(String[] args) {
    java.util.OptionalInt served = io.netprobe.cli.daemon.DaemonClient.forward(args);
    if (served.isPresent()) {
      System.exit(served.getAsInt());
    }
    quietNetty();
    io.netprobe.agent.rules.Commands.startByVfork();
    // the rules iptables-nft-save printed, for the next run on the same rules (no process then)
    io.netprobe.agent.rules.RulesReader.keepPrintedIn(
        io.netprobe.cli.connect.artefact.RuntimeImage.cacheRoot().resolve("rules"));
    Preload.startFor(args);
    System.exit(execute(args));
  }

  /**
   * Netty 4.2 registers its buffer events with the JDK's Flight Recorder when it first loads, which
   * starts JFR's machinery (about 0.1 CPU-s) in every run though nothing records them; {@code
   * -Dio.netty.jfr.enabled=true} still turns them on.
   */
  static void quietNetty() {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  /** Runs {@code args} as {@code main} would, without exiting: its exit code (the daemon). */
  public static int execute(String[] args) {
    return commandLine(args).execute(args);
  }

  /** The configured command line; tests call {@code execute} on it with their own writers. */
  public static CommandLine commandLine() {
    return commandLine(List.copyOf(COMMANDS.values()));
  }

  /**
   * The command line for {@code args}: when they start with a subcommand's name, only that one.
   * picocli reads the annotations of every command it is given, about 0.1 s of a cold JVM spent on
   * ten commands a run does not use; {@code netprobe}, {@code --help}, {@code help} and an unknown
   * name still get them all (the usage, the suggestions).
   */
  static CommandLine commandLine(String[] args) {
    Class<?> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
    return commandLine(named != null ? List.of(named) : List.copyOf(COMMANDS.values()));
  }

  private static CommandLine commandLine(List<Class<?>> commands) {
    CommandLine cli = new CommandLine(new Main());
    commands.forEach(cli::addSubcommand);
    cli.addSubcommand(new CommandLine.HelpCommand());
    cli.setExitCodeExceptionMapper(e -> ExitCode.USAGE.code());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("netprobe: " + e.getMessage());
          if (Invocation.getenv("NETPROBE_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
          }
          return e instanceof UserException ue ? ue.exitCode() : ExitCode.ERROR.code();
        });
    return cli;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCode.USAGE.code();
  }

  /** The version from the jar's manifest, or "dev" in an IDE. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"netprobe " + (v == null ? "dev" : v)};
    }
  }
}

package io.netprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netprobe.report.model.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void helpListsTheSubcommandsAndTheExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("demo", "lab")
        .contains("Exit codes:")
        .containsPattern("2 +bad invocation or matrix \\(nothing ran\\)")
        .containsPattern("130 +interrupted");
  }

  @Test
  void eachSubcommandIsListedUnderItsOwnName() {
    Main.COMMANDS.forEach(
        (name, type) ->
            assertThat(type.getAnnotation(CommandLine.Command.class).name())
                .as(type.getSimpleName())
                .isEqualTo(name));
    assertThat(Main.commandLine(new String[] {"run", "x.yaml"}).getSubcommands())
        .as("only the command asked for, and help")
        .containsOnlyKeys("run", "help");
  }

  @Test
  void noCommandLooksForMethodSubcommands() {
    // the whole tree as `netprobe --help` builds it, nested commands (lab up, agent ...) too
    java.util.ArrayDeque<CommandLine> todo =
        new java.util.ArrayDeque<>(List.of(Main.commandLine()));
    while (!todo.isEmpty()) {
      CommandLine c = todo.poll();
      assertThat(c.getCommandSpec().isAddMethodSubcommands())
          .as(c.getCommandSpec().qualifiedName())
          .isEqualTo(c.getCommand() instanceof CommandLine.HelpCommand);
      todo.addAll(c.getSubcommands().values());
    }
  }

  @Test
  void versionNamesNetprobe() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("netprobe ");
  }

  @Test
  void unknownSubcommandIsABadInvocation() {
    assertThat(run("frobnicate")).isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString()).contains("frobnicate");
  }

  @Test
  void labWithoutAnActionShowsItsUsage() {
    assertThat(run("lab")).isEqualTo(ExitCode.USAGE.code());
    assertThat(err.toString()).contains("up", "down", "status");
  }

  @Test
  void noHelpSaysDefaultNull() {
    CommandLine cli = Main.commandLine();
    java.util.List<CommandLine> all = new java.util.ArrayList<>(java.util.List.of(cli));
    for (int i = 0; i < all.size(); i++) {
      all.addAll(all.get(i).getSubcommands().values());
    }
    for (CommandLine c : all) {
      assertThat(c.getUsageMessage()).as(c.getCommandName()).doesNotContain("Default: null");
    }
  }
}

package io.netprobe.agent.rules;

import io.netprobe.agent.net.Timer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the binaries that read netfilter: found by name in PATH and the sbin directories (an agent
 * started by a plain user often has no sbin in its PATH), run without a shell, with a timeout.
 *
 * <p>A process inherits the network namespace of the thread that starts it (the JDK spawns it from
 * the calling thread), so a command run on one of a {@code NetNamespace}'s threads reads that
 * namespace's rules.
 */
public interface Commands {
  /** Where a binary is, if anywhere. */
  Optional<Path> find(String name);

  /** Runs {@code command} (its first word a path from {@link #find}) for up to timeoutMs. */
  Result run(List<String> command, long timeoutMs);

  /** How one run ended. {@code timedOut}: killed at the timeout, {@code exit} is then -1. */
  record Result(int exit, String out, String err, boolean timedOut) {
    /** The first line of stderr, for a message. */
    public String firstErrorLine() {
      String e = err.strip();
      int nl = e.indexOf('\n');
      return nl < 0 ? e : e.substring(0, nl);
    }
  }

  /** This machine. */
  Commands SYSTEM = new SystemCommands();

  /**
   * Makes the JDK start commands with vfork and exec, its default on Linux before JDK 12, instead
   * of posix_spawn of its jspawnhelper, which then execs the command: one exec less for each. A run
   * reads every namespace's rules twice (iptables-save), 40 commands on a mesh of 20 namespaces:
   * 0.18 CPU-s and 0.08 s less a run (12 alternating runs). A command still starts in the network
   * namespace of the thread that asks for it. Called first thing in a main, before any process
   * starts (the JDK reads the setting once); only before JDK 21, which deprecates VFORK; an
   * explicit {@code -Djdk.lang.Process.launchMechanism} wins.
   */
  static void startByVfork() {
    String key = "jdk.lang.Process.launchMechanism";
    if (Runtime.version().feature() < 21 && System.getProperty(key) == null) {
      System.setProperty(key, "VFORK");
    }
  }

  /** The directories searched after PATH. */
  List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/local/sbin");

  /** The real thing: PATH plus sbin, ProcessBuilder, pipes read on their own threads. */
  final class SystemCommands implements Commands {
    private SystemCommands() {}

    @Override
    public Optional<Path> find(String name) {
      Set<String> dirs = new LinkedHashSet<>();
      String path = System.getenv("PATH");
      if (path != null) {
        dirs.addAll(List.of(path.split(File.pathSeparator)));
      }
      dirs.addAll(SBIN);
      for (String dir : dirs) {
        if (dir.isEmpty()) {
          continue;
        }
        Path p = Path.of(dir, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }

    /**
     * Runs it with its error output thrown away and, only when it fails, once more to read why: a
     * run reads 40-odd namespaces' rules, and two pipe-draining threads for each process were a
     * hundred thread starts a run. The output is read on the calling thread; a timer kills the
     * process at the timeout.
     */
    @Override
    public Result run(List<String> command, long timeoutMs) {
      Result quiet = run(command, timeoutMs, false);
      if (quiet.exit() == 0 || quiet.timedOut()) {
        return quiet;
      }
      return run(command, timeoutMs, true);
    }

    private static Result run(List<String> command, long timeoutMs, boolean withErrors) {
      Process p;
      try {
        p =
            new ProcessBuilder(new ArrayList<>(command))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(
                    withErrors ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD)
                .start();
      } catch (IOException e) {
        return new Result(-1, "", "cannot start " + command.get(0) + ": " + e.getMessage(), false);
      }
      AtomicBoolean killed = new AtomicBoolean();
      ScheduledFuture<?> deadline =
          Timer.after(
              timeoutMs,
              () -> {
                if (p.isAlive()) {
                  killed.set(true);
                  p.destroyForcibly();
                }
              });
      try (InputStream out = p.getInputStream();
          InputStream err = p.getErrorStream()) {
        // iptables-save writes a line or two of errors at most, read after the output (errors past
        // a pipe's 64 KB before the output ends would wait for the timer)
        String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        String errors = withErrors ? new String(err.readAllBytes(), StandardCharsets.UTF_8) : "";
        p.waitFor();
        if (killed.get()) {
          return new Result(-1, "", errors, true);
        }
        return new Result(p.exitValue(), text, errors, false);
      } catch (IOException e) {
        p.destroyForcibly();
        return new Result(-1, "", e.toString(), false);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        return new Result(-1, "", "interrupted", false);
      } finally {
        deadline.cancel(false);
      }
    }
  }
}

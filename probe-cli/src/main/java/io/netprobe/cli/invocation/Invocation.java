package io.netprobe.cli.invocation;

import java.util.Map;

/**
 * Who asked for the command being run: their environment ({@code ${VAR}} in a matrix, {@code
 * NETPROBE_*}, {@code DOCKER_HOST}, {@code NO_COLOR}) and whether they sit at a terminal. For a
 * command the launcher started that is this process's own; for one the daemon runs for a client
 * ({@link io.netprobe.cli.daemon.Daemon}) it is the client's, set for the length of that command.
 * Every read of the environment in the CLI goes through here.
 */
public final class Invocation {
  private static final Invocation PROCESS = new Invocation(System.getenv(), null);
  private static volatile Invocation current = PROCESS;

  private final Map<String, String> env;
  private final Boolean console;

  /**
   * @param console whether the caller's stdin and stdout are a terminal; null: ask this process's
   */
  public Invocation(Map<String, String> env, Boolean console) {
    this.env = Map.copyOf(env);
    this.console = console;
  }

  /** The caller's environment. */
  public static Map<String, String> env() {
    return current.env;
  }

  /** The caller's variable {@code name}, or null. */
  public static String getenv(String name) {
    return current.env.get(name);
  }

  /** Whether the caller sits at a terminal (as {@link System#console()} says for a process). */
  public static boolean interactive() {
    Boolean c = current.console;
    return c != null ? c : System.console() != null;
  }

  /** Makes {@code invocation} the current one until {@link #reset()} (the daemon, per command). */
  public static void set(Invocation invocation) {
    current = invocation;
  }

  /** Back to this process's own. */
  public static void reset() {
    current = PROCESS;
  }
}

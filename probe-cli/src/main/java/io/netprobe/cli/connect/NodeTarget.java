package io.netprobe.cli.connect;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where an agent is to run, one record per node kind. Holds where secrets come from (an environment
 * variable's name, a file), never a secret itself, so printing a target is safe.
 */
public sealed interface NodeTarget {
  Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}");

  /** How this node is reached, for messages: "ip netns exec np-pc". */
  String describe();

  /**
   * Whether its agent starts in this JVM with no I/O to wait for (a local or namespace agent): its
   * connect is CPU work only.
   */
  default boolean inThisJvm() {
    return false;
  }

  private static String checkName(String field, String value, String example) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field
              + " must be 1-128 characters of letters, digits, '_', '.', '-', '@', got "
              + (value == null ? "null" : "\"" + value + "\"")
              + " (e.g. "
              + example
              + ")");
    }
    return value;
  }

  /** The machine netprobe runs on: the agent as a child process, or in this JVM. */
  record Local(boolean inProcess) implements NodeTarget {
    public Local() {
      this(false);
    }

    @Override
    public String describe() {
      return inProcess ? "local (in-process)" : "local (child process)";
    }

    @Override
    public boolean inThisJvm() {
      return inProcess;
    }
  }

  /**
   * A network namespace of this machine ({@code ip netns add NAME}): the agent in this JVM with its
   * threads in the namespace, or a child process under {@code ip netns exec}.
   */
  record Netns(String name, boolean inProcess) implements NodeTarget {
    public Netns {
      checkName("netns name", name, "np-pc");
    }

    /** In this JVM. */
    public Netns(String name) {
      this(name, true);
    }

    @Override
    public String describe() {
      return inProcess ? "netns " + name : "ip netns exec " + name;
    }

    @Override
    public boolean inThisJvm() {
      return inProcess;
    }
  }

  /**
   * A container, by name or id. In this JVM, with its threads in the container's network (and UTS)
   * namespace, where the engine is on this machine; else, or not {@code inProcess}, in a sidecar
   * container sharing its network namespace.
   */
  record Docker(String container, boolean inProcess) implements NodeTarget {
    public Docker {
      checkName("docker container", container, "np-ct1");
    }

    /** In a sidecar. */
    public Docker(String container) {
      this(container, false);
    }

    @Override
    public String describe() {
      return inProcess ? "docker container " + container : "docker sidecar for " + container;
    }
  }

  /**
   * A VM or server over SSH. {@code host} may be a {@code ~/.ssh/config} alias. Password from the
   * environment variable {@code passwordEnv} or the file {@code passwordFile}; {@code knownHosts}
   * null means {@code ~/.ssh/known_hosts}; {@code fromNetns} opens the TCP connection from inside
   * that network namespace (the PC of the demo lab).
   */
  record Ssh(
      String host,
      int port,
      String user,
      Path identityFile,
      String passwordEnv,
      Path passwordFile,
      Path knownHosts,
      boolean acceptNewHostKeys,
      String fromNetns)
      implements NodeTarget {
    public Ssh {
      checkName("ssh host", host, "127.0.0.1 or an ~/.ssh/config alias");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "ssh port out of range: " + port + " (1-65535, or 0 for ~/.ssh/config or 22)");
      }
      if (user != null) {
        checkName("ssh user", user, "lab");
      }
      if (passwordEnv != null && !passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            "ssh password-env must name an environment variable, got \"" + passwordEnv + "\"");
      }
      if (fromNetns != null) {
        checkName("ssh from-netns", fromNetns, "np-pc");
      }
    }

    /** host:port as user, no secrets; the other fields via the withers. */
    public static Ssh to(String host, int port, String user) {
      return new Ssh(host, port, user, null, null, null, null, false, null);
    }

    public Ssh withIdentityFile(Path file) {
      return new Ssh(
          host,
          port,
          user,
          file,
          passwordEnv,
          passwordFile,
          knownHosts,
          acceptNewHostKeys,
          fromNetns);
    }

    public Ssh withPasswordEnv(String env) {
      return new Ssh(
          host,
          port,
          user,
          identityFile,
          env,
          passwordFile,
          knownHosts,
          acceptNewHostKeys,
          fromNetns);
    }

    public Ssh withPasswordFile(Path file) {
      return new Ssh(
          host,
          port,
          user,
          identityFile,
          passwordEnv,
          file,
          knownHosts,
          acceptNewHostKeys,
          fromNetns);
    }

    public Ssh withKnownHosts(Path file, boolean acceptNew) {
      return new Ssh(
          host, port, user, identityFile, passwordEnv, passwordFile, file, acceptNew, fromNetns);
    }

    public Ssh fromNetns(String netns) {
      return new Ssh(
          host,
          port,
          user,
          identityFile,
          passwordEnv,
          passwordFile,
          knownHosts,
          acceptNewHostKeys,
          netns);
    }

    @Override
    public String describe() {
      return "ssh "
          + (user == null ? "" : user + "@")
          + host
          + (port == 0 ? "" : ":" + port)
          + (fromNetns == null ? "" : " from netns " + fromNetns);
    }
  }
}

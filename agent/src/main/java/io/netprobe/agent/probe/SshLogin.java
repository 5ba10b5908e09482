package io.netprobe.agent.probe;

/**
 * How to log in over SSH: user, a password or a private key file, the known_hosts file to check the
 * host key against (null with {@code checkHostKey=false}: fingerprint reported, not checked), and
 * one command to run. The password never appears in {@link #toString()}.
 */
public record SshLogin(
    String user,
    String password,
    String keyFile,
    String knownHosts,
    boolean checkHostKey,
    String command) {
  public SshLogin {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("ssh user is missing: give args.user");
    }
    if (checkHostKey && (knownHosts == null || knownHosts.isBlank())) {
      throw new IllegalArgumentException(
          "args.knownHosts is missing: give a known_hosts file or set args.checkHostKey=false");
    }
  }

  /**
   * No credentials: the probe checks the SSH transport (TCP, banner, key exchange, host key) and
   * attempts no login.
   */
  public static SshLogin transportOnly(String knownHosts, boolean checkHostKey) {
    return new SshLogin(TRANSPORT_USER, null, null, knownHosts, checkHostKey, null);
  }

  /** The user name a transport-only probe gives the server; it never authenticates. */
  static final String TRANSPORT_USER = "netprobe";

  /** True when the probe has a password or a key to log in with. */
  public boolean logsIn() {
    return password != null || keyFile != null;
  }

  public String authMethod() {
    if (keyFile != null) {
      return password != null ? "publickey,password" : "publickey";
    }
    return password != null ? "password" : "none";
  }

  @Override
  public String toString() {
    return "SshLogin[user="
        + user
        + ", auth="
        + authMethod()
        + ", knownHosts="
        + knownHosts
        + ", checkHostKey="
        + checkHostKey
        + ", command="
        + command
        + "]";
  }
}

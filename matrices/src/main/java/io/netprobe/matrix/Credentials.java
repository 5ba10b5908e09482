package io.netprobe.matrix;

import java.util.Objects;
import java.util.Optional;

/**
 * An SSH login: the user, where its secret is kept, and the known_hosts file that pins the host
 * key. Holds references only, never a password.
 */
public record Credentials(String user, Optional<SecretRef> secret, Optional<String> knownHosts) {
  public Credentials {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(knownHosts, "knownHosts");
    if (user.isBlank()) {
      throw new IllegalArgumentException("ssh user must not be empty");
    }
  }
}

package io.netprobe.matrix;

import java.util.Objects;

/**
 * Where a secret is kept. A matrix holds only the reference (a variable's name, a file's path),
 * never the secret itself, so printing a matrix never prints a password.
 */
public sealed interface SecretRef
    permits SecretRef.PasswordEnv, SecretRef.PasswordFile, SecretRef.IdentityFile {

  /** A password in the environment variable {@code variable} of the coordinator. */
  record PasswordEnv(String variable) implements SecretRef {
    public PasswordEnv {
      Objects.requireNonNull(variable, "variable");
      if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            "password-env must name an environment variable (letters, digits, _): " + variable);
      }
    }
  }

  /** A password in the first line of the file {@code path}. */
  record PasswordFile(String path) implements SecretRef {
    public PasswordFile {
      requirePath(path, "password-file");
    }
  }

  /** A private key (OpenSSH format) in the file {@code path}. */
  record IdentityFile(String path) implements SecretRef {
    public IdentityFile {
      requirePath(path, "identity");
    }
  }

  private static void requirePath(String path, String field) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(field + " must be a file path, got an empty value");
    }
  }
}

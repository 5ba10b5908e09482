package io.netprobe.cli.run;

import io.netprobe.agent.probe.ProbeOptions;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.probe.ProbeTarget;
import io.netprobe.agent.probe.SshLogin;
import io.netprobe.agent.protocol.ProbeArgs;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Credentials;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.SecretRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A check as the {@code probe} request its source agent runs: where, which port on the wire (after
 * a port forward), how long to wait, the flow mark, and for SSH the login. Secrets are read here,
 * at the last moment, and go nowhere but into the request.
 */
final class ProbeRequests {
  private ProbeRequests() {}

  /**
   * The request of {@code check}; {@code env} reads the variable a {@code password-env} names (the
   * process's environment, or a graded student's values over it).
   */
  static ProbeArgs of(Matrix matrix, Check check, String mark, UnaryOperator<String> env) {
    ProbeSpec probe = check.wireProbe();
    ProbeTarget target =
        new ProbeTarget(
            check.to().ip(), (int) check.timeout().toMillis(), 0, mark, check.to().family());
    SshLogin login =
        probe instanceof ProbeSpec.Ssh
            ? login(matrix, check).map(l -> login(l, env)).orElse(null)
            : null;
    return new ProbeArgs(
        probe, target, new ProbeOptions(ProbeOptions.ICMP_INTERVAL_MS, null, login));
  }

  private static Optional<Credentials> login(Matrix matrix, Check check) {
    if (check.login().isPresent()) {
      return check.login();
    }
    return check.to().node().flatMap(matrix::node).flatMap(n -> n.login());
  }

  private static SshLogin login(Credentials login, UnaryOperator<String> env) {
    SecretRef secret = login.secret().orElse(null);
    String keyFile = secret instanceof SecretRef.IdentityFile id ? id.path() : null;
    String password = secret == null || keyFile != null ? null : password(secret, env);
    return new SshLogin(
        login.user(),
        password,
        keyFile,
        login.knownHosts().orElse(null),
        login.knownHosts().isPresent(),
        "hostname");
  }

  /** The password a reference points at; the message names the reference, never the value. */
  static String password(SecretRef ref, UnaryOperator<String> env) {
    if (ref instanceof SecretRef.PasswordEnv variable) {
      String value = env.apply(variable.variable());
      if (value == null) {
        throw new IllegalStateException(
            "password-env "
                + variable.variable()
                + " is not set in netprobe's environment (nor in the student's file, when"
                + " grading)");
      }
      return value;
    }
    if (ref instanceof SecretRef.PasswordFile file) {
      try {
        return Files.readString(Path.of(file.path()), StandardCharsets.UTF_8)
            .lines()
            .findFirst()
            .orElse("");
      } catch (IOException e) {
        throw new IllegalStateException(
            "password-file "
                + file.path()
                + " cannot be read ("
                + e.getClass().getSimpleName()
                + ")");
      }
    }
    throw new IllegalArgumentException("not a password reference: " + ref.getClass());
  }
}

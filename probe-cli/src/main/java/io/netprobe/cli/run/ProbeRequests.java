package io.netprobe.cli.run;

import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.matrix.Check;
import io.netprobe.matrix.Credentials;
import io.netprobe.matrix.Matrix;
import io.netprobe.matrix.SecretRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A check as the {@code probe} request its source agent runs: where, which port on the wire (after
 * a port forward), how long to wait, the flow mark, and for SSH the login. Secrets are read here,
 * at the last moment, and go nowhere but into the request.
 */
final class ProbeRequests {
  private ProbeRequests() {}

  static Map<String, Object> of(Matrix matrix, Check check, String mark) {
    Map<String, Object> args = new LinkedHashMap<>();
    ProbeSpec probe = check.wireProbe();
    args.put("host", check.to().ip());
    args.put("timeoutMs", check.timeout().toMillis());
    args.put("mark", mark);
    if (probe instanceof ProbeSpec.Icmp icmp) {
      args.put("type", "icmp");
      args.put("count", icmp.count());
      args.put("intervalMs", io.netprobe.agent.probe.ProbeOptions.ICMP_INTERVAL_MS);
    } else if (probe instanceof ProbeSpec.Tcp tcp) {
      args.put("type", "tcp");
      args.put("port", tcp.port());
    } else if (probe instanceof ProbeSpec.Udp udp) {
      args.put("type", "udp");
      args.put("port", udp.port());
    } else if (probe instanceof ProbeSpec.Ssh ssh) {
      args.put("type", "ssh");
      args.put("port", ssh.port());
      login(matrix, check).ifPresent(login -> addLogin(args, login));
    }
    return args;
  }

  private static Optional<Credentials> login(Matrix matrix, Check check) {
    if (check.login().isPresent()) {
      return check.login();
    }
    return check.to().node().flatMap(matrix::node).flatMap(n -> n.login());
  }

  private static void addLogin(Map<String, Object> args, Credentials login) {
    args.put("user", login.user());
    args.put("command", "hostname");
    login.knownHosts().ifPresent(k -> args.put("knownHosts", k));
    args.put("checkHostKey", login.knownHosts().isPresent());
    login
        .secret()
        .ifPresent(
            secret -> {
              if (secret instanceof SecretRef.IdentityFile id) {
                args.put("keyFile", id.path());
              } else {
                args.put("password", password(secret));
              }
            });
  }

  /** The password a reference points at; the message names the reference, never the value. */
  static String password(SecretRef ref) {
    if (ref instanceof SecretRef.PasswordEnv env) {
      String value = System.getenv(env.variable());
      if (value == null) {
        throw new IllegalStateException(
            "password-env " + env.variable() + " is not set in netprobe's environment");
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

package io.netprobe.agent.protocol;

import io.netprobe.agent.probe.ProbeOptions;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.probe.ProbeTarget;
import io.netprobe.agent.probe.SshLogin;

/**
 * Reads a {@code probe} request's args: {@code type} (icmp, tcp, udp, ssh), {@code host}, {@code
 * port}, {@code timeoutMs} (default 1000), {@code sourcePort}, {@code mark}, and per type {@code
 * count}/{@code intervalMs} (icmp), {@code payload} (udp), {@code user}, {@code password}, {@code
 * keyFile}, {@code knownHosts}, {@code checkHostKey}, {@code command} (ssh).
 */
public record ProbeArgs(ProbeSpec spec, ProbeTarget target, ProbeOptions options) {

  /** The probe types a request may name. */
  public enum Type {
    ICMP,
    TCP,
    UDP,
    SSH
  }

  public static ProbeArgs parse(Args args) {
    Type type = args.choice("type", Type.class, null);
    ProbeSpec spec =
        switch (type) {
          case ICMP -> new ProbeSpec.Icmp(args.integer("count", 1, 100, 3));
          case TCP -> new ProbeSpec.Tcp(args.integer("port", 1, 65535));
          case UDP -> new ProbeSpec.Udp(args.integer("port", 1, 65535));
          case SSH -> new ProbeSpec.Ssh(args.integer("port", 1, 65535, 22));
        };
    ProbeTarget target =
        new ProbeTarget(
            args.string("host"),
            args.integer("timeoutMs", 1, ProbeTarget.MAX_TIMEOUT_MS, 1000),
            args.integer("sourcePort", 0, 65535, 0),
            args.string("mark", null));
    SshLogin login = type == Type.SSH ? login(args) : null;
    ProbeOptions options =
        new ProbeOptions(
            args.integer("intervalMs", 0, 10_000, ProbeOptions.ICMP_INTERVAL_MS),
            args.string("payload", null),
            login);
    return new ProbeArgs(spec, target, options);
  }

  private static SshLogin login(Args args) {
    boolean check = args.bool("checkHostKey", args.has("knownHosts"));
    if (check && !args.has("knownHosts")) {
      throw BadRequestException.field(
          "args.knownHosts",
          "args.knownHosts is missing: give a known_hosts file or set args.checkHostKey=false");
    }
    if (!args.has("password") && !args.has("keyFile")) {
      throw BadRequestException.field(
          "args.password",
          "ssh needs args.password or args.keyFile (a private key file on the agent's node)");
    }
    return new SshLogin(
        args.string("user"),
        args.has("password") ? args.string("password") : null,
        args.string("keyFile", null),
        args.string("knownHosts", null),
        check,
        args.string("command", null));
  }
}

package io.netprobe.agent.protocol;

import io.netprobe.agent.probe.ProbeOptions;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.probe.ProbeTarget;
import io.netprobe.agent.probe.SshLogin;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code probe} request, typed: what to send, where, and how. A coordinator builds it and hands
 * it to an agent in its own JVM as it is; over the wire it travels as {@link #toWire() args}, which
 * {@link #parse} reads back: {@code type} (icmp, tcp, udp, ssh), {@code host}, {@code port}, {@code
 * timeoutMs} (default 1000), {@code sourcePort}, {@code mark}, and per type {@code count}/{@code
 * intervalMs} (icmp), {@code payload} (udp), {@code user}, {@code password}, {@code keyFile},
 * {@code knownHosts}, {@code checkHostKey}, {@code command} (ssh), {@code path}, {@code status} (0:
 * any 2xx or 3xx), {@code body} (http, https), {@code over} (tcp or udp), {@code durationMs},
 * {@code size} (rr), {@code durationMs} (bulk).
 */
public record ProbeArgs(ProbeSpec spec, ProbeTarget target, ProbeOptions options) {

  /** The probe types a request may name. */
  public enum Type {
    ICMP,
    TCP,
    UDP,
    SSH,
    HTTP,
    HTTPS,
    RR,
    BULK
  }

  public ProbeArgs {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(options, "options");
  }

  public static ProbeArgs parse(Args args) {
    Type type = args.choice("type", Type.class, null);
    ProbeSpec spec =
        switch (type) {
          case ICMP -> new ProbeSpec.Icmp(args.integer("count", 1, 100, 3));
          case TCP -> new ProbeSpec.Tcp(args.integer("port", 1, 65535));
          case UDP -> new ProbeSpec.Udp(args.integer("port", 1, 65535));
          case SSH -> new ProbeSpec.Ssh(args.integer("port", 1, 65535, 22));
          case HTTP, HTTPS -> http(args, type == Type.HTTPS);
          case RR -> rr(args);
          case BULK ->
              new ProbeSpec.Bulk(
                  args.integer("port", 1, 65535),
                  args.integer(
                      "durationMs",
                      1,
                      ProbeSpec.Rr.MAX_DURATION_MS,
                      ProbeSpec.Rr.DEFAULT_DURATION_MS));
        };
    ProbeTarget target =
        new ProbeTarget(
            args.string("host"),
            args.integer("timeoutMs", 1, ProbeTarget.MAX_TIMEOUT_MS, 1000),
            args.integer("sourcePort", 0, 65535, 0),
            args.string("mark", null),
            family(args));
    SshLogin login = type == Type.SSH ? login(args) : null;
    ProbeOptions options =
        new ProbeOptions(
            args.integer("intervalMs", 0, 10_000, ProbeOptions.ICMP_INTERVAL_MS),
            args.string("payload", null),
            login);
    return new ProbeArgs(spec, target, options);
  }

  /** The address family a name is resolved to: ipv4, ipv6, or absent (IPv4 first). */
  private static String family(Args args) {
    String family = args.string("family", null);
    if (family != null && !family.equals("ipv4") && !family.equals("ipv6")) {
      throw BadRequestException.field(
          "args.family", "args.family: expected ipv4 or ipv6, got \"" + family + "\"");
    }
    return family;
  }

  /** The request as the {@code probe} op's args: what {@link #parse} reads back to this. */
  public Map<String, Object> toWire() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("type", typeOf(spec).name().toLowerCase(Locale.ROOT));
    args.put("host", target.host());
    args.put("timeoutMs", target.timeoutMs());
    putIf(args, "sourcePort", target.sourcePort() == 0 ? null : target.sourcePort());
    putIf(args, "mark", target.mark());
    putIf(args, "family", target.family());
    if (spec instanceof ProbeSpec.Icmp icmp) {
      args.put("count", icmp.count());
      args.put("intervalMs", options.intervalMs());
    } else {
      args.put("port", spec.port());
    }
    if (spec instanceof ProbeSpec.Rr rr) {
      args.put("over", rr.over().wireName());
      args.put("durationMs", rr.durationMs());
      args.put("size", rr.size());
    }
    if (spec instanceof ProbeSpec.Bulk bulk) {
      args.put("durationMs", bulk.durationMs());
    }
    if (spec instanceof ProbeSpec.Http http) {
      args.put("path", http.path());
      args.put("status", http.status());
      putIf(args, "body", http.body());
    }
    putIf(args, "payload", options.payload());
    SshLogin login = options.ssh();
    if (login != null) {
      args.put("user", login.user());
      putIf(args, "password", login.password());
      putIf(args, "keyFile", login.keyFile());
      putIf(args, "knownHosts", login.knownHosts());
      args.put("checkHostKey", login.checkHostKey());
      putIf(args, "command", login.command());
    }
    return args;
  }

  private static Type typeOf(ProbeSpec spec) {
    if (spec instanceof ProbeSpec.Icmp) {
      return Type.ICMP;
    }
    if (spec instanceof ProbeSpec.Tcp) {
      return Type.TCP;
    }
    if (spec instanceof ProbeSpec.Http http) {
      return http.tls() ? Type.HTTPS : Type.HTTP;
    }
    if (spec instanceof ProbeSpec.Rr) {
      return Type.RR;
    }
    if (spec instanceof ProbeSpec.Bulk) {
      return Type.BULK;
    }
    return spec instanceof ProbeSpec.Udp ? Type.UDP : Type.SSH;
  }

  private static ProbeSpec.Rr rr(Args args) {
    String over = args.string("over", "tcp");
    if (!over.equals("tcp") && !over.equals("udp")) {
      throw BadRequestException.field(
          "args.over", "args.over: expected tcp or udp, got \"" + over + "\"");
    }
    return new ProbeSpec.Rr(
        over.equals("tcp") ? ProbeSpec.Transport.TCP : ProbeSpec.Transport.UDP,
        args.integer("port", 1, 65535),
        args.integer(
            "durationMs", 1, ProbeSpec.Rr.MAX_DURATION_MS, ProbeSpec.Rr.DEFAULT_DURATION_MS),
        args.integer(
            "size", ProbeSpec.Rr.MIN_SIZE, ProbeSpec.Rr.MAX_SIZE, ProbeSpec.Rr.DEFAULT_SIZE));
  }

  private static ProbeSpec.Http http(Args args, boolean tls) {
    String path = args.string("path", "/");
    if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      throw BadRequestException.field(
          "args.path", "args.path must start with / and hold no space: " + path);
    }
    int status = args.integer("status", 0, 599, 0);
    if (status != 0 && status < 100) {
      throw BadRequestException.field(
          "args.status", "args.status is 100..599, or 0 for any 2xx or 3xx: " + status);
    }
    return new ProbeSpec.Http(
        args.integer("port", 1, 65535, tls ? 443 : 80),
        tls,
        path,
        status,
        args.string("body", null));
  }

  private static void putIf(Map<String, Object> args, String key, Object value) {
    if (value != null) {
      args.put(key, value);
    }
  }

  private static SshLogin login(Args args) {
    boolean check = args.bool("checkHostKey", args.has("knownHosts"));
    if (check && !args.has("knownHosts")) {
      throw BadRequestException.field(
          "args.knownHosts",
          "args.knownHosts is missing: give a known_hosts file or set args.checkHostKey=false");
    }
    if (!args.has("password") && !args.has("keyFile")) {
      // no credentials: the probe checks the transport (banner, key exchange, host key) only
      return SshLogin.transportOnly(args.string("knownHosts", null), check);
    }
    return new SshLogin(
        args.string("user"),
        args.has("password") ? args.string("password") : null,
        args.string("keyFile", null),
        args.string("knownHosts", null),
        check,
        args.string("command", null));
  }

  /** Never the password: see {@link SshLogin#toString()}. */
  @Override
  public String toString() {
    return "ProbeArgs[" + spec.label() + " " + target + " " + options + "]";
  }
}

package io.netprobe.matrix;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the packets of a check did, decided from the evidence the agents collected. The table of
 * when each value is given is in {@code matrices/README.md}.
 */
public enum Disposition {
  /** Echo reply, TCP handshake, UDP reply, SSH login, or the HTTP response the check expects. */
  REACHED(true),
  /** RST from the target: nothing listens there (or only on 127.0.0.1). */
  REFUSED(false),
  /** The source kernel has no route to the target. */
  NO_ROUTE(false),
  /** An ICMP unreachable (host, net, port, admin-prohibited) came back. */
  UNREACHABLE(false),
  /** No reply, and the target's capture saw nothing arrive. */
  DROPPED_ON_PATH(false),
  /** The request arrived at the target, no reply left it. */
  DROPPED_AT_TARGET(false),
  /** The request arrived, the target has no route back to the source. */
  NO_RETURN_ROUTE(false),
  /** SSH transport reached, authentication refused. */
  AUTH_FAILED(false),
  /** SSH transport reached, the host key is not the one known. */
  HOSTKEY_MISMATCH(false),
  /** Something answered on the port, but not an SSH server. */
  NOT_SSH(false),
  /** TCP reached, the TLS handshake of an https probe failed (or the port does not speak TLS). */
  TLS_FAILED(false),
  /** TCP (and TLS) reached, but what answered is not an HTTP server, or it never answered. */
  NOT_HTTP(false),
  /** An HTTP server answered, with another status than the check expects. */
  HTTP_STATUS(false),
  /** The expected status came, but the body lacks the text the check expects. */
  BODY_MISMATCH(false),
  /** The target name did not resolve. */
  NAME_UNRESOLVED(false),
  /** No reply and no capture at the target to tell where it was lost. */
  TIMED_OUT(false),
  /** The answer came, after the timeout: the source's own capture saw it arrive late. */
  LATE(false),
  /** A check of configuration: the node has the fact the matrix states. */
  HOLDS(true),
  /** A check of configuration: the node lacks the fact, or has it otherwise. */
  DIFFERS(false);

  private final boolean reachable;

  Disposition(boolean reachable) {
    this.reachable = reachable;
  }

  /** True when the packets got there and back: the only disposition that passes. */
  public boolean isReachable() {
    return reachable;
  }

  /** The name written in a matrix file's {@code expect}: {@code refused}, {@code no-route}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** True for the dispositions of a check of configuration (a fact), not of packets. */
  public boolean isFact() {
    return this == HOLDS || this == DIFFERS;
  }

  /** The disposition of packets written {@code name} in a matrix file's expect, if any. */
  public static Optional<Disposition> fromYaml(String name) {
    return Arrays.stream(values())
        .filter(d -> !d.isFact() && d.yamlName().equals(name))
        .findFirst();
  }

  /** Every name a check's expect may use, in declaration order. */
  public static List<String> yamlNames() {
    return Arrays.stream(values()).filter(d -> !d.isFact()).map(Disposition::yamlName).toList();
  }
}

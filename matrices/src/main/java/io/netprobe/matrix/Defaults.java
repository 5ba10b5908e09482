package io.netprobe.matrix;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What every check gets unless it says otherwise.
 *
 * @param retries extra attempts, made only for a check whose observation differs from its
 *     expectation (a flaky first ARP, a slow sshd); a check as expected is never repeated
 * @param icmpCount echo requests per icmp probe
 * @param login the SSH login of ssh probes to nodes that have none of their own
 * @param family {@code ipv4} (each address's ip), {@code ipv6} (its ip6) or {@code both}
 */
public record Defaults(
    Duration timeout,
    int retries,
    int points,
    int icmpCount,
    Optional<Credentials> login,
    String family) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  public static final Defaults STANDARD =
      new Defaults(DEFAULT_TIMEOUT, 0, 1, 1, Optional.empty(), "ipv4");

  /** Defaults that probe each address's ip. */
  public Defaults(
      Duration timeout, int retries, int points, int icmpCount, Optional<Credentials> login) {
    this(timeout, retries, points, icmpCount, login, "ipv4");
  }

  public Defaults {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(login, "login");
    family = family == null ? "ipv4" : family;
    Check.requireTimeout(timeout, "defaults");
    Check.requireRange("retries", retries, 0, Check.MAX_RETRIES, "defaults");
    Check.requireRange("points", points, 0, Check.MAX_POINTS, "defaults");
    Check.requireRange("icmp-count", icmpCount, 1, 100, "defaults");
  }
}

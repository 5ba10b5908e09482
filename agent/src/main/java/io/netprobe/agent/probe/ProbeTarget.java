package io.netprobe.agent.probe;

/**
 * Where a probe goes and how: host (name or address), timeout, an optional source port to bind (0 =
 * kernel's choice) and an optional flow mark (the check id) that captures match on.
 *
 * @param family for a name, the address family to resolve it to: {@code ipv4} (A), {@code ipv6}
 *     (AAAA), or null for the IPv4 address first
 */
public record ProbeTarget(String host, int timeoutMs, int sourcePort, String mark, String family) {
  public static final int MAX_TIMEOUT_MS = 120_000;

  public ProbeTarget(String host, int timeoutMs, int sourcePort, String mark) {
    this(host, timeoutMs, sourcePort, mark, null);
  }

  public ProbeTarget {
    if (family != null && !family.equals("ipv4") && !family.equals("ipv6")) {
      throw new IllegalArgumentException("family must be ipv4 or ipv6: " + family);
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is missing: give an IP address or a name");
    }
    if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new IllegalArgumentException(
          "timeoutMs out of range 1.." + MAX_TIMEOUT_MS + ": " + timeoutMs);
    }
    if (sourcePort < 0 || sourcePort > 65535) {
      throw new IllegalArgumentException("sourcePort out of range 0..65535: " + sourcePort);
    }
    if (mark != null && mark.length() > 64) {
      throw new IllegalArgumentException("mark longer than 64 characters: " + mark.length());
    }
  }

  public static ProbeTarget of(String host, int timeoutMs) {
    return new ProbeTarget(host, timeoutMs, 0, null);
  }
}

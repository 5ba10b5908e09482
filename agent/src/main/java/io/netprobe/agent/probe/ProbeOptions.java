package io.netprobe.agent.probe;

/**
 * What a probe needs besides its spec and target: echo interval (ICMP), payload (UDP), login (SSH).
 * Unused parts stay null.
 */
public record ProbeOptions(int intervalMs, String payload, SshLogin ssh) {
  /** The time between two echoes of one ICMP probe, unless a request says otherwise. */
  public static final int ICMP_INTERVAL_MS = 100;

  public static final ProbeOptions DEFAULT = new ProbeOptions(ICMP_INTERVAL_MS, null, null);

  public ProbeOptions {
    if (intervalMs < 0 || intervalMs > 10_000) {
      throw new IllegalArgumentException("intervalMs out of range 0..10000: " + intervalMs);
    }
  }
}

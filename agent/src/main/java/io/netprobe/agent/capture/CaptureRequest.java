package io.netprobe.agent.capture;

/**
 * What to capture: interface ({@code any} for all), a BPF filter, the window after which the
 * capture stops by itself, how many packets to summarise, and whether to return a pcap (as base64
 * and/or kept at {@code pcapPath}).
 */
public record CaptureRequest(
    String id,
    String iface,
    String filter,
    int windowMs,
    int maxPackets,
    int snaplen,
    boolean pcapBase64,
    String pcapPath) {
  public CaptureRequest {
    if (iface == null || iface.isBlank()) {
      throw new IllegalArgumentException("iface is missing: name an interface or \"any\"");
    }
    if (windowMs < 1 || windowMs > 600_000) {
      throw new IllegalArgumentException("windowMs out of range 1..600000: " + windowMs);
    }
    if (maxPackets < 0 || maxPackets > 100_000) {
      throw new IllegalArgumentException("maxPackets out of range 0..100000: " + maxPackets);
    }
    if (snaplen < 64 || snaplen > 262_144) {
      throw new IllegalArgumentException("snaplen out of range 64..262144: " + snaplen);
    }
  }

  boolean wantsPcap() {
    return pcapBase64 || pcapPath != null;
  }
}

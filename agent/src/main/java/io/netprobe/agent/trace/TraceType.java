package io.netprobe.agent.trace;

/** What a trace sends: the protocol of the flow it follows, and what ends it at the destination. */
public enum TraceType {
  /** Echo requests: the destination answers with an echo reply. */
  ICMP(1),
  /** SYNs: the destination answers with a SYN-ACK (port open) or an RST (port closed). */
  TCP(6),
  /** Datagrams: a destination with the port closed answers with ICMP port unreachable. */
  UDP(17);

  private final int protocol;

  TraceType(int protocol) {
    this.protocol = protocol;
  }

  /** The IP protocol number. */
  public int protocol() {
    return protocol;
  }

  /** Whether the flow has ports (TCP, UDP). */
  public boolean hasPorts() {
    return this != ICMP;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

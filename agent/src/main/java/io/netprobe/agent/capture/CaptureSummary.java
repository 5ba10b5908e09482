package io.netprobe.agent.capture;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A finished capture: how many packets matched the filter, the first {@code maxPackets} of them
 * summarised, and, when asked for, the pcap (base64 and/or the file the agent wrote). A packet's
 * {@code atMs} counts from {@code startedAt} (epoch ms, the agent's clock).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaptureSummary(
    String id,
    String iface,
    String filter,
    int matched,
    boolean truncated,
    double durationMs,
    List<PacketSummary> packets,
    String pcapBase64,
    String pcapPath,
    String stopReason,
    Long startedAt) {
  public CaptureSummary {
    packets = List.copyOf(packets);
  }
}

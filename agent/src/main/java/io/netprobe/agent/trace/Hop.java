package io.netprobe.agent.trace;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One TTL of a trace and what answered it.
 *
 * @param from the responder's address; null when nothing answered
 * @param code the ICMP code (time exceeded, unreachable, udp's port unreachable); null otherwise
 * @param detail what came back in words: "time exceeded", "net unreachable", "echo reply",
 *     "SYN-ACK", "RST", "port unreachable"; null when nothing did
 * @param rttMs from sending this TTL's packet to its answer; null when nothing answered
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hop(
    int ttl,
    @JsonInclude(JsonInclude.Include.ALWAYS) String from,
    HopKind kind,
    Integer code,
    String detail,
    Double rttMs) {

  public Hop {
    if (ttl < 1 || ttl > TraceRequest.MAX_HOPS) {
      throw new IllegalArgumentException("hop ttl out of range 1..32: " + ttl);
    }
    if (kind == null || (kind == HopKind.NONE) != (from == null)) {
      throw new IllegalArgumentException("hop " + ttl + ": kind " + kind + " with from " + from);
    }
  }

  static Hop silent(int ttl) {
    return new Hop(ttl, null, HopKind.NONE, null, null, null);
  }

  public boolean answered() {
    return kind != HopKind.NONE;
  }
}

package io.netprobe.agent.probe;

import java.util.List;

/** ICMP echo statistics: how many sent, how many replies, their RTTs and the replies' TTL. */
public record Echoes(
    int sent, int received, List<Double> rttMs, Integer ttl, int identifier, String socket) {
  public Echoes {
    rttMs = List.copyOf(rttMs);
    if (received > sent) {
      throw new IllegalArgumentException("received " + received + " > sent " + sent);
    }
  }
}

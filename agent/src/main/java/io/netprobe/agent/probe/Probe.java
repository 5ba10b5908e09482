package io.netprobe.agent.probe;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one probe's packets and says what happened. Never completes exceptionally for a network
 * outcome: a refused port, a timeout or an ICMP error are results, not exceptions.
 */
public interface Probe {
  CompletableFuture<ProbeResult> run(ProbeTarget target);
}

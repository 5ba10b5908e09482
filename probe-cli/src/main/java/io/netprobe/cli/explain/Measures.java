package io.netprobe.cli.explain;

import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.probe.RrProbe;
import io.netprobe.agent.probe.Transactions;
import java.util.Locale;

/** The words of a measuring cell: what was measured, the figures, the loss. */
final class Measures {
  private Measures() {}

  /**
   * {@code 9,812 transactions of 64 bytes in 1.0 s over TCP: 9,811.7/s; RTT p50 0.081 ms, p90 ...,
   * max ...}; with the loss for UDP.
   */
  static String answered(Transactions t, ProbeSpec.Rr rr) {
    return String.format(
            Locale.ROOT,
            "%,d transactions of %d bytes in %.1f s over %s: ",
            t.count(),
            t.size(),
            t.elapsedMs() / 1000,
            rr.over().name())
        + RrProbe.figures(t).replace(" transactions/s", "/s")
        + (rr.over() == ProbeSpec.Transport.UDP
            ? String.format(Locale.ROOT, "; %d lost (%.1f%%)", t.lost(), t.lossRatio() * 100)
            : "");
  }
}

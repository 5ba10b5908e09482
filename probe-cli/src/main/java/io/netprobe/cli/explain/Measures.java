package io.netprobe.cli.explain;

import io.netprobe.agent.probe.Echoes;
import io.netprobe.agent.probe.ProbeSpec;
import io.netprobe.agent.probe.RrProbe;
import io.netprobe.agent.probe.Throughput;
import io.netprobe.agent.probe.Transactions;
import io.netprobe.agent.text.Decimals;
import java.util.DoubleSummaryStatistics;
import java.util.List;

/** The words of a measuring cell: what was measured, the figures, the loss. */
final class Measures {
  private Measures() {}

  /**
   * {@code 9,812 transactions of 64 bytes in 1.0 s over TCP: 9,811.7/s; RTT p50 0.081 ms, p90 ...,
   * max ...}; with the loss for UDP.
   */
  static String answered(Transactions t, ProbeSpec.Rr rr) {
    return Decimals.grouped(t.count(), 0)
        + " transactions of "
        + t.size()
        + " bytes in "
        + Decimals.fixed(t.elapsedMs() / 1000, 1)
        + " s over "
        + rr.over().name()
        + ": "
        + RrProbe.figures(t).replace(" transactions/s", "/s")
        + (rr.over() == ProbeSpec.Transport.UDP
            ? "; " + t.lost() + " lost (" + Decimals.fixed(t.lossRatio() * 100, 1) + "%)"
            : "");
  }

  /**
   * {@code received 1.18 GB in 1.0 s over one TCP stream: 9.41 Gbit/s (the source wrote 1.19 GB in
   * 1.0 s)}; before the receiver's count is in, what the source wrote and that nothing was counted.
   */
  static String received(Throughput t) {
    String wrote =
        Throughput.bytes(t.sentBytes()) + " in " + Decimals.fixed(t.sentMs() / 1000, 1) + " s";
    if (!t.hasReceived()) {
      return "accepted one TCP stream and the source wrote "
          + wrote
          + ", but the discard responder gave no count (the evidence says why)";
    }
    return "received "
        + Throughput.bytes(t.receivedBytes())
        + " in "
        + Decimals.fixed(t.receivedMs() / 1000, 1)
        + " s over one TCP stream: "
        + Throughput.rate(t.bitsPerSecond())
        + " (the source wrote "
        + wrote
        + ")";
  }

  /**
   * {@code answered 1/1 echoes, RTT 0.061 ms}; with several, {@code answered 3/3 echoes, RTT
   * min/avg/max 0.052/0.061/0.080 ms}, as ping sums them up.
   */
  static String echoes(Echoes e) {
    String answered = "answered " + e.received() + "/" + e.sent() + " echoes, RTT ";
    List<Double> rtts = e.rttMs();
    if (rtts.size() == 1) {
      return answered + RrProbe.ms(rtts.get(0));
    }
    DoubleSummaryStatistics s = rtts.stream().mapToDouble(Double::doubleValue).summaryStatistics();
    return answered
        + "min/avg/max "
        + Decimals.fixed(s.getMin(), 3)
        + "/"
        + Decimals.fixed(s.getAverage(), 3)
        + "/"
        + Decimals.fixed(s.getMax(), 3)
        + " ms";
  }
}

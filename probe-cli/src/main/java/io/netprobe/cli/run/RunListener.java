package io.netprobe.cli.run;

import io.netprobe.report.model.CheckResult;

/** Events of a run, for progress bars, verbose logs and tests; the default does nothing. */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  /** The run connects to its nodes' agents. */
  default void connecting(int nodes) {}

  /** The probes of a round start: {@code count} checks, round 0 first, then retries. */
  default void roundStarted(int round, int count) {}

  /** One probe answered (or timed out). */
  default void probeDone(String checkId) {}

  /**
   * This machine's neighbour table refused sends: a paced wave of {@code cells} of the {@code
   * unchecked} cells is checked again after {@code waitMs} ms of quiet ({@link PacedRetries}).
   */
  default void pacedWave(int wave, int cells, int unchecked, long waitMs) {}

  /** A step of the run is done, {@code sinceNanos} after {@link System#nanoTime()} said so. */
  default void phase(String name, long sinceNanos) {}

  /** Something went wrong that does not stop the run (a pcap file not written...). */
  default void warning(String message) {}

  /** A check has its verdict. */
  default void checked(CheckResult result) {}
}

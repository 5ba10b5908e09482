package io.netprobe.agent.probe;

/** How long one step of a probe took, in milliseconds from its start. */
public record Timing(String step, double ms) {
  public Timing {
    if (step == null || step.isBlank()) {
      throw new IllegalArgumentException("timing step must be named");
    }
    ms = Math.round(ms * 1000.0) / 1000.0;
  }

  public static Timing since(String step, long startNanos) {
    return new Timing(step, (System.nanoTime() - startNanos) / 1e6);
  }
}

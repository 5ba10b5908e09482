package io.netprobe.agent.probe;

/** Hears about probes as they run; the default hears nothing. */
public interface ProbeListener {
  ProbeListener NONE = new ProbeListener() {};

  default void started(String probe, ProbeTarget target) {}

  default void finished(ProbeResult result) {}
}

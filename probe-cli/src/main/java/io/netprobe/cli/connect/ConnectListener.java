package io.netprobe.cli.connect;

/** Hears what connectors do (uploads, cache hits, image builds); the default does nothing. */
@FunctionalInterface
public interface ConnectListener {
  ConnectListener NONE = (node, event) -> {};

  void event(String node, String event);
}

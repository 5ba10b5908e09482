package io.netprobe.report.model;

import java.util.Objects;

/**
 * One fact a verdict rests on, as the agent that saw it reported it: {@code node} is where it was
 * seen ("pc", "vm-nat"), {@code source} what saw it ("probe", "capture eth0", "facts"), {@code
 * text} the fact in plain words ("SYN sent from 10.1.5.90:40112 to 10.0.2.15:22").
 */
public record Evidence(String node, String source, String text) {
  public Evidence {
    Objects.requireNonNull(node, "evidence node");
    Objects.requireNonNull(source, "evidence source");
    Objects.requireNonNull(text, "evidence text");
  }

  @Override
  public String toString() {
    return node + " " + source + ": " + text;
  }
}

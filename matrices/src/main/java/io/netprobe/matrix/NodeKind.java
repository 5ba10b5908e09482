package io.netprobe.matrix;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How netprobe gets to a node: where its agent runs, or that it has none. */
public enum NodeKind {
  /** The machine netprobe runs on. */
  LOCAL("local", true),
  /** A Linux network namespace on this machine: field {@code netns}. */
  NETNS("netns", true),
  /** A VM or server reached over SSH: field {@code ssh}. */
  SSH("ssh", true),
  /** A container, by name or id: field {@code container}. */
  DOCKER("docker", true),
  /** A target without an agent (an outside server): only a destination, never a source. */
  ADDRESS("address", false);

  private final String yamlName;
  private final boolean hasAgent;

  NodeKind(String yamlName, boolean hasAgent) {
    this.yamlName = yamlName;
    this.hasAgent = hasAgent;
  }

  /** The name written in a matrix file. */
  public String yamlName() {
    return yamlName;
  }

  /** True when an agent runs there, so checks may start from it and capture there. */
  public boolean hasAgent() {
    return hasAgent;
  }

  /** The kind written {@code name} in a matrix file, if any. */
  public static Optional<NodeKind> fromYaml(String name) {
    return Arrays.stream(values()).filter(k -> k.yamlName.equals(name)).findFirst();
  }

  /** Every name a matrix file may use, in declaration order. */
  public static List<String> yamlNames() {
    return Arrays.stream(values()).map(NodeKind::yamlName).toList();
  }
}

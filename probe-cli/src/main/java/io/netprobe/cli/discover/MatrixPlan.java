package io.netprobe.cli.discover;

import io.netprobe.matrix.Expectation;
import io.netprobe.matrix.NodeKind;
import io.netprobe.matrix.PathKind;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A matrix before it is written: nodes, checks each with the rule it came from, and notes on what
 * was left out and why. {@link DockerRules} makes one, {@link MatrixYamlWriter} writes it.
 *
 * @param notes things a reader of the file should know that are not checks ("np-back's port 50000
 *     is not checked on the host: ..."), written as comments
 */
public record MatrixPlan(
    String name, String description, List<Node> nodes, List<Check> checks, List<String> notes) {

  public MatrixPlan {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    nodes = List.copyOf(nodes);
    checks = List.copyOf(checks);
    notes = List.copyOf(notes);
  }

  /** The check with this id ({@code from->to probe}), for tests. */
  public java.util.Optional<Check> check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /**
   * A node of the matrix.
   *
   * @param container the container's name (kind docker), else null
   * @param defaultAddress the address its bare name means, or null
   */
  public record Node(
      String name,
      NodeKind kind,
      String container,
      String description,
      List<Address> addresses,
      String defaultAddress) {
    public Node {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      description = description == null ? "" : description;
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * A named address of a node.
   *
   * @param portMap probe port to the port the packets go to (a published port), may be empty
   * @param from the only nodes that may use it (the host, for a port on the host), may be empty
   */
  public record Address(
      String name, String ip, PathKind path, Map<Integer, Integer> portMap, List<String> from) {
    public Address {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(ip, "ip");
      Objects.requireNonNull(path, "path");
      portMap = Collections.unmodifiableMap(new TreeMap<>(portMap));
      from = List.copyOf(from);
    }
  }

  /**
   * One check and the Docker rule it follows.
   *
   * @param rule the rule, one line for a person editing the file: "same network np-compose:
   *     containers of one network reach each other"
   * @param to {@code node.address}
   * @param probe {@code icmp} or {@code tcp:PORT}
   */
  public record Check(
      String rule,
      String from,
      String to,
      String probe,
      Expectation expect,
      String title,
      String hint) {
    public Check {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(probe, "probe");
      Objects.requireNonNull(expect, "expect");
      if (rule.contains("\n")) {
        throw new IllegalArgumentException("rule must be one line: " + rule);
      }
    }

    /** The id the loaded check gets: {@code from->to probe}. */
    public String id() {
      return from + "->" + to + " " + probe;
    }
  }
}

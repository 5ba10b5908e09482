package io.netprobe.matrix;

import java.util.Objects;

/** How the coordinator reaches a node to start its agent; one record per {@link NodeKind}. */
public sealed interface NodeAccess
    permits NodeAccess.Local, NodeAccess.Netns, NodeAccess.Ssh, NodeAccess.Docker, NodeAccess.None {

  NodeKind kind();

  /** The machine netprobe runs on. */
  record Local() implements NodeAccess {
    @Override
    public NodeKind kind() {
      return NodeKind.LOCAL;
    }
  }

  /** The network namespace {@code name} on this machine ({@code ip netns exec name}). */
  record Netns(String name) implements NodeAccess {
    public Netns {
      requireText(name, "netns");
    }

    @Override
    public NodeKind kind() {
      return NodeKind.NETNS;
    }
  }

  /** An SSH server at {@code host:port}, logged into with {@code login}. */
  record Ssh(String host, int port, Credentials login) implements NodeAccess {
    public Ssh {
      requireText(host, "ssh host");
      Objects.requireNonNull(login, "login");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("ssh port out of range 1..65535: " + port);
      }
    }

    @Override
    public NodeKind kind() {
      return NodeKind.SSH;
    }
  }

  /** The container {@code container} (name or id) of the local Docker engine. */
  record Docker(String container) implements NodeAccess {
    public Docker {
      requireText(container, "container");
    }

    @Override
    public NodeKind kind() {
      return NodeKind.DOCKER;
    }
  }

  /** No agent: an outside server, only ever a destination. */
  record None() implements NodeAccess {
    @Override
    public NodeKind kind() {
      return NodeKind.ADDRESS;
    }
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
  }
}

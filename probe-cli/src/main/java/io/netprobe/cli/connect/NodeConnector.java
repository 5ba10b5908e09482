package io.netprobe.cli.connect;

import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.connect.session.AgentSession;

/**
 * Gets an agent running on one kind of node ({@code T}) and returns a session to it.
 * Implementations: {@link LocalNodeConnector}, {@link NetnsNodeConnector}, {@link
 * SshNodeConnector}, {@link DockerNodeConnector}; {@link NodeConnectors#connect} picks one.
 */
public interface NodeConnector<T extends NodeTarget> {
  /**
   * Connects, waits for the agent's {@code hello}, and returns the session; throws {@link
   * AgentException} saying what was tried and why it failed. Leaves nothing behind on failure.
   */
  AgentSession connect(String node, T target, ConnectOptions options);
}

package io.netprobe.cli.connect;

/**
 * Gets an agent running on one kind of node and returns a session to it. Implementations: {@link
 * LocalNodeConnector}, {@link NetnsNodeConnector}, {@link SshNodeConnector}, {@link
 * DockerNodeConnector}; {@link NodeConnectors#forTarget} picks one.
 */
public interface NodeConnector {
  /**
   * Connects, waits for the agent's {@code hello}, and returns the session; throws {@link
   * AgentException} saying what was tried and why it failed. Leaves nothing behind on failure.
   */
  AgentSession connect(String node, NodeTarget target, ConnectOptions options);
}

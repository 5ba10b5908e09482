package io.netprobe.cli.connect;

import io.netprobe.cli.connect.session.AgentSession;

/** The connector for each node kind. Docker's client is opened on first use, closed by close(). */
public final class NodeConnectors implements AutoCloseable {
  private final LocalNodeConnector local = new LocalNodeConnector();
  private final NetnsNodeConnector netns = new NetnsNodeConnector();
  private final SshNodeConnector ssh = new SshNodeConnector();
  private volatile DockerNodeConnector docker;

  /** Connects one node with the connector of its kind. */
  public AgentSession connect(String node, NodeTarget target, ConnectOptions options) {
    if (target instanceof NodeTarget.Local l) {
      return local.connect(node, l, options);
    } else if (target instanceof NodeTarget.Netns n) {
      return netns.connect(node, n, options);
    } else if (target instanceof NodeTarget.Ssh s) {
      return ssh.connect(node, s, options);
    } else if (target instanceof NodeTarget.Docker d) {
      return docker().connect(node, d, options);
    }
    throw new IllegalArgumentException("no connector for " + target);
  }

  private synchronized DockerNodeConnector docker() {
    if (docker == null) {
      docker = new DockerNodeConnector();
    }
    return docker;
  }

  @Override
  public synchronized void close() {
    if (docker != null) {
      docker.close();
      docker = null;
    }
  }
}

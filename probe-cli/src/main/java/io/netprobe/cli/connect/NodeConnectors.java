package io.netprobe.cli.connect;

/** The connector for each node kind. Docker's client is opened on first use, closed by close(). */
public final class NodeConnectors implements AutoCloseable {
  private final LocalNodeConnector local = new LocalNodeConnector();
  private final NetnsNodeConnector netns = new NetnsNodeConnector();
  private final SshNodeConnector ssh = new SshNodeConnector();
  private volatile DockerNodeConnector docker;

  public NodeConnector forTarget(NodeTarget target) {
    if (target instanceof NodeTarget.Local) {
      return local;
    } else if (target instanceof NodeTarget.Netns) {
      return netns;
    } else if (target instanceof NodeTarget.Ssh) {
      return ssh;
    } else if (target instanceof NodeTarget.Docker) {
      return docker();
    }
    throw new IllegalArgumentException("no connector for " + target);
  }

  private synchronized DockerNodeConnector docker() {
    if (docker == null) {
      docker = new DockerNodeConnector();
    }
    return docker;
  }

  /** Connects one node with the connector of its kind. */
  public AgentSession connect(String node, NodeTarget target, ConnectOptions options) {
    return forTarget(target).connect(node, target, options);
  }

  @Override
  public synchronized void close() {
    if (docker != null) {
      docker.close();
      docker = null;
    }
  }
}

package io.netprobe.cli.connect;

import java.nio.file.Files;
import java.util.List;

/**
 * A network namespace of this machine: {@code ip netns exec NAME java -jar netprobe-agent.jar
 * --stdio}. Also how Mininet and containerlab hosts are reached. Needs root (or CAP_SYS_ADMIN).
 */
public final class NetnsNodeConnector implements NodeConnector {

  @Override
  public AgentSession connect(String node, NodeTarget target, ConnectOptions options) {
    NodeTarget.Netns netns = (NodeTarget.Netns) target;
    if (!Files.exists(io.netprobe.cli.lab.Netns.named(netns.name()))) {
      throw new AgentException(
          "NO_NETNS",
          target.describe()
              + ": there is no network namespace "
              + netns.name()
              + " (looked for /run/netns/"
              + netns.name()
              + "); list them with `ip netns list`, or bring the demo lab up: netprobe lab up");
    }
    List<String> cmd =
        LocalNodeConnector.command(options, List.of("ip", "netns", "exec", netns.name()));
    return ProcessAgents.start(node, target.describe(), cmd, options);
  }
}

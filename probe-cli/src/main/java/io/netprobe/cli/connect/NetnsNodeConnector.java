package io.netprobe.cli.connect;

import io.netprobe.agent.net.NetNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A network namespace of this machine, also how Mininet and containerlab hosts are reached. Needs
 * root (or CAP_SYS_ADMIN). By default the agent runs in this JVM with its threads in the namespace
 * ({@link InProcessAgents}); as a separate process it is {@code ip netns exec NAME java -jar
 * netprobe-agent.jar --stdio}.
 */
public final class NetnsNodeConnector implements NodeConnector {

  @Override
  public AgentSession connect(String node, NodeTarget target, ConnectOptions options) {
    NodeTarget.Netns netns = (NodeTarget.Netns) target;
    Path file = NetNamespace.named(netns.name());
    if (!Files.exists(file)) {
      throw new AgentException(
          "NO_NETNS",
          target.describe()
              + ": there is no network namespace "
              + netns.name()
              + " (looked for /run/netns/"
              + netns.name()
              + "); list them with `ip netns list`, or bring the demo lab up: netprobe lab up");
    }
    if (netns.inProcess()) {
      NetNamespace entered;
      try {
        entered = NetNamespace.enter(file);
      } catch (IllegalStateException e) {
        throw new AgentException("NETNS_ENTER", target.describe() + ": " + e.getMessage(), e);
      }
      return InProcessAgents.start(node, target.describe(), entered, options);
    }
    List<String> cmd =
        LocalNodeConnector.command(options, List.of("ip", "netns", "exec", netns.name()));
    return ProcessAgents.start(node, target.describe(), cmd, options);
  }
}

package io.netprobe.cli.connect;

import io.netprobe.agent.net.NetNamespace;
import io.netprobe.cli.connect.session.AgentException;
import io.netprobe.cli.connect.session.AgentSession;
import io.netprobe.cli.connect.session.InProcessAgents;
import io.netprobe.cli.connect.session.ProcessAgents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A network namespace of this machine, also how Mininet and containerlab hosts are reached. Needs
 * root (or CAP_SYS_ADMIN). By default the agent runs in this JVM with its threads in the namespace
 * ({@link InProcessAgents}); as a separate process it is {@code ip netns exec NAME java -jar
 * netprobe-agent.jar --stdio}.
 */
public final class NetnsNodeConnector implements NodeConnector<NodeTarget.Netns> {

  @Override
  public AgentSession connect(String node, NodeTarget.Netns netns, ConnectOptions options) {
    Path file = NetNamespace.named(netns.name());
    if (!Files.exists(file)) {
      throw new AgentException(
          "NO_NETNS",
          netns.describe()
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
        throw new AgentException("NETNS_ENTER", netns.describe() + ": " + e.getMessage(), e);
      }
      return InProcessAgents.start(node, netns.describe(), entered, options);
    }
    List<String> cmd =
        LocalNodeConnector.command(options, List.of("ip", "netns", "exec", netns.name()));
    return ProcessAgents.start(node, netns.describe(), cmd, options);
  }
}

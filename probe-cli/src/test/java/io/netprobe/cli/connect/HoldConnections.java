package io.netprobe.cli.connect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stand-in for a netprobe run, for the cleanup tests: connects a local, a netns, an SSH and a
 * Docker node with the run id given, says READY, and waits to be killed.
 */
public final class HoldConnections {
  private HoldConnections() {}

  public static void main(String[] args) throws Exception {
    Map<String, NodeTarget> nodes = new LinkedHashMap<>();
    nodes.put("local", new NodeTarget.Local());
    nodes.put("pc", new NodeTarget.Netns("np-pc"));
    nodes.put("nat-vm", ConnectLab.natVm());
    nodes.put("ct1", new NodeTarget.Docker("np-ct1"));
    Connections c = Connections.open(nodes, ConnectLab.options(args[0]));
    System.out.println("READY " + c.sessions().size() + " " + c.errors());
    System.out.flush();
    Thread.sleep(120_000);
    c.close();
  }
}

package io.netprobe.cli.connect;

import io.netprobe.agent.net.NetNamespace;
import io.netprobe.cli.connect.artefact.ClassDataArchive;
import io.netprobe.cli.connect.session.AgentSession;
import io.netprobe.cli.connect.session.InProcessAgents;
import io.netprobe.cli.connect.session.ProcessAgents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine netprobe runs on: {@code java -jar netprobe-agent.jar --stdio} as a child process
 * (the same JDK as this JVM), or the agent in this JVM on a pair of pipes.
 */
public final class LocalNodeConnector implements NodeConnector<NodeTarget.Local> {

  @Override
  public AgentSession connect(String node, NodeTarget.Local target, ConnectOptions options) {
    if (target.inProcess()) {
      return InProcessAgents.start(node, target.describe(), NetNamespace.process(), options);
    }
    return ProcessAgents.start(node, target.describe(), command(options), options);
  }

  /** {@code JAVA_HOME/bin/java <jvm args> -jar AGENT --stdio}, here. */
  static List<String> command(ConnectOptions options) {
    return command(options, List.of());
  }

  /** The same behind {@code prefix} (e.g. ip netns exec NAME), with the AppCDS archive if made. */
  static List<String> command(ConnectOptions options, List<String> prefix) {
    List<String> java = new ArrayList<>(prefix);
    java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(java);
    cmd.addAll(options.jvmArgs());
    cmd.addAll(ClassDataArchive.localArgs(options, java));
    cmd.add("-jar");
    cmd.add(options.jar().toString());
    cmd.add("--stdio");
    return cmd;
  }
}

package io.netprobe.cli.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netprobe.agent.StdioServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine netprobe runs on: {@code java -jar netprobe-agent.jar --stdio} as a child process
 * (the same JDK as this JVM), or the agent in this JVM on a pair of pipes.
 */
public final class LocalNodeConnector implements NodeConnector {

  @Override
  public AgentSession connect(String node, NodeTarget target, ConnectOptions options) {
    NodeTarget.Local local = (NodeTarget.Local) target;
    if (local.inProcess()) {
      return inProcess(node, options);
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

  private static AgentSession inProcess(String node, ConnectOptions options) {
    Pipe toAgent = new Pipe();
    Pipe fromAgent = new Pipe();
    Thread agent =
        new Thread(
            () -> {
              try (OutputStream out = fromAgent.out()) {
                new StdioServer(toAgent.in(), out).serve(new ObjectMapper());
              } catch (IOException | RuntimeException e) {
                // the session sees the end of the agent's output
              }
            },
            "np-agent-inprocess-" + node);
    agent.setDaemon(true);
    agent.start();
    AgentSession session =
        new AgentSession(
            node,
            "local (in-process)",
            fromAgent.in(),
            toAgent.out(),
            () -> agent.join(2000),
            new StderrTail(),
            options.requestTimeout());
    return Hello.await(session, options);
  }
}

package io.netprobe.cli.run;

import java.util.Objects;

/**
 * A node of the run as the engine sees it: its agent, or why there is none.
 *
 * @param name the node's name
 * @param agent the node's agent; null when none answered (then {@code error} says why)
 * @param error why the node has no agent ("ssh 127.0.0.1:1234 as lab: auth failed"), or null
 * @param captureWhyNot why the agent cannot capture, or null when it can
 */
public record RunNode(String name, AgentCalls agent, String error, String captureWhyNot) {
  public RunNode {
    Objects.requireNonNull(name, "name");
    if (agent == null && error == null) {
      throw new IllegalArgumentException("node " + name + ": no agent and no error");
    }
  }

  public static RunNode connected(String name, AgentCalls agent, String captureWhyNot) {
    return new RunNode(name, agent, null, captureWhyNot);
  }

  public static RunNode failed(String name, String error) {
    return new RunNode(name, null, error, "no agent");
  }

  public boolean isConnected() {
    return agent != null;
  }

  public boolean canCapture() {
    return agent != null && captureWhyNot == null;
  }
}

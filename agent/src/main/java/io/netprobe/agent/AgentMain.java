package io.netprobe.agent;

/** Entry point of the agent jar; the protocol comes with the agent issue. */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    System.err.println("netprobe-agent: not implemented yet");
    System.exit(2);
  }
}

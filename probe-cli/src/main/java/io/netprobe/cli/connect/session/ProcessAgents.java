package io.netprobe.cli.connect.session;

import io.netprobe.cli.connect.ConnectOptions;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts an agent as a child process on its stdio and tracks it until the session closes. */
public final class ProcessAgents {
  private ProcessAgents() {}

  public static AgentSession start(
      String node, String describe, List<String> command, ConnectOptions o) {
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new AgentException(
          "START_FAILED",
          describe
              + ": cannot start "
              + command.get(0)
              + ": "
              + e.getMessage()
              + "; is it installed and on PATH?",
          e);
    }
    StderrTail tail = StderrTail.drain(process.getErrorStream(), node);
    AgentSession session =
        new AgentSession(
            node,
            describe,
            process.getInputStream(),
            process.getOutputStream(),
            () -> stop(process),
            tail,
            o.requestTimeout());
    return Hello.await(session, o);
  }

  /** Stdin is closed by then, so the agent is on its way out; make sure it is gone. */
  static void stop(Process process) throws InterruptedException {
    if (!process.waitFor(2, TimeUnit.SECONDS)) {
      process.destroy();
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
      }
    }
  }
}
